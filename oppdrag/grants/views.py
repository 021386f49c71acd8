"""The grant's pages that live with the grants: the year's assignments as a tree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oppdrag.web.access import center_view

from .models import Assignment, Deliverable, Grant, GrantDate

# Headings go from h2 (a top assignment such as 2.1) down to h6; deeper levels share h6.
DEEPEST_HEADING = 6


@dataclass
class Node:
    """One assignment as the page shows it: its depth, deliverables and dates."""

    assignment: Assignment
    depth: int
    deliverables: list[Deliverable] = field(default_factory=list)
    dates: list[GrantDate] = field(default_factory=list)

    @property
    def heading_level(self) -> int:
        return min(2 + self.depth, DEEPEST_HEADING)


def assignment_tree(center: Any, year: int) -> list[Node]:
    """The year's assignments in the letter's order, each with its depth in the tree,
    its deliverables and its dates; three queries whatever the number of assignments."""
    assignments = list(
        Assignment.objects.filter(center=center, year=year).order_by("sort_key", "id")
    )
    deliverables: dict[int, list[Deliverable]] = defaultdict(list)
    for deliverable in Deliverable.objects.filter(center=center, assignment__year=year).order_by(
        "assignment_id", "position", "id"
    ):
        deliverables[deliverable.assignment_id].append(deliverable)
    dates: dict[int, list[GrantDate]] = defaultdict(list)
    for date in GrantDate.objects.filter(
        center=center, assignment__year=year, assignment__isnull=False
    ).order_by("date", "period_start", "id"):
        dates[date.assignment_id].append(date)  # type: ignore[index]
    parents = {a.pk: a.parent_id for a in assignments}

    def depth(pk: int) -> int:
        level, seen = 0, {pk}
        parent = parents.get(pk)
        # A parent from another year (or a cycle) ends the walk.
        while parent is not None and parent in parents and parent not in seen:
            seen.add(parent)
            level += 1
            parent = parents.get(parent)
        return level

    return [
        Node(a, depth(a.pk), deliverables.get(a.pk, []), dates.get(a.pk, [])) for a in assignments
    ]


@center_view()
def assignment_list(request: HttpRequest, year: int) -> HttpResponse:
    """The year's assignments from the grant letter, with deliverables and dates."""
    center = request.center  # type: ignore[attr-defined]
    grant = Grant.objects.filter(center=center, year=year).first()
    undated = GrantDate.objects.filter(center=center, grant__year=year, assignment__isnull=True)
    return render(
        request,
        "grants/assignment_list.html",
        {
            "center": center,
            "year": year,
            "grant": grant,
            "nodes": assignment_tree(center, year),
            "general_dates": undated.order_by("date", "period_start", "id"),
        },
    )

"""Corrections a person makes to a draft grant before it is saved: rename, renumber,
merge, split and move assignments. Pure Python, no Django imports.

Each operation changes the ``GrantDraft`` in place and keeps it consistent: full
numbers are recomputed below a moved or renumbered assignment, and dates that
pointed to an assignment follow it. ``draft_from_dict`` reads back what
``GrantDraft.to_dict`` wrote, so a review screen can keep the draft between requests.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .letter_parser import (
    DATE_KINDS,
    BudgetLine,
    DraftAssignment,
    DraftDate,
    DraftDeliverable,
    DraftMaterial,
    GrantDraft,
    Unplaced,
)


class ReviewError(ValueError):
    """A correction that cannot be made; the message says why, in Norwegian."""


def find(draft: GrantDraft, full_number: str) -> tuple[DraftAssignment, list[DraftAssignment]]:
    """The assignment with ``full_number`` and the list that holds it."""

    def search(
        nodes: list[DraftAssignment],
    ) -> tuple[DraftAssignment, list[DraftAssignment]] | None:
        for node in nodes:
            if node.full_number == full_number:
                return node, nodes
            found = search(node.children)
            if found:
                return found
        return None

    found = search(draft.assignments)
    if found is None:
        raise ReviewError(f"Fant ikke oppdrag {full_number} i utkastet.")
    return found


def _renumber_below(node: DraftAssignment, moved: dict[str, str]) -> None:
    for child in node.children:
        old = child.full_number
        child.full_number = _compose(node.full_number, child.number)
        moved[old] = child.full_number
        _renumber_below(child, moved)


def _compose(parent: str | None, number: str) -> str:
    if parent is None or "." in number or number[:1].isdigit():
        return number
    return f"{parent}.{number}"


def _follow(draft: GrantDraft, moved: dict[str, str]) -> None:
    for item in draft.dates:
        if item.assignment in moved:
            item.assignment = moved[item.assignment]
    numbers = [node.full_number for node in draft.all_assignments()]
    duplicates = {n for n in numbers if numbers.count(n) > 1}
    if duplicates:
        raise ReviewError(f"Nummeret {', '.join(sorted(duplicates))} er brukt to ganger.")


def rename(draft: GrantDraft, full_number: str, title: str) -> DraftAssignment:
    """Give an assignment a new title."""
    title = " ".join(title.split())
    if not title:
        raise ReviewError("Tittelen kan ikke være tom.")
    node, _siblings = find(draft, full_number)
    node.title = title
    return node


def renumber(draft: GrantDraft, full_number: str, number: str) -> DraftAssignment:
    """Give an assignment a new number; the assignments below it and its dates follow."""
    number = number.strip()
    if not number:
        raise ReviewError("Nummeret kan ikke være tomt.")
    node, _siblings = find(draft, full_number)
    parent = _parent_of(draft, node)
    moved = {node.full_number: _compose(parent.full_number if parent else None, number)}
    node.number = number
    node.full_number = moved[full_number]
    _renumber_below(node, moved)
    _follow(draft, moved)
    return node


def _parent_of(draft: GrantDraft, target: DraftAssignment) -> DraftAssignment | None:
    for node in draft.all_assignments():
        if any(child is target for child in node.children):
            return node
    return None


def merge(draft: GrantDraft, into: str, other: str) -> DraftAssignment:
    """Merge assignment ``other`` into ``into``: text, deliverables, children and dates."""
    if into == other:
        raise ReviewError("Et oppdrag kan ikke slås sammen med seg selv.")
    target, _ = find(draft, into)
    source, siblings = find(draft, other)
    if any(node is target for node in source.walk()):
        raise ReviewError("Et oppdrag kan ikke slås sammen med et oppdrag under seg.")
    siblings.remove(source)
    target.text = "\n\n".join(t for t in (target.text, source.title, source.text) if t)
    target.deliverables.extend(source.deliverables)
    target.children.extend(source.children)
    target.source_start_line = min(target.source_start_line, source.source_start_line)
    target.source_end_line = max(target.source_end_line, source.source_end_line)
    moved = {source.full_number: target.full_number}
    _renumber_below(target, moved)
    _follow(draft, moved)
    return target


def split(
    draft: GrantDraft, full_number: str, at_deliverable: int, number: str, title: str
) -> DraftAssignment:
    """Split an assignment: deliverables from index ``at_deliverable`` go to a new
    sibling with ``number`` and ``title``, placed right after it."""
    node, siblings = find(draft, full_number)
    if not 0 < at_deliverable < len(node.deliverables):
        raise ReviewError("Velg en leveranse å dele ved (ikke den første).")
    parent = _parent_of(draft, node)
    rest = node.deliverables[at_deliverable:]
    node.deliverables = node.deliverables[:at_deliverable]
    new = DraftAssignment(
        number=number,
        full_number=_compose(parent.full_number if parent else None, number),
        title=" ".join(title.split()) or number,
        text="",
        source_start_line=rest[0].source_start_line,
        source_end_line=rest[-1].source_end_line,
        deliverables=rest,
    )
    siblings.insert(siblings.index(node) + 1, new)
    _follow(draft, {})
    return new


def move(draft: GrantDraft, full_number: str, new_parent: str | None) -> DraftAssignment:
    """Move an assignment (with all below it) under another, or to the top level."""
    node, siblings = find(draft, full_number)
    parent = find(draft, new_parent)[0] if new_parent else None
    if parent is not None and any(n is parent for n in node.walk()):
        raise ReviewError("Et oppdrag kan ikke flyttes inn under seg selv.")
    siblings.remove(node)
    (parent.children if parent else draft.assignments).append(node)
    moved = {node.full_number: _compose(parent.full_number if parent else None, node.number)}
    node.full_number = moved[full_number]
    _renumber_below(node, moved)
    _follow(draft, moved)
    return node


# --- dates of the year plan --------------------------------------------------------

# «Helsedirektoratet skal … gi HOD …»: the grantor's own task towards the ministry.
_GRANTOR_TASK = re.compile(
    r"\b(?:helsedirektoratet|direktoratet)\s+skal\b[^\n]{0,200}?\b(?:hod|departementet|"
    r"helse- og omsorgsdepartementet)\b",
    re.IGNORECASE,
)


def is_grantor_deadline(item: DraftDate) -> bool:
    """Whether a date is the grantor's own deadline towards the ministry (not the centre's)."""
    return item.kind in ("deadline", "other") and bool(_GRANTOR_TASK.search(item.text[:5000]))


def set_aside_grantor_deadlines(draft: GrantDraft) -> int:
    """Make the grantor's own deadlines «other dates», so the centre's year plan does not
    show them as its deadlines; return how many. The review names them and can remove them."""
    changed = 0
    for item in draft.dates:
        if item.kind == "deadline" and is_grantor_deadline(item):
            item.kind = "other"
            changed += 1
    return changed


def _date_at(draft: GrantDraft, index: int) -> DraftDate:
    if not 0 <= index < len(draft.dates):
        raise ReviewError("Fant ikke datoen i utkastet; last siden på nytt.")
    return draft.dates[index]


def change_date(
    draft: GrantDraft,
    index: int,
    *,
    kind: str,
    text: str,
    date: dt.date | None,
    period_start: dt.date | None,
    period_end: dt.date | None,
    assignment: str | None,
) -> DraftDate:
    """Correct one date of the year plan: its kind, when it is, what it is, and the
    assignment it belongs to. Either a date or a whole period, in the letter's year."""
    item = _date_at(draft, index)
    if kind not in DATE_KINDS:
        raise ReviewError("Velg hva slags dato det er.")
    text = " ".join(text.split())
    if not text:
        raise ReviewError("Skriv hva datoen gjelder.")
    if date is None and (period_start is None or period_end is None):
        raise ReviewError("Oppgi en dato, eller både start og slutt på perioden.")
    if date is not None and (period_start or period_end):
        raise ReviewError("Oppgi enten en dato eller en periode, ikke begge.")
    if period_start and period_end and period_end < period_start:
        raise ReviewError("Perioden slutter før den begynner.")
    year = draft.year
    for value in (date, period_start, period_end):
        if year and value and value.year != year:
            raise ReviewError(f"Datoen {value:%d.%m.%Y} er ikke i {year}, brevets år.")
    if assignment:
        find(draft, assignment)  # refuses an assignment the draft does not have
    item.kind, item.text = kind, text
    item.date, item.period_start, item.period_end = date, period_start, period_end
    item.assignment = assignment or None
    return item


def remove_date(draft: GrantDraft, index: int) -> DraftDate:
    """Take a date out of the draft (it will not be in the year plan)."""
    item = _date_at(draft, index)
    draft.dates.remove(item)
    return item


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def draft_from_dict(data: dict[str, Any]) -> GrantDraft:
    """A ``GrantDraft`` from the data ``GrantDraft.to_dict`` gave."""

    def assignment(item: dict[str, Any]) -> DraftAssignment:
        return DraftAssignment(
            number=item["number"],
            full_number=item.get("full_number", item["number"]),
            title=item["title"],
            text=item.get("text", ""),
            source_start_line=item.get("source_start_line", 0),
            source_end_line=item.get("source_end_line", 0),
            children=[assignment(child) for child in item.get("children", [])],
            deliverables=[DraftDeliverable(**d) for d in item.get("deliverables", [])],
        )

    def date(item: dict[str, Any]) -> DraftDate:
        period = item.get("period") or {}
        return DraftDate(
            kind=item["kind"],
            text=item.get("text", ""),
            source_start_line=item.get("source_start_line", 0),
            source_end_line=item.get("source_end_line", 0),
            date=_date(item.get("date")),
            period_start=_date(period.get("start")),
            period_end=_date(period.get("end")),
            assignment=item.get("assignment"),
        )

    return GrantDraft(
        year=data.get("year"),
        grantor=data.get("grantor", ""),
        recipient=data.get("recipient", ""),
        scheme=data.get("scheme", ""),
        amount_nok=data.get("amount_nok"),
        budget_lines=[BudgetLine(**line) for line in data.get("budget_lines", [])],
        application_date=_date(data.get("application_date")),
        regulation_date=_date(data.get("regulation_date")),
        assignments=[assignment(item) for item in data.get("assignments", [])],
        dates=[date(item) for item in data.get("dates", [])],
        materials=[DraftMaterial(**item) for item in data.get("materials", [])],
        unplaced=[Unplaced(**item) for item in data.get("unplaced", [])],
        confidence=data.get("confidence", 0.0),
        warnings=list(data.get("warnings", [])),
        line_count=data.get("line_count", 0),
    )

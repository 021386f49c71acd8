"""The centre's people: staff and collaborators with their positions, and who may sign in."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oppdrag.core.models import Membership, Person
from oppdrag.hours.models import StaffMember

from .access import center_view


@center_view()
def people(request: HttpRequest) -> HttpResponse:
    """Staff and collaborators (from the staff register), other contributors by name,
    and the users with access and their roles; three queries whatever the numbers."""
    center = request.center  # type: ignore[attr-defined]
    persons = Person.objects.filter(center=center).prefetch_related(
        Prefetch(
            "staff_records",
            queryset=StaffMember.objects.filter(center=center).order_by("id"),
            to_attr="records",
        )
    )
    staff, others = [], []
    for person in persons.order_by("name", "id"):
        record = person.records[0] if person.records else None  # type: ignore[attr-defined]
        if record is not None or person.is_staff_member:
            staff.append((person, record))
        else:
            others.append(person)
    members = (
        Membership.objects.filter(center=center)
        .select_related("user")
        .order_by("user__username", "id")
    )
    return render(
        request,
        "web/people.html",
        {"center": center, "staff": staff, "others": others, "members": members},
    )

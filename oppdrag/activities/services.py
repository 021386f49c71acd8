"""Writes to the activity registries: one function per operation, one transaction each.

Views, commands and the API call these; the importers use the same models in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from oppdrag.core.models import Center, Organization

from .models import Event, EventOrganizer


@transaction.atomic
def register_event(
    *,
    center: Center,
    user: Any,
    data: dict[str, Any],
    organizers: Sequence[Organization] = (),
) -> Event:
    """Create an event for ``center`` from cleaned form data; history records ``user``."""
    relations = {
        key: data.pop(key)
        for key in ("assignments", "focus_areas", "regions", "municipalities", "districts")
        if key in data
    }
    event = Event(center=center, **data)
    event._history_user = user  # type: ignore[attr-defined]
    event.save()
    for key, values in relations.items():
        getattr(event, key).set(values)
    EventOrganizer.objects.bulk_create(
        EventOrganizer(event=event, organization=org, position=i)
        for i, org in enumerate(organizers)
    )
    return event


@transaction.atomic
def update_event(*, event: Event, user: Any, data: dict[str, Any]) -> Event:
    """Change an event's fields and links; the previous values stay in its history."""
    relations = {
        key: data.pop(key)
        for key in ("assignments", "focus_areas", "regions", "municipalities", "districts")
        if key in data
    }
    for key, value in data.items():
        setattr(event, key, value)
    event._history_user = user  # type: ignore[attr-defined]
    event.save()
    for key, values in relations.items():
        getattr(event, key).set(values)
    return event

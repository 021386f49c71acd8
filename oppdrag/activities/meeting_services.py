"""Writes for a group's meetings: register, change and delete, each with its history.

The form, an importer or the API call these; each checks what the database alone
cannot (the meeting falls in the group's year) and records who made the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Group, GroupMeeting

FIELDS = ("date", "format", "participants")


def check_meeting(group: Group, data: dict[str, Any]) -> None:
    """Refuse (``ValidationError`` by field) a meeting that does not fit its group."""
    date = data.get("date")
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("Oppgi datoen for møtet.")})
    if date.year != group.year:
        raise ValidationError(
            {
                "date": _("Datoen {date} er ikke i {year}, året gruppen er registrert på.").format(
                    date=date.strftime("%d.%m.%Y"), year=group.year
                )
            }
        )


@transaction.atomic
def register_meeting(*, group: Group, user: Any, data: dict[str, Any]) -> GroupMeeting:
    """Add a meeting (date, format, participants) to ``group``; history records ``user``."""
    check_meeting(group, data)
    meeting = GroupMeeting(
        center_id=group.center_id, group=group, **{k: data.get(k) for k in FIELDS}
    )
    if meeting.format is None:
        meeting.format = ""
    meeting._history_user = user  # type: ignore[attr-defined]
    meeting.save()
    return meeting


@transaction.atomic
def change_meeting(*, meeting: GroupMeeting, user: Any, data: dict[str, Any]) -> GroupMeeting:
    """Change a meeting's date, format or participants; the old values stay in history."""
    check_meeting(meeting.group, data)
    for key in FIELDS:
        if key in data:
            setattr(meeting, key, data[key] if data[key] is not None or key != "format" else "")
    meeting._history_user = user  # type: ignore[attr-defined]
    meeting.save()
    return meeting


@transaction.atomic
def delete_meeting(*, meeting: GroupMeeting, user: Any) -> None:
    """Delete a meeting; its history keeps who deleted it and what it held."""
    meeting._history_user = user  # type: ignore[attr-defined]
    meeting.delete()

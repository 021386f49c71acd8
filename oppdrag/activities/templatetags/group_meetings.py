"""The meetings block of a group's page (``activities/_group_meetings.html``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from oppdrag.activities.models import Format, Group, GroupMeeting
from oppdrag.core.models import Membership

register = template.Library()


@dataclass(frozen=True)
class MeetingSummary:
    """A group's meetings in date order with their totals."""

    meetings: list[GroupMeeting]
    participants: int  # the sum of the counts given
    uncounted: int  # meetings without a participant count
    by_format: list[tuple[str, int]]  # (format label, meetings), formats in use only
    can_edit: bool

    @property
    def count(self) -> int:
        return len(self.meetings)


def summarize(group: Group, *, can_edit: bool = False) -> MeetingSummary:
    """The group's meetings and totals, read in one query."""
    meetings = list(GroupMeeting.objects.filter(group=group).order_by("date", "id"))
    counts = [m.participants for m in meetings if m.participants is not None]
    formats = [m.format for m in meetings]
    return MeetingSummary(
        meetings=meetings,
        participants=sum(counts),
        uncounted=len(meetings) - len(counts),
        by_format=[
            (str(label), formats.count(value))
            for value, label in Format.choices
            if formats.count(value)
        ],
        can_edit=can_edit,
    )


@register.simple_tag(takes_context=True)
def group_meetings(context: Any, group: Group) -> MeetingSummary:
    membership = getattr(context.get("request"), "membership", None)
    can_edit = membership is not None and membership.role in {
        Membership.Role.EDITOR,
        Membership.Role.ADMIN,
    }
    return summarize(group, can_edit=can_edit)

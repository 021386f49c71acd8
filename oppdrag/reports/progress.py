"""How far the report's texts have come: slots and words per status and per owner,
and the days left to the report deadline from the grant.

The dashboard shows it (``reports/_progress.html``) and the delivery page lists the
slots that are not approved from the same outline, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.grants.models import Grant, GrantDate

from .models import AssessmentBlock
from .slots import Slot, slots

Status = AssessmentBlock.Status
# The order statuses are shown in; "" is a slot with nothing written.
STATUS_ORDER = ["", Status.DRAFT, Status.READY, Status.APPROVED]


def status_label(status: str) -> str:
    return str(Status(status).label) if status else _("Ikke påbegynt")


@dataclass
class Tally:
    """Slots and words, counted per status."""

    label: str
    slots: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_ORDER, 0))
    words: int = 0

    def add(self, slot: Slot) -> None:
        self.slots[slot.status] += 1
        self.words += slot.words

    @property
    def total(self) -> int:
        return sum(self.slots.values())

    @property
    def cells(self) -> list[int]:
        return [self.slots[status] for status in STATUS_ORDER]


@dataclass
class Progress:
    year: int
    by_status: list[tuple[str, int, int]]  # (label, slots, words)
    by_owner: list[Tally]
    total: Tally
    deadline: dt.date | None
    days_left: int | None

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def status_labels(self) -> list[str]:
        return [status_label(status) for status in STATUS_ORDER]


def report_deadline(center: Center, year: int) -> dt.date | None:
    """The year's report deadline as the grant gives it: the grant's own field, else the
    earliest report deadline in its year plan (two queries at most)."""
    deadline = (
        Grant.objects.filter(center=center, year=year)
        .values_list("report_deadline", flat=True)
        .first()
    )
    if deadline:
        return deadline
    return (
        GrantDate.objects.filter(
            center=center,
            grant__year=year,
            kind=GrantDate.Kind.REPORT_DEADLINE,
            date__isnull=False,
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def report_progress(center: Center, year: int, today: dt.date) -> Progress:
    """Slots and words per status and per owner, and the days left (a fixed few queries)."""
    outline = slots(center, year)
    total = Tally(_("Alle"))
    owners: dict[str, Tally] = {}
    for slot in outline:
        total.add(slot)
        name = slot.owner_name or _("Uten ansvarlig")
        owners.setdefault(name, Tally(name)).add(slot)
    unowned = _("Uten ansvarlig")
    by_owner = sorted(owners.values(), key=lambda tally: (tally.label == unowned, tally.label))
    words_by_status = dict.fromkeys(STATUS_ORDER, 0)
    for slot in outline:
        words_by_status[slot.status] += slot.words
    deadline = report_deadline(center, year)
    return Progress(
        year=year,
        by_status=[
            (status_label(status), total.slots[status], words_by_status[status])
            for status in STATUS_ORDER
        ],
        by_owner=by_owner,
        total=total,
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
    )


def unapproved_slots(center: Center, year: int) -> list[Slot]:
    """The slots whose text is not approved (empty ones included), in reading order."""
    return [slot for slot in slots(center, year) if slot.status != Status.APPROVED]

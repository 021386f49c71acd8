"""Which key figures a centre publishes in a year, and the service that changes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oppdrag.core.models import Center

from .catalogue import BY_KEY, DEFAULT_KEYS
from .models import KeyFigureSelection
from .reach import Counting


@dataclass(frozen=True)
class Selection:
    """The choice in force for a year: where it comes from and what it holds."""

    keys: list[str]
    reach_counting: str
    from_year: int | None  # None: the default, never chosen

    @property
    def is_default(self) -> bool:
        return self.from_year is None


def selection_for(center: Center, year: int) -> Selection:
    """The latest choice made for ``year`` or an earlier year, else the default (one query)."""
    row = (
        KeyFigureSelection.objects.filter(center=center, year__lte=year)
        .order_by("-year")
        .values_list("keys", "reach_counting", "year")
        .first()
    )
    if row is None:
        return Selection(list(DEFAULT_KEYS), Counting.DISTRICTS, None)
    keys, counting, from_year = row
    return Selection([key for key in keys if key in BY_KEY], counting, from_year)


def reach_counting(center: Center, year: int) -> str:
    return selection_for(center, year).reach_counting


@transaction.atomic
def choose_key_figures(
    *, center: Center, user: Any, year: int, keys: list[str], reach_counting: str
) -> KeyFigureSelection:
    """Save the centre's key figures (in order) and the way reach is counted, from ``year``
    on. Unknown or repeated figures and an unknown way of counting are refused, naming
    them, and nothing is saved."""
    unknown = [key for key in keys if key not in BY_KEY]
    if unknown:
        raise ValidationError(
            _("Ukjente nøkkeltall: {keys}.").format(keys=", ".join(unknown)), code="unknown"
        )
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValidationError(
            _("Nøkkeltall valgt mer enn én gang: {keys}.").format(keys=", ".join(repeated)),
            code="repeated",
        )
    if not keys:
        raise ValidationError(_("Velg minst ett nøkkeltall."), code="empty")
    if reach_counting not in Counting.values:
        raise ValidationError(
            _("Ukjent måte å telle kommuner på: {value}.").format(value=reach_counting),
            code="counting",
        )
    found = KeyFigureSelection.objects.select_for_update().filter(center=center, year=year)
    selection = found.first()
    if selection is None:
        selection = KeyFigureSelection(center=center, year=year)
    selection.keys = list(keys)
    selection.reach_counting = reach_counting
    selection._history_user = user  # type: ignore[union-attr]  # who chose: the history row
    selection.save()
    return selection

"""Municipalities reached: one definition for the reach page, the dashboard, the report
and ``oppdrag figures --json``.

A municipality is reached in a year when the centre's work touched it through any
channel the registry holds:

- an event of the year names it (or one of its city districts);
- an advice request of the year came from it (or from one of its districts);
- a service team the centre follows is owned by it (or by one of its districts) and had
  started by the end of the year (a team's catchment is its owners);
- an answer to an evaluation of the year names it in a municipality question. Answers
  of generated (illustrative) demo surveys are left out: they reached no one.

Networks' member municipalities would be a channel too, but the registry keeps no
members of a network, so there is nothing to count there yet.

Two ways of counting, and the centre says which is printed (``Counting``):
``municipalities`` counts municipalities; a district reached reaches its municipality.
``districts`` counts as the published reports do, «kommuner/bydeler»: a municipality
with districts reached (Oslo) counts as those districts, each one, and as itself only
when no district of it is named.

One statement, whatever the data (a UNION ALL of one select per channel).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, IntegerField, Q, Value
from django.utils.translation import gettext_lazy as _

from oppdrag.activities import models as m
from oppdrag.core.models import Center
from oppdrag.core.prepared import PreparedQuery


class Counting(models.TextChoices):
    """Which reach figure is printed."""

    MUNICIPALITIES = "municipalities", _("kommuner")
    DISTRICTS = "districts", _("kommuner/bydeler")


# Channel keys in the order they are listed; the integer is the key's place.
CHANNELS = {
    "events": _("arrangementer"),
    "advice": _("veiledning"),
    "teams": _("team"),
    "evaluations": _("evalueringssvar"),
}
_CHANNEL_KEYS = list(CHANNELS)


def _select(
    queryset: models.QuerySet[models.Model],
    channel: str,
    municipality: str | None,
    district: str | None,
) -> models.QuerySet[models.Model]:
    """One channel's rows as (channel, municipality id, district id, district's municipality)."""
    none = Value(None, output_field=IntegerField())
    return (
        queryset.order_by()
        .annotate(
            rc=Value(_CHANNEL_KEYS.index(channel), output_field=IntegerField()),
            rm=F(municipality) if municipality else none,
            rd=F(district) if district else none,
            rdm=F(f"{district.removesuffix('_id')}__municipality_id") if district else none,
        )
        .values_list("rc", "rm", "rd", "rdm")
    )


def _build(center_id: int, year: int, year_end: dt.date) -> models.QuerySet[models.Model]:
    from oppdrag.evaluations.models import Answer
    from oppdrag.teams.models import ServiceTeam

    event_m = m.Event.municipalities.through.objects.filter(
        event__center_id=center_id, event__year=year
    )
    event_d = m.Event.districts.through.objects.filter(event__center_id=center_id, event__year=year)
    advice = m.AdviceRequest.objects.filter(center_id=center_id, year=year).filter(
        Q(municipality__isnull=False) | Q(district__isnull=False)
    )
    started = Q(serviceteam__start_date__isnull=True) | Q(serviceteam__start_date__lte=year_end)
    team_m = ServiceTeam.municipalities.through.objects.filter(
        started, serviceteam__center_id=center_id
    )
    team_d = ServiceTeam.districts.through.objects.filter(started, serviceteam__center_id=center_id)
    answers = Answer.objects.filter(
        response__survey__center_id=center_id,
        response__survey__year=year,
        response__survey__is_demo=False,
        municipality__isnull=False,
    )
    parts = [
        _select(event_m, "events", "municipality_id", None),
        _select(event_d, "events", None, "citydistrict_id"),
        _select(advice, "advice", "municipality_id", "district_id"),
        _select(team_m, "teams", "municipality_id", None),
        _select(team_d, "teams", None, "citydistrict_id"),
        _select(answers, "evaluations", "municipality_id", None),
    ]
    return parts[0].union(*parts[1:], all=True)


_REACH = PreparedQuery("municipality reach", _build, int, int, dt.date)


@dataclass
class Reach:
    """Who a centre's year reached, by municipality and by city district, with channels."""

    year: int
    counting: str = Counting.DISTRICTS
    # municipality id → channels that reached it (directly or through one of its districts)
    municipalities: dict[int, set[str]] = field(default_factory=dict)
    # district id → channels that reached it
    districts: dict[int, set[str]] = field(default_factory=dict)
    # municipality id → its districts reached
    districts_of: dict[int, set[int]] = field(default_factory=dict)
    # municipality id → channels that named the municipality itself
    named: dict[int, set[str]] = field(default_factory=dict)

    @property
    def municipality_count(self) -> int:
        return len(self.municipalities)

    @property
    def district_count(self) -> int:
        """Municipalities and districts, a municipality with districts reached counting
        as those districts («kommuner/bydeler»)."""
        return len(self.municipalities) - len(self.districts_of) + len(self.districts)

    @property
    def value(self) -> int:
        """The printed figure, counted the centre's way."""
        if self.counting == Counting.MUNICIPALITIES:
            return self.municipality_count
        return self.district_count

    @property
    def label(self) -> str:
        if self.counting == Counting.MUNICIPALITIES:
            return str(_("Kommuner nådd"))
        return str(_("Kommuner/bydeler nådd"))

    def by_channel(self) -> dict[str, int]:
        """How many (counted the printed way) each channel reached; one may reach
        what another did too, so these do not add up to the total."""
        result: dict[str, int] = {}
        for channel in CHANNELS:
            if self.counting == Counting.MUNICIPALITIES:
                result[channel] = sum(1 for c in self.municipalities.values() if channel in c)
            else:
                units = sum(
                    1
                    for pk, c in self.named.items()
                    if channel in c and pk not in self.districts_of
                )
                result[channel] = units + sum(1 for c in self.districts.values() if channel in c)
        return result

    def to_json(self) -> dict[str, object]:
        return {
            "counting": str(self.counting),
            "value": self.value,
            "municipalities": self.municipality_count,
            "municipalities_and_districts": self.district_count,
            "by_channel": self.by_channel(),
        }


def municipality_reach(center: Center, year: int, counting: str | None = None) -> Reach:
    """The year's reach (one query, plus one for the centre's counting when not given)."""
    if counting is None:
        from .selection import reach_counting

        counting = reach_counting(center, year)
    reach = Reach(year, counting)
    municipalities: dict[int, set[str]] = defaultdict(set)
    named: dict[int, set[str]] = defaultdict(set)
    districts: dict[int, set[str]] = defaultdict(set)
    districts_of: dict[int, set[int]] = defaultdict(set)
    for index, municipality, district, district_municipality in _REACH.rows(
        center.pk, year, dt.date(year, 12, 31)
    ):
        channel = _CHANNEL_KEYS[index]
        if municipality is not None:
            municipalities[municipality].add(channel)
            named[municipality].add(channel)
        if district is not None:
            districts[district].add(channel)
            districts_of[district_municipality].add(district)
            municipalities[district_municipality].add(channel)
    reach.municipalities = dict(municipalities)
    reach.named = dict(named)
    reach.districts = dict(districts)
    reach.districts_of = dict(districts_of)
    return reach

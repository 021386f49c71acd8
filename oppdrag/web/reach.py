"""Municipality reach: which municipalities the centre reached in a year, and through what.

Reached means named on an event, the municipality of an advice request, or the owner
of a registered service team. A fixed number of queries whatever the data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from oppdrag.activities import models as m
from oppdrag.core.models import County, Municipality

CHANNELS = {"events": _("arrangementer"), "advice": _("veiledning"), "teams": _("team")}

# A tile map of the 2024 counties: (column, row) on a grid shaped like Norway.
TILES = {
    "56": (4, 0), "55": (3, 1), "18": (2, 2), "50": (2, 3), "15": (1, 4), "34": (2, 4),
    "46": (0, 5), "33": (1, 5), "03": (2, 5), "32": (3, 5),
    "11": (0, 6), "40": (1, 6), "39": (2, 6), "31": (3, 6), "42": (1, 7),
}  # fmt: skip


@dataclass
class CountyReach:
    county: County
    total: int
    reached: list[tuple[Municipality, list[str]]] = field(default_factory=list)
    not_reached: list[Municipality] = field(default_factory=list)

    @property
    def share(self) -> int:
        return round(100 * len(self.reached) / self.total) if self.total else 0


def reach(center: Any, year: int) -> list[CountyReach]:
    channels: dict[int, set[str]] = defaultdict(set)
    for pk in m.Event.municipalities.through.objects.filter(
        event__center=center, event__year=year
    ).values_list("municipality_id", flat=True):
        channels[pk].add("events")
    for pk in m.AdviceRequest.objects.filter(
        center=center, year=year, municipality__isnull=False
    ).values_list("municipality_id", flat=True):
        channels[pk].add("advice")
    from oppdrag.teams.models import ServiceTeam

    for pk in ServiceTeam.municipalities.through.objects.filter(
        serviceteam__center=center
    ).values_list("municipality_id", flat=True):
        channels[pk].add("teams")
    counties = {c.pk: CountyReach(c, 0) for c in County.objects.select_related("region")}
    for municipality in Municipality.objects.filter(valid_to__isnull=True).order_by("name"):
        entry = counties[municipality.county_id]
        entry.total += 1
        if municipality.pk in channels:
            names = [str(CHANNELS[c]) for c in sorted(channels[municipality.pk])]
            entry.reached.append((municipality, names))
        else:
            entry.not_reached.append(municipality)
    return sorted(counties.values(), key=lambda c: c.county.number)


def tile_map(rows: list[CountyReach]) -> list[dict[str, Any]]:
    """Tiles for the SVG map: position, label, share reached and a shade (0–4)."""
    tiles = []
    for row in rows:
        column, line = TILES.get(row.county.number, (5, 7))
        tiles.append(
            {
                "x": column * 92 + 4,
                "y": line * 58 + 4,
                "name": row.county.name,
                "share": row.share,
                "shade": min(4, row.share // 25),
            }
        )
    return tiles

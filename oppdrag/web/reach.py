"""The reach page: which municipalities the centre reached in a year, and through what.

What "reached" means is defined once, in ``oppdrag.figures.reach``; this module lays
it out per county for the page. A fixed number of queries whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oppdrag.core.models import CityDistrict, County, Municipality
from oppdrag.figures.reach import CHANNELS, Reach, municipality_reach

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


def reach(center: Any, year: int) -> tuple[Reach, list[CountyReach], list[tuple[str, list[str]]]]:
    """The year's reach, laid out per county, and the city districts reached with
    their channels."""
    found = municipality_reach(center, year)

    def names(channels: set[str]) -> list[str]:
        return [str(label) for key, label in CHANNELS.items() if key in channels]

    counties = {c.pk: CountyReach(c, 0) for c in County.objects.select_related("region")}
    for municipality in Municipality.objects.filter(valid_to__isnull=True).order_by("name"):
        entry = counties[municipality.county_id]
        entry.total += 1
        if municipality.pk in found.municipalities:
            entry.reached.append((municipality, names(found.municipalities[municipality.pk])))
        else:
            entry.not_reached.append(municipality)
    districts = [
        (district.name, names(found.districts[district.pk]))
        for district in CityDistrict.objects.filter(pk__in=list(found.districts)).order_by("number")
    ]
    rows = sorted(counties.values(), key=lambda c: c.county.number)
    return found, rows, districts


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

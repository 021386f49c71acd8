"""The web site's figures for the key figures: imported totals, last year, the published."""

from __future__ import annotations

from typing import Any

from oppdrag.core.models import Center

from .models import SiteTraffic

FIGURES = ("visits", "unique_pageviews", "pageviews", "users")
# The published figure (PublishedFigure.key) that each imported figure is compared with.
PUBLISHED_KEYS = {
    "visits": "web_visits",
    "unique_pageviews": "web_unique_pageviews",
    "users": "web_users",
    "pageviews": "web_pageviews",
}


def web_figures(center: Center, year: int, published: dict[str, Any]) -> dict[str, Any]:
    """``key_figures()["web"]``: the year's and last year's site totals (one query).

    ``published`` maps keys to the year's ``PublishedFigure`` rows; where one exists
    next to an imported figure, the difference is shown, not hidden.
    """
    rows = {
        row.year: row
        for row in SiteTraffic.objects.filter(center=center, year__in=[year, year - 1])
    }

    def figures(row: SiteTraffic | None) -> dict[str, Any]:
        return {name: getattr(row, name) if row else None for name in FIGURES} | {
            "source": row.source if row else None
        }

    current = rows.get(year)
    comparisons = []
    for name, key in PUBLISHED_KEYS.items():
        value = getattr(current, name) if current else None
        if value is None or key not in published:
            continue
        printed = published[key].value
        number = int(printed) if printed == printed.to_integral_value() else float(printed)
        comparisons.append(
            {
                "key": key,
                "published": number,
                "computed": value,
                "difference": value - number,
                "source": published[key].source,
            }
        )
    return {
        **figures(current),
        "previous_year": figures(rows.get(year - 1)),
        "comparisons": comparisons,
    }

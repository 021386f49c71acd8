"""Records registered so far this year against the same date last year.

A year's figures are only comparable with last year's at the same point in the
year: on 27 November, this year's count is set against last year's records dated up to
27 November. Each kind counts by its activity date; undated records cannot be placed
and are counted apart. One query for all kinds (a UNION ALL of one count per kind,
each starting from the centre's records), whatever the data size.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, Q, Value

from oppdrag.activities import models as m
from oppdrag.core.models import Center

# The date that places a record in the year; groups have none of their own.
DATE_FIELDS: dict[str, tuple[type[Any], str]] = {
    "events": (m.Event, "date_start"),
    "presentations": (m.Presentation, "date"),
    "op_eds": (m.OpEd, "date"),
    "consultation_responses": (m.ConsultationResponse, "date"),
    "publications": (m.Publication, "date"),
    "media_appearances": (m.MediaAppearance, "date"),
    "web_articles": (m.WebArticle, "date"),
    "advice_requests": (m.AdviceRequest, "date"),
}


NAMES = ("this_year", "last_year", "undated_this_year", "undated_last_year")


def _counts(center: Center, year: int, cutoff: dt.date, before: dt.date) -> Any:
    """Rows of (kind index, *NAMES): one per kind that has records in either year."""
    last_year = year - 1
    per_kind = [
        model.objects.for_center(center)
        .filter(year__in=[year, last_year])
        .order_by()
        .values("center_id")  # one group: the centre
        .annotate(
            index=Value(index, output_field=IntegerField()),
            this_year=Count("id", filter=Q(year=year, **{f"{field}__lte": cutoff})),
            last_year=Count("id", filter=Q(year=last_year, **{f"{field}__lte": before})),
            undated_this_year=Count("id", filter=Q(year=year, **{f"{field}__isnull": True})),
            undated_last_year=Count("id", filter=Q(year=last_year, **{f"{field}__isnull": True})),
        )
        .values_list("index", *NAMES)
        for index, (model, field) in enumerate(DATE_FIELDS.values())
    ]
    return per_kind[0].union(*per_kind[1:], all=True)


def same_day(year: int, on: dt.date) -> dt.date:
    """``on``'s day and month in ``year`` (29 February becomes the 28th)."""
    try:
        return on.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def counts_to_date(center: Center, year: int, on: dt.date) -> dict[str, Any]:
    """Per kind: records of ``year`` dated up to ``on`` and of the year before up to
    the same day, plus the undated records of each year.

    For any other year than ``on``'s, the cut-off is the year's last day (whole years).
    """
    cutoff = on if on.year == year else dt.date(year, 12, 31)
    before = same_day(year - 1, cutoff)
    found = {row[0]: row[1:] for row in _counts(center, year, cutoff, before)}
    kinds = {
        kind: dict(zip(NAMES, found.get(index, (0, 0, 0, 0)), strict=True))
        for index, kind in enumerate(DATE_FIELDS)
    }
    return {"year": year, "cutoff": cutoff, "previous_cutoff": before, "kinds": kinds}

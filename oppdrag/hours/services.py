"""Writes for hours, staff and FTE; each runs in one transaction and keeps history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.bulk import insert_rows, uid_hex
from oppdrag.core.models import Center

from .models import HoursColumnMapping, HoursImport, TimeSeries
from .series import Entry, pack_entries, stored_entries, unpack

# The keys a centre's own headings may be mapped to (see ``HoursImporter``).
HOURS_COLUMN_KEYS = ("person", "project", "project_name", "period", "hours")


def bulk_delete_with_history(queryset: QuerySet[Any], user: Any = None) -> int:
    """Delete many rows with two queries plus batched history inserts.

    ``QuerySet.delete()`` would send a signal and write a history row per object;
    here the «deleted» history rows are written in bulk, then the rows go in one
    DELETE. Only for models nothing else points to.
    """
    model = queryset.model
    history_model = model.history.model  # type: ignore[attr-defined]
    now = timezone.now()
    fields = history_model.tracked_fields
    objects = list(queryset)
    history_model.objects.bulk_create(
        [
            history_model(
                history_date=now,
                history_type="-",
                history_user=user,
                history_change_reason="",
                **{f.attname: getattr(obj, f.attname) for f in fields},
            )
            for obj in objects
        ],
        batch_size=2000,
    )
    deleted = queryset._raw_delete(queryset.db)  # type: ignore[attr-defined]
    return int(deleted or 0)


# A series as the hours import hands it over: person id (or None), project id, first
# and last day, number of entries, hours (a decimal string), the packed entries.
SeriesRow = tuple[int | None, int, dt.date, dt.date, int, str, bytes]
SERIES_COLUMNS = (
    "center",
    "uid",
    "created_at",
    "updated_at",
    "year",
    "person",
    "project",
    "start",
    "end",
    "count",
    "hours",
    "entries",
    "batch",
)


@transaction.atomic
def replace_time_entries(
    *,
    center: Center,
    user: Any,
    file_name: str,
    sha256: str,
    year: int,
    start: dt.date,
    end: dt.date,
    count: int,
    hours: Decimal,
    series: Iterable[SeriesRow],
) -> tuple[HoursImport, int]:
    """Replace the centre's hours for ``start``–``end`` by ``series``; return the record
    and how many entries went.

    What is replaced is summed per project and person into the ``HoursImport``
    record. Series wholly inside the period go in one DELETE; a series reaching
    over an edge keeps its entries outside the period. The new series, ``count``
    entries in all, then go into the table in bulk, each pointing to the record.
    The caller has checked that no stored entry straddles the period's edges
    (``straddling_entries``). All or nothing.
    """
    overlapping = TimeSeries.objects.filter(center=center, start__lte=end, end__gte=start)
    inside = overlapping.filter(start__gte=start, end__lte=end).order_by()
    totals: dict[tuple[str, str | None], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for number, name, rows, total in inside.values_list(
        "project__number", "person__name", "count", "hours"
    ):
        totals[number, name][0] += rows
        totals[number, name][1] += total
    trimmed = list(
        overlapping.exclude(pk__in=inside.values("pk")).select_related("project", "person")
    )
    for row in trimmed:
        kept: list[Entry] = []
        key = (row.project.number, row.person.name if row.person else None)
        for entry in unpack(row.year, row.entries):
            if start <= entry.start and entry.end <= end:
                total = totals[key]
                total[0] += 1
                total[1] += entry.hours
            elif entry.end < start or end < entry.start:
                kept.append(entry)
            else:  # pragma: no cover - the importer refuses such a file first
                raise RuntimeError(f"{entry.period} straddles {start}–{end}")
        row.entries = pack_entries(row.year, kept)
        row.count = len(kept)
        row.hours = sum((e.hours for e in kept), Decimal(0))
        row.start, row.end = min(e.start for e in kept), max(e.end for e in kept)
    replaced = [
        {"project": number, "person": name, "rows": rows, "hours": f"{total:.2f}"}
        for (number, name), (rows, total) in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][1] or "")
        )
    ]
    batch = HoursImport.objects.create(
        center=center,
        user=user if getattr(user, "pk", None) else None,
        file_name=file_name[:255],
        sha256=sha256,
        start=start,
        end=end,
        rows_added=count,
        hours_added=hours,
        rows_replaced=sum(r["rows"] for r in replaced),
        hours_replaced=sum((Decimal(r["hours"]) for r in replaced), Decimal(0)),
        replaced=replaced,
    )
    inside._raw_delete(inside.db)  # type: ignore[attr-defined]
    if trimmed:
        TimeSeries.objects.bulk_update(trimmed, ["entries", "count", "hours", "start", "end"])
    written = insert_series(batch, year, series)
    if written != count:  # pragma: no cover - the importer counts what it packs
        raise RuntimeError(f"{written} entries written, {count} expected")
    return batch, batch.rows_replaced


def insert_series(batch: HoursImport, year: int, series: Iterable[SeriesRow]) -> int:
    """Write new series of ``batch``'s centre and ``year`` in bulk; return their entries.

    Each series gets a version 7 ``uid``, ``batch``'s time as its created and
    updated time, and points to ``batch``. All or nothing.
    """
    rows = list(series)
    stamp = connection.ops.adapt_datetimefield_value(batch.created_at)
    insert_rows(
        TimeSeries,
        SERIES_COLUMNS,
        (
            (
                batch.center_id,
                uid,
                stamp,
                stamp,
                year,
                person,
                project,
                first,
                last,
                entries,
                hours,
                packed,
                batch.pk,
            )
            for uid, (person, project, first, last, entries, hours, packed) in zip(
                uid_hex(len(rows)), rows, strict=True
            )
        ),
    )
    return sum(row[4] for row in rows)


@transaction.atomic
def set_column_mapping(*, center: Center, mapping: dict[str, str], user: Any = None) -> dict:
    """Store (merge) a centre's headings for the hours export: heading → column key."""
    unknown = sorted(key for key in mapping.values() if key not in HOURS_COLUMN_KEYS)
    if unknown:
        raise ValueError(
            _("Ukjent kolonnenøkkel {keys}. Gyldige nøkler: {known}.").format(
                keys=", ".join(unknown), known=", ".join(HOURS_COLUMN_KEYS)
            )
        )
    record, _created = HoursColumnMapping.objects.get_or_create(center=center)
    record.mapping = {**record.mapping, **mapping}
    if user is not None:
        record._history_user = user  # type: ignore[attr-defined]
    record.save()
    return dict(record.mapping)


def straddling_entries(center: Center, start: dt.date, end: dt.date) -> int:
    """How many stored entries lie partly inside and partly outside ``start``–``end``."""
    edges = TimeSeries.objects.filter(center=center).filter(
        Q(start__lt=start, end__gte=start) | Q(start__lte=end, end__gt=end)
    )
    return sum(
        1
        for stored in stored_entries(edges.only("year", "entries", "person", "project", "batch"))
        if stored.entry.start < start <= stored.entry.end
        or stored.entry.start <= end < stored.entry.end
    )


def save_with_history(objects: Iterable[Model], user: Any = None) -> None:
    """Save single objects so that their history names ``user``."""
    for obj in objects:
        if user is not None:
            obj._history_user = user  # type: ignore[attr-defined]
        obj.save()

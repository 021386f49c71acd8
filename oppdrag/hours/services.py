"""Writes for hours, staff and FTE; each runs in one transaction and keeps history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core import versions
from oppdrag.core.bulk import copy_lines, insert_rows, uid_hex
from oppdrag.core.models import Center

from .models import HoursColumnMapping, HoursImport, TimeEntry

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
    # A raw delete sends no signal: the centres' data versions are raised here.
    versions.touched({obj.center_id for obj in objects if getattr(obj, "center_id", None)})
    return int(deleted or 0)


# A time entry as the hours import hands it over: person id (or None), project id,
# first and last day (ISO dates), hours (a decimal string).
EntryRow = tuple[int | None, int, str, str, str]
ENTRY_COLUMNS = (
    "center",
    "uid",
    "created_at",
    "updated_at",
    "person",
    "project",
    "start",
    "end",
    "hours",
    "batch",
)


@transaction.atomic
def replace_time_entries(
    *,
    center: Center,
    user: Any,
    file_name: str,
    sha256: str,
    start: dt.date,
    end: dt.date,
    count: int,
    hours: Decimal,
    entries: Iterable[EntryRow],
) -> tuple[HoursImport, int]:
    """Replace the centre's hours for ``start``–``end`` by ``entries``; return the record
    and how many entries went.

    What is replaced is summed per project and person into the ``HoursImport``
    record, then goes in one DELETE; the new entries, ``count`` in all, go into the
    table in bulk, each pointing to the record. The caller has checked that no
    stored entry straddles the period's edges (``straddling_entries``). All or
    nothing.
    """
    inside = TimeEntry.objects.filter(center=center, start__gte=start, end__lte=end).order_by()
    totals = inside.values_list("project__number", "person__name").annotate(
        rows=Count("id"), total=Sum("hours")
    )
    replaced = [
        {"project": number, "person": name, "rows": rows, "hours": f"{total:.2f}"}
        for number, name, rows, total in sorted(totals, key=lambda t: (t[0], t[1] or ""))
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
    written = insert_entries(batch, entries, count=count)
    # The entries go without signals: the centre's data version is raised here.
    versions.touched(center.pk)
    if written != count:  # pragma: no cover - the importer counts what it hands over
        raise RuntimeError(f"{written} entries written, {count} expected")
    return batch, batch.rows_replaced


def insert_entries(batch: HoursImport, entries: Iterable[EntryRow], *, count: int) -> int:
    """Write the ``count`` new entries of ``batch``'s centre in bulk; return how many went.

    Each gets a version 7 ``uid``, ``batch``'s time as its created and updated
    time, and points to ``batch``. ``COPY`` on PostgreSQL (lines made with one
    f-string), ``executemany`` on SQLite. All or nothing.
    """
    stamp = connection.ops.adapt_datetimefield_value(batch.created_at)
    center, pk = batch.center_id, batch.pk
    uids = uid_hex(count)
    null = "\\N"
    if connection.vendor == "postgresql":
        return copy_lines(
            TimeEntry,
            ENTRY_COLUMNS,
            (
                f"{center}\t{uid}\t{stamp}\t{stamp}\t{null if person is None else person}"
                f"\t{project}\t{first}\t{last}\t{hours}\t{pk}\n"
                for uid, (person, project, first, last, hours) in zip(uids, entries, strict=True)
            ),
        )
    return insert_rows(
        TimeEntry,
        ENTRY_COLUMNS,
        (
            (center, uid, stamp, stamp, person, project, first, last, hours, pk)
            for uid, (person, project, first, last, hours) in zip(uids, entries, strict=True)
        ),
    )


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
    return (
        TimeEntry.objects.filter(center=center)
        .filter(Q(start__lt=start, end__gte=start) | Q(start__lte=end, end__gt=end))
        .count()
    )


def save_with_history(objects: Iterable[Model], user: Any = None) -> None:
    """Save single objects so that their history names ``user``."""
    for obj in objects:
        if user is not None:
            obj._history_user = user  # type: ignore[attr-defined]
        obj.save()

"""Writes for hours, staff and FTE; each runs in one transaction and keeps history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.models import Center

from .models import HoursColumnMapping, TimeEntry

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


@transaction.atomic
def replace_time_entries(
    *, center: Center, user: Any, start: dt.date, end: dt.date, entries: Sequence[TimeEntry]
) -> int:
    """Replace the centre's hours for ``start``–``end`` by ``entries``; return how many went.

    Entries lying wholly inside the period are deleted (with history), then the new
    ones are inserted in batches. The caller has checked that no stored entry
    straddles the period's edges.
    """
    old = TimeEntry.objects.filter(center=center, start__gte=start, end__lte=end)
    replaced = bulk_delete_with_history(old, user)
    insert_time_entries(center, entries, user)
    return replaced


def insert_time_entries(center: Center, entries: Sequence[TimeEntry], user: Any = None) -> None:
    """Insert many entries and their «created» history rows with ``executemany``.

    ``bulk_create`` spends most of its time building and preparing model
    instances value by value; an hours export is hundreds of thousands of rows
    of five simple values, so they are adapted here once per distinct value and
    written in batches. The new ids are read back by ``uid`` for the history.
    """
    if not entries:
        return
    ops = connection.ops
    now = timezone.now()
    stamp = ops.adapt_datetimefield_value(now)
    uid_field = TimeEntry._meta.get_field("uid")
    dates: dict[dt.date, Any] = {}
    hours: dict[Decimal, Any] = {}

    def date(value: dt.date) -> Any:
        if value not in dates:
            dates[value] = ops.adapt_datefield_value(value)
        return dates[value]

    def decimal(value: Decimal) -> Any:
        if value not in hours:
            hours[value] = ops.adapt_decimalfield_value(value, 9, 2)
        return hours[value]

    uids = [uid_field.get_db_prep_value(uuid.uuid4(), connection) for _ in entries]
    rows = [
        (center.pk, uid, stamp, stamp, e.person_id, e.project_id, date(e.start), date(e.end),
         e.granularity, decimal(e.hours))
        for e, uid in zip(entries, uids, strict=True)
    ]  # fmt: skip
    columns = (
        'center_id, uid, created_at, updated_at, person_id, project_id, start, "end", '
        "granularity, hours"
    )
    table = connection.ops.quote_name(TimeEntry._meta.db_table)
    history_table = connection.ops.quote_name(TimeEntry.history.model._meta.db_table)  # type: ignore[attr-defined]
    marks = ", ".join(["%s"] * 10)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), _BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[i : i + _BATCH]
            )
        ids: dict[Any, int] = {}
        for i in range(0, len(uids), _BATCH):
            chunk = uids[i : i + _BATCH]
            cursor.execute(
                f"SELECT uid, id FROM {table} WHERE uid IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            ids.update({str(u).replace("-", ""): pk for u, pk in cursor.fetchall()})
        user_id = getattr(user, "pk", None)
        history = [
            (ids[str(row[1]).replace("-", "")], *row, stamp, None, "+", user_id) for row in rows
        ]
        history_columns = (
            f"id, {columns}, history_date, history_change_reason, history_type, history_user_id"
        )
        history_marks = ", ".join(["%s"] * 15)
        for i in range(0, len(history), _BATCH):
            cursor.executemany(
                f"INSERT INTO {history_table} ({history_columns}) VALUES ({history_marks})",
                history[i : i + _BATCH],
            )


_BATCH = 5000


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


def straddling_entries(center: Center, start: dt.date, end: dt.date) -> QuerySet[TimeEntry]:
    """Stored entries that lie partly inside and partly outside ``start``–``end``."""
    return TimeEntry.objects.filter(center=center).filter(
        Q(start__lt=start, end__gte=start) | Q(start__lte=end, end__gt=end)
    )


def save_with_history(objects: Iterable[Model], user: Any = None) -> None:
    """Save single objects so that their history names ``user``."""
    for obj in objects:
        if user is not None:
            obj._history_user = user  # type: ignore[attr-defined]
        obj.save()

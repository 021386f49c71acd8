"""New records from an import's values, a column at a time, with their «created» history.

``oppdrag.core.bulk.create_with_history`` takes model instances: building one per
row and preparing its values field by field cost an events import more than the
database's own work. ``insert_records`` takes the values as they come out of the
importer's cleaners (one dict per record, field names as keys) and prepares each
field's column once per distinct value: the same dates, choices, series and
counts come back on thousands of rows. The records and one «created» history row
each (who, when: what the detail page's history shows) go in through
``oppdrag.core.bulk.insert_rows`` (COPY on PostgreSQL, executemany on SQLite),
all or nothing. No signals are sent, as with ``create_with_history``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from oppdrag.core.bulk import insert_rows, reserve_ids, uid_hex

# Field types whose database value is the Python string itself.
_TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}


def insert_records(
    model: type[models.Model],
    records: Sequence[Mapping[str, Any]],
    *,
    fixed: Mapping[str, Any] | None = None,
    user: Any = None,
    using: str = DEFAULT_DB_ALIAS,
) -> list[int]:
    """Insert one ``model`` record per mapping in ``records``; return their keys in order.

    A mapping holds values by field name (a model instance or its key for a
    foreign key); ``fixed`` holds values shared by every record (``center``,
    ``year``). A field in neither gets its default; a ``UUIDField`` with a
    callable default gets a fresh version 7 UUID (``uid_hex``), ``auto_now``
    and ``auto_now_add`` fields the time of the import. Every record gets a
    «created» history row by ``user`` when the model keeps history. Call inside
    ``transaction.atomic`` (the keys are reserved first, ``reserve_ids``).
    """
    count = len(records)
    if not count:
        return []
    connection = connections[using]
    fixed = dict(fixed or {})
    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    named = {name for record in records for name in record}
    for name in [*named, *fixed]:
        model._meta.get_field(name)  # an unknown name is an error, not a silent drop
    pk_name = model._meta.pk.name  # type: ignore[union-attr]
    with transaction.atomic(using=using):
        # Keys the records bring (a UUID primary key restored from an archive) are
        # theirs; otherwise they are reserved.
        if pk_name in named:
            ids = [record[pk_name] for record in records]
        else:
            ids = reserve_ids(model, count, using=using)
        columns: list[Iterable[Any]] = []
        for field in fields:
            columns.append(_column(field, records, fixed, named, ids, count, now, connection))
        prepared = [list(column) for column in columns]
        insert_rows(model, [f.attname for f in fields], zip(*prepared, strict=True), using=using)
        history = getattr(model, "history", None)
        if history is not None:
            _insert_history(history.model, fields, prepared, count, now, user, using)
    return ids


def _column(
    field: models.Field[Any, Any],
    records: Sequence[Mapping[str, Any]],
    fixed: Mapping[str, Any],
    named: set[str],
    ids: list[int],
    count: int,
    now: Any,
    connection: Any,
) -> Iterable[Any]:
    """One field's database values for every record."""
    if field.primary_key and field.name not in named:
        return ids
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return itertools.repeat(field.get_db_prep_save(now, connection), count)
    name = field.name
    if name in fixed:
        value = _key(fixed[name]) if field.is_relation else fixed[name]
        return itertools.repeat(field.get_db_prep_save(value, connection), count)
    if name not in named:
        if isinstance(field, models.UUIDField) and callable(field.default):
            return uid_hex(count)
        return itertools.repeat(field.get_db_prep_save(field.get_default(), connection), count)
    default = field.get_default()
    values: Iterable[Any] = (record.get(name, default) for record in records)
    if field.is_relation:
        values = map(_key, values)
    if field.get_internal_type() in _TEXT_TYPES:
        # A string is stored as it is; anything else goes through the field.
        return [
            value if value.__class__ is str else field.get_db_prep_save(value, connection)
            for value in values
        ]
    return _prepared_by_value(field, values, connection)


def _key(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _prepared_by_value(
    field: models.Field[Any, Any], values: Iterable[Any], connection: Any
) -> Iterator[Any]:
    """``field.get_db_prep_save`` of each value, worked out once per distinct value."""
    cache: dict[tuple[type, Any], Any] = {}
    for value in values:
        # The type is part of the key: True == 1 and Decimal("1") == 1.
        key = (value.__class__, value)
        try:
            yield cache[key]
        except KeyError:
            cache[key] = prepared = field.get_db_prep_save(value, connection)
            yield prepared
        except TypeError:  # unhashable (a JSON list or object): prepared every time
            yield field.get_db_prep_save(value, connection)


def _insert_history(
    history_model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    prepared: list[list[Any]],
    count: int,
    now: Any,
    user: Any,
    using: str,
) -> None:
    """One «created» history row per record, from the records' own prepared columns."""
    connection = connections[using]
    by_attname = {f.attname: column for f, column in zip(fields, prepared, strict=True)}
    fixed = {
        "history_date": connection.ops.adapt_datetimefield_value(now),
        "history_type": "+",
        "history_change_reason": None,
        "history_user_id": getattr(user, "pk", None),
    }
    names: list[str] = []
    # ``itertools.repeat`` columns end with the records' own.
    columns: list[Iterable[Any]] = []
    for field in history_model._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        names.append(field.attname)
        if field.attname in by_attname:
            columns.append(by_attname[field.attname])
        elif field.attname in fixed:
            columns.append(itertools.repeat(fixed[field.attname], count))
        else:
            raise ValueError(f"unknown history field {field.attname}")
    insert_rows(history_model, names, zip(*columns, strict=False), using=using)

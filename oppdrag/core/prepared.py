"""Querysets compiled to SQL once per process and run again with new values.

Building a queryset (its lookups, joins and select list) and compiling it to SQL costs
Django a few tenths of a millisecond. The annual report runs some thirty small queries
whose shape never changes from one build to the next, only the centre and the year do,
and compiling them was a quarter of a build (the database ran them in a fraction of
that). A ``PreparedQuery`` builds its queryset from placeholder values, compiles it once
per database (alias) and process, and afterwards only puts the real values into the parameters:
no queryset, no compiler. Results go through the same converters Django applies, so
rows are what ``values_list`` returns.

The placeholders are integers and dates. The queryset is compiled twice with
two different sets of them, and preparing fails at once (``ImproperlyConfigured``) unless
the SQL is the same both times and every parameter that differs is one placeholder in
both. So a value that Django writes into the SQL text, or a filter whose SQL depends on
the value (``None`` becoming ``IS NULL``, the length of an ``__in`` list), is refused
rather than run with the wrong values. Build functions must pass the values on as they
are: arithmetic on a placeholder (``year - 1``) gives a value that is no placeholder,
so take it as a placeholder of its own.

``PreparedRecords`` does the same for model instances: the record's own columns and
those of the ``select_related`` relations in one statement, each row made an instance
without ``Model.__init__`` (that per-field work was another tenth of the report), as
``Model.from_db`` would make it, unless a model has ``pre_init``/``post_init``
receivers, when ``from_db`` is used.

Kept because the report misses its target by more without it: plain querysets in its
place made the report's build 38–62 % dearer in CPU and its ratio to the floor 5.1–8.1
instead of 3.8–4.7 (bench/README.md, «Prepared queries, proved again», 2026-12-08).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.expressions import ColPairs  # type: ignore[attr-defined]

Kind = type[int] | type[dt.date]


def _placeholders(kinds: Sequence[Kind], round_: int) -> list[Any]:
    """Values different in each round and position. The integers fit the smallest
    positive integer field (Django compiles a value out of a field's range to "no
    rows" instead of SQL); that one might equal a constant of the query does no harm,
    since a constant is the same in both rounds."""
    values: list[Any] = []
    for index, kind in enumerate(kinds):
        if kind is int:
            values.append(29_017 + 101 * index + 1_009 * round_)
        elif kind is dt.date:
            values.append(dt.date(1111 + 37 * index + 500 * round_, 3 + round_, 17 - index % 9))
        else:
            raise TypeError(f"a placeholder is an int or a date, not {kind!r}")
    return values


def _adapter(kind: Kind, connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    return connection.ops.adapt_datefield_value if kind is dt.date else int  # type: ignore[return-value]


class _Compiled:
    """A prepared query's SQL, parameter slots and selected expressions for one database.

    Nothing here refers to a connection (a thread's connection object would otherwise be
    kept alive by the cache): values are adapted and rows converted with the connection
    of each call.
    """

    def __init__(self, prepared: PreparedQuery, connection: BaseDatabaseWrapper):
        self.kinds = prepared.kinds
        compiled = []
        for round_ in (0, 1):
            values = _placeholders(prepared.kinds, round_)
            compiler = prepared.build(*values).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            adapted = [
                _adapter(kind, connection)(value)
                for kind, value in zip(prepared.kinds, values, strict=True)
            ]
            compiled.append((compiler, sql, list(params), adapted))
        (compiler, sql, params, first), (_c, other_sql, other_params, second) = compiled
        where = f"prepared query {prepared.name}"
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(f"{where}: its SQL depends on the values")
        # Per parameter: the placeholder's position, or None for a constant (kept as is).
        self.slots: list[int | None] = []
        for value, other in zip(params, other_params, strict=True):
            if value == other:
                self.slots.append(None)
                continue
            matches = [
                index
                for index, (a, b) in enumerate(zip(first, second, strict=True))
                if value == a and other == b
            ]
            if len(matches) != 1:
                raise ImproperlyConfigured(
                    f"{where}: a parameter is computed from a placeholder ({value!r})"
                )
            self.slots.append(matches[0])
        self.constants = params
        self.sql = sql
        self.fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if any(isinstance(field, ColPairs) for field in self.fields):
            raise ImproperlyConfigured(f"{where}: a composite key is not supported")

    def parameters(self, values: Sequence[Any], connection: BaseDatabaseWrapper) -> list[Any]:
        adapted = [
            _adapter(kind, connection)(value)
            for kind, value in zip(self.kinds, values, strict=True)
        ]
        return [
            constant if slot is None else adapted[slot]
            for slot, constant in zip(self.slots, self.constants, strict=True)
        ]

    def converters(self, connection: BaseDatabaseWrapper) -> list[tuple[int, list[Any], Any]]:
        """Per selected column that has any: its position, converters and expression, as
        ``SQLCompiler.get_converters`` finds them (backend's first, then the field's)."""
        found = []
        for position, expression in enumerate(self.fields):
            converters = connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection)
            if converters:
                found.append((position, converters, expression))
        return found


class PreparedQuery:
    """A ``values_list`` queryset of placeholder values, compiled once per database.

    ``build`` takes one value per entry of ``kinds`` (``int`` or ``datetime.date``) and
    returns a ``values_list`` queryset (not flat, not named). ``rows(*values)`` returns
    what ``list(build(*values))`` would, as tuples.
    """

    def __init__(self, name: str, build: Callable[..., models.QuerySet[Any]], *kinds: Kind):
        self.name = name
        self.build = build
        self.kinds = kinds
        # By database alias and backend: every connection of an alias (one per thread)
        # compiles the same SQL.
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def compiled(self, using: str = DEFAULT_DB_ALIAS) -> _Compiled:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self, connection)
        return compiled

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        if len(values) != len(self.kinds):
            raise TypeError(f"{self.name} takes {len(self.kinds)} values, got {len(values)}")
        compiled = self.compiled(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.parameters(values, connection))
            rows = cursor.fetchall()
        converters = compiled.converters(connection)
        if not converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            cells = list(row)
            for position, functions, expression in converters:
                value = cells[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                cells[position] = value
            converted.append(tuple(cells))
        return converted


def _attnames(model: type[models.Model], leave_out: Sequence[str] = ()) -> list[str]:
    return [
        str(field.attname)
        for field in model._meta.concrete_fields
        if field.name not in leave_out and field.attname not in leave_out
    ]


def _maker(model: type[models.Model], names: list[str], db: str) -> Callable[[Sequence[Any]], Any]:
    """A function making an instance of ``model`` from values of the columns ``names``."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return lambda values: model.from_db(db, names, values)

    def make(values: Sequence[Any]) -> Any:
        # What Model.from_db leaves behind: the loaded columns in __dict__ (a column
        # left out loads on access, as a deferred one does) and a state of a saved row.
        instance = model.__new__(model)
        instance.__dict__.update(zip(names, values, strict=True))
        state = instance._state = ModelState()
        state.adding = False
        state.db = db
        return instance

    return make


class PreparedRecords:
    """Model instances of a filtered queryset, loaded through a ``PreparedQuery``.

    ``build`` takes the placeholder values and returns a queryset of ``model``
    (filtered and ordered; no ``values``). ``related`` are forward foreign keys
    loaded with the record as ``select_related`` would; ``leave_out`` are fields not
    loaded (they load on access, one query each, as deferred fields do).
    """

    def __init__(
        self,
        name: str,
        model: type[models.Model],
        build: Callable[..., models.QuerySet[Any]],
        *kinds: Kind,
        related: Sequence[str] = (),
        leave_out: Sequence[str] = (),
    ):
        self.model = model
        self.names = _attnames(model, leave_out)
        # Per relation: its name, model, columns, where they stand in a row, and where
        # among them its primary key is.
        self.related: list[tuple[str, type[models.Model], list[str], slice, int]] = []
        columns = list(self.names)
        for name_ in related:
            field = model._meta.get_field(name_)
            target = field.related_model
            if not field.many_to_one or not isinstance(target, type):
                raise ImproperlyConfigured(f"{name}: {name_} is not a forward foreign key")
            names = _attnames(target)
            where = slice(len(columns), len(columns) + len(names))
            pk_index = names.index(str(target._meta.pk.attname))  # type: ignore[attr-defined]
            self.related.append((name_, target, names, where, pk_index))
            columns.extend(f"{name_}__{attname}" for attname in names)
        self.query = PreparedQuery(
            name, lambda *values: build(*values).values_list(*columns), *kinds
        )

    def load(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        rows = self.query.rows(*values, using=using)
        # Made per call: whether a model has init receivers can change at run time.
        make = _maker(self.model, self.names, using)
        parts = [
            (name, _maker(target, names, using), where, pk_index)
            for name, target, names, where, pk_index in self.related
        ]
        width = len(self.names)
        records = []
        for row in rows:
            record = make(row[:width])
            cache = record._state.fields_cache
            for name, make_related, where, pk_index in parts:
                values = row[where]
                cache[name] = None if values[pk_index] is None else make_related(values)
            records.append(record)
        return records

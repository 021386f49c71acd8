"""Querysets compiled to SQL once per process and run again with new values.

Building a queryset (its lookups, joins and select list) and compiling it to SQL costs
Django a few tenths of a millisecond. The annual report runs some thirty small queries
whose shape never changes from one build to the next, only the centre and the year do,
and compiling them was a quarter of a build (the database ran them in a fraction of
that). A ``PreparedQuery`` builds its queryset from placeholder values, compiles it once
per database connection, and afterwards only puts the real values into the parameters:
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
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import signals
from django.db.models.base import ModelState

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


class _Compiled:
    """One connection's SQL, parameter slots and converters of a prepared query."""

    def __init__(self, prepared: PreparedQuery, connection: BaseDatabaseWrapper):
        ops = connection.ops
        self.adapters: list[Callable[[Any], Any]] = [
            ops.adapt_datefield_value if kind is dt.date else int  # type: ignore[misc]
            for kind in prepared.kinds
        ]
        compiled = []
        for round_ in (0, 1):
            values = _placeholders(prepared.kinds, round_)
            compiler = prepared.build(*values).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            adapted = [adapt(value) for adapt, value in zip(self.adapters, values, strict=True)]
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
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.compiler = compiler
        self.converters = compiler.get_converters(fields)

    def parameters(self, values: Sequence[Any]) -> list[Any]:
        adapted = [adapt(value) for adapt, value in zip(self.adapters, values, strict=True)]
        return [
            constant if slot is None else adapted[slot]
            for slot, constant in zip(self.slots, self.constants, strict=True)
        ]


class PreparedQuery:
    """A ``values_list`` queryset of placeholder values, compiled once per connection.

    ``build`` takes one value per entry of ``kinds`` (``int`` or ``datetime.date``) and
    returns a ``values_list`` queryset (not flat, not named). ``rows(*values)`` returns
    what ``list(build(*values))`` would, as tuples.
    """

    def __init__(self, name: str, build: Callable[..., models.QuerySet[Any]], *kinds: Kind):
        self.name = name
        self.build = build
        self.kinds = kinds
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )

    def compiled(self, using: str = DEFAULT_DB_ALIAS) -> _Compiled:
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = _Compiled(self, connection)
        return compiled

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        if len(values) != len(self.kinds):
            raise TypeError(f"{self.name} takes {len(self.kinds)} values, got {len(values)}")
        compiled = self.compiled(using)
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, compiled.parameters(values))
            rows = cursor.fetchall()
        if compiled.converters:
            return [
                tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)
            ]
        return [tuple(row) for row in rows]


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
        self.related: list[tuple[str, type[models.Model], list[str]]] = []
        columns = list(self.names)
        for name_ in related:
            field = model._meta.get_field(name_)
            target = field.related_model
            if not field.many_to_one or not isinstance(target, type):
                raise ImproperlyConfigured(f"{name}: {name_} is not a forward foreign key")
            names = _attnames(target)
            self.related.append((name_, target, names))
            columns.extend(f"{name_}__{attname}" for attname in names)
        self.query = PreparedQuery(
            name, lambda *values: build(*values).values_list(*columns), *kinds
        )

    def load(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        rows = self.query.rows(*values, using=using)
        make = _maker(self.model, self.names, using)
        width = len(self.names)
        parts = []
        start = width
        for name, target, names in self.related:
            pk_index = names.index(str(target._meta.pk.attname))  # type: ignore[union-attr]
            parts.append((name, _maker(target, names, using), start, start + len(names), pk_index))
            start += len(names)
        records = []
        for row in rows:
            record = make(row[:width])
            cache = record._state.fields_cache
            for name, make_related, begin, end, pk_index in parts:
                values = row[begin:end]
                cache[name] = None if values[pk_index] is None else make_related(values)
            records.append(record)
        return records

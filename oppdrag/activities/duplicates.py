"""Which registered records a new one probably repeats, asked before it is saved.

The rules are the report's duplicate checks (``oppdrag.reports.checks``) turned
around: there they find pairs among saved records, here they find the saved records
a record about to be saved would pair with. A record probably exists already when
one of the same kind and year

- has the same title (compared as ``fold`` compares names) and the same date, or
  the same title and the same count (participants, visits) — two undated records
  with the same title count as the same date;
- for events, has the same date and the same participant count
  (``check_duplicate_events``), whatever the title.

Kinds whose records are told apart by more than title and date name those fields in
``same`` (two advice requests about the same topic on the same day from two
municipalities are two requests).

``probable_duplicates`` answers for one record; ``DuplicateIndex`` reads a centre's
records for the years involved once and answers for many (an upload's rows) in time
linear in the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from oppdrag.core.models import Center
from oppdrag.core.parsing import fold

from . import models as m


@dataclass(frozen=True)
class Signature:
    """The fields of a kind that decide whether two records are the same one."""

    title: str
    date: str | None = "date"
    count: str | None = None
    same: tuple[str, ...] = ()
    yearly: bool = True
    # Events: the same date and participant count, whatever the title.
    date_and_count: bool = False


SIGNATURES: dict[type[Model], Signature] = {
    m.Event: Signature("title", "date_start", "participants", date_and_count=True),
    m.Presentation: Signature("title"),
    m.OpEd: Signature("title"),
    m.ConsultationResponse: Signature("title"),
    m.Publication: Signature("title"),
    m.MediaAppearance: Signature("title"),
    m.Group: Signature("name", date=None),
    m.WebArticle: Signature("title", count="visits"),
    m.AdviceRequest: Signature("topic", same=("municipality", "district", "organization", "team")),
    m.TopicPage: Signature("name", date=None, yearly=False),
}


def _plain(value: Any) -> Any:
    """A value as stored: related objects by key, lists as sorted tuples."""
    if isinstance(value, Model):
        return value.pk
    return value


def _value(data: Mapping[str, Any], name: str) -> Any:
    if name in data:
        return _plain(data[name])
    return _plain(data.get(f"{name}_id"))


def _keys(signature: Signature, data: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The keys under which a record with ``data`` meets the records it repeats."""
    year = _value(data, "year") if signature.yearly else None
    same = tuple(_value(data, name) or None for name in signature.same)
    title = fold(str(data.get(signature.title) or ""))
    date = _value(data, signature.date) if signature.date else None
    count = _value(data, signature.count) if signature.count else None
    keys: list[tuple[Any, ...]] = []
    if title:
        keys.append(("date", year, same, title, date))
        if count is not None:
            keys.append(("count", year, same, title, count))
    if signature.date_and_count and isinstance(date, dt.date) and count:
        keys.append(("date-and-count", year, date, count))
    return keys


class DuplicateIndex:
    """A centre's records of one kind in the given years, indexed by what makes them
    the same; ``find`` answers for one record's data without a query."""

    def __init__(self, model: type[Model], center: Center, years: Iterable[int] = ()):
        self.signature = SIGNATURES[model]
        fields = {"uid", self.signature.title}
        if self.signature.yearly:
            fields.add("year")
        fields.update(
            f"{name}_id" if _is_relation(model, name) else name for name in self.signature.same
        )
        for name in (self.signature.date, self.signature.count):
            if name:
                fields.add(name)
        rows = model._default_manager.filter(center=center)  # type: ignore[attr-defined]
        if self.signature.yearly:
            rows = rows.filter(year__in=sorted(set(years)))
        self.by_key: dict[tuple[Any, ...], list[Model]] = defaultdict(list)
        for record in rows.only(*fields).order_by("id"):
            values = {name: getattr(record, name) for name in fields}
            for key in _keys(self.signature, values):
                self.by_key[key].append(record)

    def find(self, data: Mapping[str, Any], *, exclude: Model | None = None) -> list[Model]:
        """The indexed records a record with ``data`` probably repeats, oldest first."""
        found: dict[int, Model] = {}
        for key in _keys(self.signature, data):
            for record in self.by_key.get(key, ()):
                if exclude is None or record.pk != exclude.pk:
                    found.setdefault(record.pk, record)
        return sorted(found.values(), key=lambda record: record.pk)


def _is_relation(model: type[Model], name: str) -> bool:
    return model._meta.get_field(name).is_relation


def probable_duplicates(
    model: type[Model],
    center: Center,
    data: Mapping[str, Any],
    *,
    exclude: Model | None = None,
) -> list[Model]:
    """The centre's saved records of ``model`` that a record with ``data`` (field names
    to cleaned values) probably repeats; ``exclude`` is the record being changed."""
    if model not in SIGNATURES:
        return []
    years = [data["year"]] if data.get("year") is not None else []
    if SIGNATURES[model].yearly and not years:
        return []
    return DuplicateIndex(model, center, years).find(data, exclude=exclude)

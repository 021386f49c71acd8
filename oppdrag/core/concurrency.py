"""Lost updates: a version token for what a record holds, for forms and the API alike.

The token is a hash of the record's editable fields as stored (links as sorted keys),
so it changes with every real change and needs no column of its own. An edit form
carries the values it was shown, signed, in a hidden field; the API sends the token
as the ``ETag`` and honours ``If-Match``. A save checks the token against the row,
locked, in the saving transaction, and is refused with the fields someone else has
changed in the meantime (``Conflict``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

SALT = "oppdrag.core.concurrency"


@dataclass(frozen=True)
class Change:
    """A field someone else changed: its label and its value now."""

    label: str
    value: str


class Conflict(Exception):
    """The record was changed by someone else since the token was taken."""

    def __init__(self, changes: list[Change]):
        super().__init__(", ".join(c.label for c in changes))
        self.changes = changes

    def message(self) -> str:
        if not self.changes:
            return _("Posten er endret av noen andre siden du åpnet den. Se over og lagre på nytt.")
        listed = "; ".join(
            _("{label}: «{value}»").format(label=c.label, value=c.value) for c in self.changes
        )
        return _(
            "Noen andre har lagret endringer i posten mens du arbeidet med den: {changes}. "
            "Det du har skrevet, er ikke lagret ennå. Se over og lagre på nytt."
        ).format(changes=listed)


def _fields(model: type[models.Model]) -> list[Any]:
    opts = model._meta
    concrete = [f for f in opts.concrete_fields if f.editable and not f.primary_key]
    return [*concrete, *opts.many_to_many]


def stored_values(instance: models.Model) -> dict[str, Any]:
    """The record's editable values as JSON-able data (links as sorted primary keys)."""
    values: dict[str, Any] = {}
    for field in _fields(type(instance)):
        if field.many_to_many:
            values[field.name] = sorted(str(o.pk) for o in getattr(instance, field.name).all())
        else:
            values[field.name] = field.value_to_string(instance)
    return values


def token(values: dict[str, Any]) -> str:
    data = json.dumps(values, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def etag(instance: models.Model) -> str:
    return f'"{token(stored_values(instance))}"'


def from_if_match(header: str | None) -> str | None:
    """The token of an ``If-Match`` header (None when absent; ``*`` matches anything)."""
    if not header or header.strip() == "*":
        return None
    return header.strip().removeprefix("W/").strip('"')


def seal(instance: models.Model) -> str:
    """What an edit form carries: the values it shows, signed."""
    return seal_values(stored_values(instance))


def seal_values(values: dict[str, Any]) -> str:
    """``values`` signed, for a form that edits something other than one record."""
    return signing.dumps(values, salt=SALT, compress=True)


def unseal(sealed: str) -> dict[str, Any]:
    """The values a form was shown; a missing or forged value gives an empty dict."""
    try:
        values = signing.loads(sealed, salt=SALT)
    except signing.BadSignature:
        return {}
    return values if isinstance(values, dict) else {}


def differing(seen: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """The keys whose value is not what was seen (none listed when nothing was seen)."""
    return [key for key in now if seen and seen.get(key) != now[key]]


def check(instance: models.Model, *, expected: str, seen: dict[str, Any] | None = None) -> None:
    """Lock the record's row and raise ``Conflict`` unless it still has the token
    ``expected``. Call inside the transaction that saves; ``seen`` (the values the
    user was shown) lets the conflict name the fields that changed."""
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    now = stored_values(current)
    if token(now) == expected:
        return
    changed = set(differing(seen or {}, now))
    raise Conflict(
        [
            Change(capfirst(str(f.verbose_name)), display(current, f))
            for f in _fields(model)
            if f.name in changed
        ]
    )


def check_sealed(instance: models.Model, sealed: str) -> None:
    """``check`` against the values an edit form was shown."""
    seen = unseal(sealed)  # a form without it is refused, without a list
    check(instance, expected=token(seen) if seen else "", seen=seen)


def display(instance: models.Model, field: Any) -> str:
    if field.many_to_many:
        return ", ".join(str(o) for o in getattr(instance, field.name).all()) or _("(tom)")
    if field.choices:
        value = getattr(instance, f"get_{field.name}_display")()
    else:
        value = getattr(instance, field.name)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    return _("(tom)") if value in (None, "") else str(value)

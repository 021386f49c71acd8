"""A municipality typed by name or number, for the list filters.

A select of every municipality a centre's records name is some 400 options at
national scale, and rendering them was most of a list page's time. The filter
is a text input instead: the browser suggests names from the lookup endpoint
(``web/lookups.py``, through ``static/web/lookup_input.js``), and whatever is
typed, suggested or not, is resolved here: a four-digit municipality number, an
exact name (case and accents forgiven), or a part of a name that only one
municipality has. Anything else is answered with a message that says what to
type, and the list is not filtered by a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oppdrag.core.models import Municipality
from oppdrag.core.parsing import fold, normalize_space, suggest

from .widgets import LookupInput

MAX_CHARS = 100  # the longest name is 31 characters; longer input is not a name
SHOWN = 5  # names listed when a typed text fits several municipalities
NUMBER = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Place:
    """What resolving needs of a municipality."""

    pk: int
    name: str
    number: str
    county: str
    current: bool


class Unresolved(ValueError):
    """A typed text that names no single municipality; ``str()`` says why, in Norwegian."""


def _names(places: Sequence[Place]) -> str:
    shown = [f"«{p.name}»" for p in places[:SHOWN]]
    if len(places) > SHOWN:
        shown.append(_("{count} til").format(count=len(places) - SHOWN))
    return ", ".join(shown)


def _by_number(number: str, rest: str, places: Sequence[Place]) -> Place:
    found = sorted((p for p in places if p.number == number), key=lambda p: not p.current)
    if not found:
        raise Unresolved(_("Ingen kommune har nummeret {number}.").format(number=number))
    place = found[0]
    if rest and fold(rest) != fold(place.name):
        raise Unresolved(
            _("Kommunenummer {number} er {name}, ikke «{typed}».").format(
                number=number, name=place.name, typed=rest
            )
        )
    return place


def resolve(text: str, places: Sequence[Place]) -> Place:
    """The one municipality ``text`` names among ``places``, or ``Unresolved``.

    In this order: a four-digit number (with or without the name beside it, as
    «Herøy (1818)»); the exact name, a current municipality before a former one;
    a part of the name only one current municipality has. Linear in the number of
    places; the text is at most ``MAX_CHARS`` long.
    """
    typed = normalize_space(text)
    if len(typed) > MAX_CHARS:
        raise Unresolved(
            _("Kommunenavnet er for langt ({chars} tegn). Skriv høyst {max} tegn.").format(
                chars=len(typed), max=MAX_CHARS
            )
        )
    numbers = NUMBER.findall(typed)
    if len(numbers) == 1 and sum(c.isdigit() for c in typed) == 4:
        rest = normalize_space(typed.replace(numbers[0], " ").replace("(", " ").replace(")", " "))
        return _by_number(numbers[0], rest.strip(" ,"), places)
    key = fold(typed)
    exact = [p for p in places if fold(p.name) == key]
    current = [p for p in exact if p.current] or exact
    if len(current) == 1:
        return current[0]
    if current:
        listed = ", ".join(
            _("{number} i {county}").format(number=p.number, county=p.county) for p in current
        )
        raise Unresolved(
            _("Flere kommuner heter {name}: {listed}. Skriv nummeret, som «{example}».").format(
                name=current[0].name,
                listed=listed,
                example=f"{current[0].name} ({current[0].number})",
            )
        )
    partial = [p for p in places if p.current and key in fold(p.name)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise Unresolved(
            _("«{typed}» passer flere kommuner: {names}. Skriv hele navnet.").format(
                typed=typed, names=_names(partial)
            )
        )
    close = suggest(typed, [p.name for p in places if p.current])
    message = _("Ingen kommune heter «{typed}».").format(typed=typed)
    if close:
        hint = _("Mente du {names}?").format(names=_(" eller ").join(f"«{c}»" for c in close))
        message = f"{message} {hint}"
    raise Unresolved(f"{message} " + _("Skriv navnet eller kommunenummeret."))


def resolve_municipality(text: str) -> Municipality:
    """``resolve`` among every municipality, former ones included (records name
    them): one query, whatever is typed."""
    known = {
        mu.pk: mu for mu in Municipality.objects.select_related("county").order_by("name", "number")
    }
    places = [
        Place(mu.pk, mu.name, mu.number, mu.county.name, mu.valid_to is None)
        for mu in known.values()
    ]
    return known[resolve(text, places).pk]


class MunicipalityField(forms.CharField):
    """A typed municipality, cleaned to the ``Municipality`` it names (``None`` if empty)."""

    widget = LookupInput

    def __init__(self, *, lookup_url: str = "", **kwargs: Any):
        kwargs.setdefault("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        if lookup_url:
            self.widget.attrs["data-lookup-url"] = lookup_url

    def clean(self, value: Any) -> Municipality | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return resolve_municipality(text)
        except Unresolved as problem:
            raise ValidationError(str(problem), code="unresolved") from problem

"""Search-as-you-type for reference fields: small JSON answers for the combobox.

One endpoint per reference type, under the centre's URL so only signed-in staff of
a centre reach it. Names that start with the typed text come first; at most
``LIMIT`` answers, in one query.

A name typed in the search field but never chosen from the list is not dropped:
the script sends it as ``<field>-tekst``, and ``ResolvesTypedNames`` either takes
the one record it names (exactly, or as the only match) or refuses the form with
a message on that field, keeping everything else the user wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oppdrag.core.models import Municipality, Organization

from .access import center_view

LIMIT = 20
MAX_QUERY = 100


def _variants(text: str) -> set[str]:
    # SQLite folds case for ASCII letters only; spelling the usual variants out lets
    # «ørland» find «Ørland» there too (PostgreSQL folds them all).
    return {text, text.lower(), text.capitalize(), text.upper(), text.title()}


def matching(queryset: QuerySet[Any], text: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    """Rows whose ``fields`` contain every word of ``text``, best (prefix) matches first."""
    words = text.split()
    for word in words:
        condition = Q()
        for field in fields:
            for variant in _variants(word):
                condition |= Q(**{f"{field}__contains": variant})
        queryset = queryset.filter(condition)
    prefix = Q()
    for variant in _variants(words[0]):
        prefix |= Q(name__startswith=variant)
    return queryset.annotate(
        rank=Case(When(prefix, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("rank", "name", "pk")


def _query(request: HttpRequest) -> str:
    return searchable(request.GET.get("q", ""))[:MAX_QUERY]


def searchable(text: str) -> str:
    """The text with its whitespace collapsed and control characters (NUL among them,
    which PostgreSQL refuses in a query) left out."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


@center_view()
def municipalities(request: HttpRequest) -> JsonResponse:
    text = _query(request)
    if not text:
        return JsonResponse({"results": []})
    rows = matching(
        Municipality.objects.filter(valid_to__isnull=True).select_related("county"),
        text,
        ("name", "number"),
    )[:LIMIT]
    return JsonResponse(
        {
            "results": [
                {"id": mu.pk, "label": mu.name, "detail": f"{mu.number} {mu.county.name}"}
                for mu in rows
            ]
        }
    )


@center_view()
def organizations(request: HttpRequest) -> JsonResponse:
    text = _query(request)
    if not text:
        return JsonResponse({"results": []})
    rows = matching(Organization.objects.all(), text, ("name", "aliases"))[:LIMIT]
    return JsonResponse(
        {
            "results": [
                {"id": org.pk, "label": org.name, "detail": org.get_kind_display()} for org in rows
            ]
        }
    )


# --- names typed but not chosen ------------------------------------------------------

# Candidates named in the message when a typed name fits several records.
NAMED_CANDIDATES = 5


def typed_name(field_name: str) -> str:
    """The form key under which the script sends a field's unchosen search text."""
    return f"{field_name}-tekst"


@dataclass(frozen=True)
class TypedLookup:
    """How a typed name is matched to a record of one reference type."""

    queryset: Callable[[], QuerySet[Any]]
    fields: tuple[str, ...]
    noun: Any  # «kommune», «organisasjon»: the message names what was not found
    describe: Callable[[Any], str] = str

    def resolve(self, text: str) -> tuple[Any | None, list[Any]]:
        """The record ``text`` names, or None and the candidates (none, or several).

        An exact name (any case) wins; otherwise the only record that matches every
        word. At most two queries, each bounded by ``NAMED_CANDIDATES``.
        """
        text = searchable(text)
        if not text:
            return None, []
        queryset = self.queryset()
        exact = Q()
        for variant in _variants(text):
            exact |= Q(name=variant)
        if "number" in self.fields:
            exact |= Q(number=text)
        named = list(queryset.filter(exact).order_by("name", "pk")[: NAMED_CANDIDATES + 1])
        if len(named) == 1:
            return named[0], []
        if named:
            return None, named
        found = list(matching(queryset, text, self.fields)[: NAMED_CANDIDATES + 1])
        if len(found) == 1:
            return found[0], []
        return None, found

    def refusal(self, text: str, candidates: list[Any]) -> str:
        if not candidates:
            return _("Fant ingen {noun} som passer til «{text}». Velg fra listen.").format(
                noun=self.noun, text=text
            )
        names = ", ".join(self.describe(c) for c in candidates[:NAMED_CANDIDATES])
        if len(candidates) > NAMED_CANDIDATES:
            names += " …"
        return _(
            "«{text}» passer til flere: {names}. Skriv mer av navnet og velg fra listen."
        ).format(text=text, names=names)


def _municipality(mu: Any) -> str:
    return f"{mu.name} ({mu.number})"


TYPED_LOOKUPS: dict[str, TypedLookup] = {
    "web:lookup_municipalities": TypedLookup(
        lambda: Municipality.objects.filter(valid_to__isnull=True),
        ("name", "number"),
        gettext_lazy("kommune"),
        _municipality,
    ),
    "web:lookup_organizations": TypedLookup(
        lambda: Organization.objects.all(), ("name", "aliases"), gettext_lazy("organisasjon")
    ),
}


class ResolvesTypedNames(forms.BaseForm):
    """A form whose search-as-you-type fields also take a name typed but not chosen.

    Mixed in before ``forms.ModelForm``; ``search_as_you_type`` marks the fields.
    """

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            lookup: TypedLookup | None = getattr(field, "typed_lookup", None)
            if lookup is None:
                continue
            text = searchable(str(self.data.get(typed_name(name), "")))
            if not text:
                continue
            # Shown again in the search field if the form comes back for any reason.
            field.widget.attrs["data-typed"] = text
            if name not in data:
                continue  # the field has an error of its own already
            chosen = data[name]
            single = not isinstance(field, forms.ModelMultipleChoiceField)
            if single and chosen is not None and str(chosen) == text:
                continue  # the chosen record's own name, as the script shows it
            if len(text) > MAX_QUERY:
                self.add_error(
                    name,
                    _("Søketeksten er lengre enn {limit} tegn. Velg fra listen.").format(
                        limit=MAX_QUERY
                    ),
                )
                continue
            found, candidates = lookup.resolve(text)
            if found is None:
                self.add_error(name, lookup.refusal(text, candidates))
            elif isinstance(field, forms.ModelMultipleChoiceField):
                keys = [record.pk for record in chosen or []] + [found.pk]
                data[name] = field.queryset.filter(pk__in=keys)  # type: ignore[union-attr]
            else:
                data[name] = found
        return data

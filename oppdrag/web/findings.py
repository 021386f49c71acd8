"""Where each data-quality finding is fixed: a link from the dashboard to that page.

A finding about records links to the first record's page (an event's edit form, any
other kind's record page); one about a text slot to the report's writing page; one
about an assignment to the grant; hours findings to the hours page. Anything else
links to the report overview, which lists every finding with its advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from oppdrag.figures.keyfigures import KINDS as KIND_MODELS
from oppdrag.reports.tree import Finding

from .registry import KINDS

# The checks name a registry kind by its report key (``events``); the pages by slug.
SLUG_BY_KIND = {
    key: kind.slug
    for key, model in KIND_MODELS.items()
    for kind in KINDS.values()
    if kind.model is model and key != "events"
}
HOURS_CODES = frozenset({"hours_mismatch"})


@dataclass(frozen=True)
class FixLink:
    """A finding as the dashboard lists it: the message and where to fix it."""

    message: str
    severity: str
    url: str
    label: str


def writing_page(center: str, year: int) -> str:
    # The writing page is its own app's; linked by its address until it is routed here.
    return f"/{center}/rapport/{year}/skriv/"


def fix_link(finding: Finding, center: str, year: int) -> FixLink:
    """The finding with the page where it is fixed."""
    url, label = _target(finding, center, year)
    return FixLink(finding.message, finding.severity, url, label)


def _target(finding: Finding, center: str, year: int) -> tuple[str, str]:
    if finding.code in HOURS_CODES:
        return reverse("web:hours", kwargs={"center": center, "year": year}), _("Åpne timene")
    for record in finding.records:
        if record.kind == "events":
            url = reverse("activities:event_edit", kwargs={"center": center, "uid": record.uid})
            return url, _("Rett arrangementet")
        if record.kind in SLUG_BY_KIND:
            slug = SLUG_BY_KIND[record.kind]
            url = reverse(
                "activities:kind_detail", kwargs={"center": center, "kind": slug, "uid": record.uid}
            )
            return url, _("Åpne registreringen")
        if record.kind == "text_slot":
            return writing_page(center, year), _("Skriv teksten")
        if record.kind == "assignment":
            url = reverse("web:grant_detail", kwargs={"center": center, "year": year})
            return url, _("Åpne tilskuddet")
    url = reverse("reports:overview", kwargs={"center": center, "year": year})
    return url, _("Se funnet i årsrapporten")

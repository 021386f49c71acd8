"""The record kinds the staff interface lists, declared once.

Each kind names its model, its URL segment, the columns shown and exported (the
importer's headers, so an export can be imported again), the relations to
prefetch so a page takes a fixed number of queries, and the importer that reads
uploads of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from oppdrag.activities import models as m

from .exports import EVENT_COLUMNS, event_row


def _date(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _names(links: Any) -> str:
    return ", ".join(link.person.name for link in links.all())


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[Model]
    label: Any
    label_singular: Any
    columns: list[str]
    row: Callable[[Any], list[str]]
    importer: str
    prefetch: tuple[Any, ...] = ()
    select: tuple[str, ...] = ()
    search: tuple[str, ...] = ("title",)
    title_column: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    # The columns holding counts, shown with thin-space thousands (exports keep digits).
    numeric: tuple[int, ...] = ()
    ordering: tuple[str, ...] = ("-year", "id")

    def queryset(self, center: Any) -> QuerySet[Any]:
        qs = self.model._default_manager.filter(center=center)  # type: ignore[attr-defined]
        if self.select:
            qs = qs.select_related(*self.select)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs.order_by(*self.ordering)


def _count(value: Any) -> str:
    return "" if value is None else str(value)


def topic_page_row(page: Any) -> list[str]:
    """A topic page with the visits of the year the list shows and the year before:
    the list's FilterSet annotates them (``TopicPageFilter``)."""
    return [
        page.name,
        page.url,
        _count(getattr(page, "shown_year", None)),
        _count(getattr(page, "visits_in_year", None)),
        _count(getattr(page, "visits_year_before", None)),
    ]


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in [
        Kind(
            "arrangementer",
            m.Event,
            _("Arrangementer"),
            _("arrangement"),
            EVENT_COLUMNS,
            event_row,
            "events",
            prefetch=(
                Prefetch(
                    "eventorganizer_set",
                    queryset=m.EventOrganizer.objects.select_related("organization"),
                ),
                "regions",
                "municipalities",
                "assignments",
            ),
            select=("series",),
            search=("title", "theme", "audience"),
            title_column=2,
        ),
        Kind(
            "presentasjoner",
            m.Presentation,
            _("Presentasjoner"),
            _("presentasjon"),
            ["Nr", "Tittel", "Publiseringsdato", "Type", "Bidragsytere", "Oppdrag"],
            lambda p: [
                p.ref,
                p.title,
                _date(p.date) or str(p.year),
                p.kind,
                _names(p.presentationcontributor_set),
                ", ".join(a.number for a in p.assignments.all()),
            ],
            "presentations",
            prefetch=(
                Prefetch(
                    "presentationcontributor_set",
                    queryset=m.PresentationContributor.objects.select_related("person"),
                ),
                "assignments",
            ),
            search=("title", "kind"),
        ),
        Kind(
            "kronikker",
            m.OpEd,
            _("Kronikker og leserinnlegg"),
            _("kronikk eller leserinnlegg"),
            ["Nr", "Forfattere", "Tittel", "Type", "Kanal", "Dato", "Lenke"],
            lambda o: [
                o.ref,
                "; ".join(link.person.name for link in o.opedauthor_set.all()),
                o.title,
                o.kind,
                o.outlet,
                _date(o.date),
                o.url,
            ],
            "op-eds",
            prefetch=(
                Prefetch("opedauthor_set", queryset=m.OpEdAuthor.objects.select_related("person")),
            ),
            search=("title", "outlet"),
            title_column=2,
        ),
        Kind(
            "horingsinnspill",
            m.ConsultationResponse,
            _("Høringsinnspill"),
            _("høringsinnspill"),
            ["Nr", "Dato", "Tittel", "Lenke"],
            lambda c: [c.ref, _date(c.date), c.title, c.url],
            "consultation-responses",
            title_column=2,
        ),
        Kind(
            "produkter",
            m.Publication,
            _("Produkter"),
            _("produkt"),
            ["Nr", "Type", "Tittel", "Bidragsytere", "Lenke"],
            lambda p: [p.ref, p.kind, p.title, _names(p.publicationcontributor_set), p.url],
            "publications",
            prefetch=(
                Prefetch(
                    "publicationcontributor_set",
                    queryset=m.PublicationContributor.objects.select_related("person"),
                ),
            ),
            search=("title", "kind"),
            title_column=2,
        ),
        Kind(
            "medieoppslag",
            m.MediaAppearance,
            _("Medieoppslag"),
            _("medieoppslag"),
            ["Nr", "Person", "Rolle", "Tittel", "Medium", "Dato", "Lenke"],
            lambda a: [a.ref, a.person.name, a.role, a.title, a.outlet, _date(a.date), a.url],
            "media",
            select=("person",),
            search=("title", "outlet"),
            title_column=3,
        ),
        Kind(
            "grupper",
            m.Group,
            _("Grupper og nettverk"),
            _("gruppe eller nettverk"),
            ["Nr", "Navn", "Type", "Rolle"],
            lambda g: [g.ref, g.name, g.kind, g.role],
            "groups",
            search=("name", "description"),
        ),
        Kind(
            "nettsaker",
            m.WebArticle,
            _("Nettsaker"),
            _("nettsak"),
            ["Nr", "Tittel", "Kategori", "Dato", "Lenke", "Besøk"],
            lambda w: [
                w.ref,
                w.title,
                w.category,
                _date(w.date),
                w.url,
                "" if w.visits is None else str(w.visits),
            ],
            "web-articles",
            numeric=(5,),
        ),
        Kind(
            "henvendelser",
            m.AdviceRequest,
            _("Henvendelser"),
            _("henvendelse"),
            ["Nr", "Dato", "Kanal", "Kommune", "Bydel", "Organisasjon", "Team", "Tema"],
            lambda a: [
                a.ref,
                _date(a.date),
                a.channel,
                a.municipality.name if a.municipality else "",
                a.district.name if a.district else "",
                a.organization.name if a.organization else "",
                a.team,
                a.topic,
            ],
            "advice-requests",
            select=("municipality", "district", "organization"),
            search=("topic", "team"),
            title_column=7,
        ),
        # Topic pages are standing pages of the centre's web site, not a year's records:
        # the list shows every page, with the visits of the year in view and the year
        # before (as the report's table does); the columns are the importer's.
        Kind(
            "temasider",
            m.TopicPage,
            _("Temasider"),
            _("temaside"),
            ["Temaside", "Lenke", "År", "Antall besøk", "Antall besøk året før"],
            topic_page_row,
            "topic-pages",
            search=("name", "url"),
            title_column=0,
            numeric=(3, 4),
            ordering=("name", "id"),
        ),
    ]
}

"""Importers for every activity kind, one column list each.

The column headers are those of the annual report's appendices (the shape centres
keep their spreadsheets in); extra columns carry what the appendix leaves out
(dates, regions, municipalities, assignments). ``IMPORTERS`` maps the kind names
used by ``oppdrag import KIND`` to their importer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from urllib.parse import urlparse

from django.db.models import Model
from django.utils.translation import gettext as _

from oppdrag.core.bulk import create_with_history, insert_rows
from oppdrag.core.models import CityDistrict, Municipality, Organization, Person, Region
from oppdrag.core.parsing import (
    fold,
    normalize_space,
    parse_count,
    parse_date,
    parse_partial_date,
    parse_yes_no,
    person_name,
    split_list,
)
from oppdrag.core.services import people_by_name
from oppdrag.grants.models import Assignment, FocusArea, assignment_sort_key, parent_number
from oppdrag.importing.base import CellError, Column, Importer, Problem, Row
from oppdrag.importing.cleaners import choice as _choice
from oppdrag.importing.cleaners import text as _text
from oppdrag.importing.cleaners import url as _url
from oppdrag.importing.lookups import NameLookup

from . import models as m
from .qualifiers import parse_qualified
from .services import date_problems


def _people(text: str) -> list[str]:
    """Contributor names; «Etternavn, Fornavn; …» lists are turned around."""
    if ";" in text:
        return [person_name(part) for part in text.split(";") if part.strip()]
    return split_list(text)


REF = Column("Nr", "ref", _text(50), aliases=("Nr.", "Løpenummer", "Ref"))
ASSIGNMENTS = Column("Oppdrag", "assignments", "clean_assignments", aliases=("Kapittel",))
FOCUS_AREAS = Column(
    "Innsatsområder", "focus_areas", "clean_focus_areas", aliases=("Innsatsområde",)
)


class ActivityImporter(Importer):
    """Shared cleaning and saving for the activity kinds."""

    model: ClassVar[type[Model]]
    # Keys holding a list of objects for a plain many-to-many field.
    m2m_keys: ClassVar[tuple[str, ...]] = ("assignments", "focus_areas")
    # (key, through model, its foreign key to the activity) for ordered people.
    people_key: ClassVar[tuple[str, type[Model], str] | None] = None
    date_keys: ClassVar[tuple[str, ...]] = ("date",)
    # Every cleaner below depends on the cell text and the lookups alone.
    clean_by_value: ClassVar[bool] = True

    def prepare(self) -> None:
        self.assignment_lookup = {
            a.number: a for a in Assignment.objects.filter(center=self.center, year=self.year)
        }
        self.focus_lookup = NameLookup(
            _("innsatsområde"),
            [
                pair
                for area in FocusArea.objects.all()
                for pair in ((area.code, area), (f"2{area.code}", area), (area.name, area))
            ],
        )

    # --- cleaners shared by several kinds -----------------------------------------
    def clean_assignments(self, text: str) -> list[Assignment]:
        found = []
        for number in split_list(text):
            number = number.rstrip(".")
            assignment = self.assignment_lookup.get(number)
            if assignment is None:
                known = ", ".join(sorted(self.assignment_lookup, key=assignment_sort_key))
                raise ValueError(
                    _("Oppdrag {number} finnes ikke for {year}. Kjente oppdrag: {known}.").format(
                        number=number, year=self.year, known=known or _("(ingen)")
                    )
                )
            found.append(assignment)
        return found

    def clean_focus_areas(self, text: str) -> list[FocusArea]:
        return self.focus_lookup.get_list(text)

    def clean_date(self, text: str) -> dt.date:
        date = parse_date(text)
        self._check_year(date.year, text)
        return date

    def clean_partial_date(self, text: str) -> dt.date | None:
        partial = parse_partial_date(text)
        self._check_year(partial.year, text)
        return partial.date

    def _check_year(self, year: int, text: str) -> None:
        if year != self.year:
            raise ValueError(
                _("Datoen «{text}» er ikke i {year}, året som importeres.").format(
                    text=text, year=self.year
                )
            )

    # --- checks across rows -----------------------------------------------------------
    def row_nva_id(self, values: dict[str, Any]) -> str:
        """The NVA id a row will get (one record per NVA result and centre)."""
        return values.get("nva_id", "") if self.nva_column else ""

    nva_column: ClassVar[str] = ""

    def check_nva_ids(self, rows: list[Row]) -> list[Problem]:
        seen: dict[str, int] = {}
        problems: list[Problem] = []
        for row in rows:
            nva_id = self.row_nva_id(row.values)
            if not nva_id:
                continue
            if nva_id in seen:
                problems.append(
                    Problem(
                        self.file_name,
                        _("NVA-id {id} står også på rad {first}.").format(
                            id=nva_id, first=seen[nva_id]
                        ),
                        row.sheet,
                        row.number,
                        self.nva_column,
                    )
                )
            seen.setdefault(nva_id, row.number)
        if seen:
            taken = self.model._default_manager.filter(
                center=self.center, nva_id__in=list(seen)
            ).values_list("nva_id", flat=True)
            for nva_id in sorted(taken):
                problems.append(
                    Problem(
                        self.file_name,
                        _(
                            "NVA-id {id} er allerede registrert; bruk NVA-importen for å "
                            "oppdatere den."
                        ).format(id=nva_id),
                        None,
                        seen[nva_id],
                        self.nva_column,
                    )
                )
        return problems

    def check_all(self, rows: list[Row]) -> list[Problem]:
        problems: list[Problem] = self.check_nva_ids(rows) if self.nva_column else []
        refs: dict[str, int] = {}
        for row in rows:
            ref = row.values.get("ref")
            if not ref:
                continue
            if ref in refs:
                problems.append(
                    Problem(
                        self.file_name,
                        _("Nr. «{ref}» står også på rad {first}.").format(ref=ref, first=refs[ref]),
                        row.sheet,
                        row.number,
                        "Nr",
                    )
                )
            refs.setdefault(ref, row.number)
        if refs:
            # The year's numbers in one query, compared here: a file of 20 000
            # rows would otherwise send 20 000 parameters.
            taken = refs.keys() & set(
                self.model._default_manager.filter(center=self.center, year=self.year)
                .exclude(ref="")
                .values_list("ref", flat=True)
            )
            for ref in sorted(taken):
                problems.append(
                    Problem(
                        self.file_name,
                        _("Nr. «{ref}» er allerede registrert for {year}.").format(
                            ref=ref, year=self.year
                        ),
                        None,
                        refs[ref],
                        "Nr",
                    )
                )
        return problems

    # --- saving ------------------------------------------------------------------------
    def scalars(self, values: dict[str, Any]) -> dict[str, Any]:
        """A row's values for the record's own fields (links and people apart)."""
        relation_keys = {
            *self.m2m_keys,
            *(k for k in [self.people_key and self.people_key[0]] if k),
        }
        return {k: v for k, v in values.items() if k not in relation_keys}

    def save_related(self, ids: list[int], rows: list[Row]) -> None:
        """Save what belongs to the new records beyond their fields (a hook)."""

    def persons(self, names: set[str]) -> dict[str, Person]:
        """The centre's people by name, creating those not yet registered."""
        return people_by_name(self.center, names, self.user)

    def save(self, rows: list[Row]) -> tuple[int, int]:
        # Records, their «created» history rows (who and when, as the detail
        # page shows them), links and people go in with COPY or executemany;
        # each field's values are prepared once per distinct value
        # (``oppdrag.core.bulk``).
        ids = create_with_history(
            self.model,
            [self.scalars(row.values) for row in rows],
            fixed={"center": self.center, "year": self.year},
            user=self.user,
        )
        self.save_related(ids, rows)
        for key in self.m2m_keys:
            field = self.model._meta.get_field(key)
            through = field.remote_field.through  # type: ignore[union-attr]
            insert_rows(
                through,
                [field.m2m_field_name(), field.m2m_reverse_field_name()],  # type: ignore[union-attr]
                _links(ids, rows, key),
            )
        if self.people_key:
            key, through, fk = self.people_key
            names = {name for row in rows for name in row.values.get(key, ())}
            people = {name: person.pk for name, person in self.persons(names).items()}
            insert_rows(
                through,
                [fk, "person", "position"],
                (
                    (pk, people[name], position)
                    for pk, row in zip(ids, rows, strict=True)
                    for position, name in enumerate(row.values.get(key, ()))
                ),
            )
        return len(ids), 0


def _links(ids: list[int], rows: list[Row], key: str) -> list[tuple[int, int]]:
    """(record key, related key) for the objects each row lists under ``key``.

    Rows share their lists when their cells were the same text, so each
    distinct list's keys are worked out once.
    """
    keys: dict[int, list[int]] = {}
    links: list[tuple[int, int]] = []
    add = links.append
    for pk, row in zip(ids, rows, strict=True):
        related = row.values.get(key)
        if not related:
            continue
        found = keys.get(id(related))
        if found is None:
            found = keys[id(related)] = [obj.pk for obj in related]
        for other in found:
            add((pk, other))
    return links


class EventImporter(ActivityImporter):
    kind = "events"
    label = "arrangementer"
    model: ClassVar[type[Model]] = m.Event
    m2m_keys: ClassVar[tuple[str, ...]] = (
        "assignments",
        "focus_areas",
        "regions",
        "municipalities",
        "districts",
    )
    columns = [
        REF,
        Column("Tema", "theme", _text(200), required=True),
        Column("Hva", "title", _text(500), required=True, aliases=("Tittel",)),
        Column("Antall deltakere", "participants", parse_count),
        Column("Nasjonal/regional", "scope", _choice(m.Scope, _("nasjonal/regional"))),
        Column("Deltakere", "audience", _text(2000), aliases=("Målgruppe",)),
        Column("Arrangører", "organizers", "clean_organizers", aliases=("Arrangør",)),
        Column("Fysisk/digital", "format", _choice(m.Format, _("form"))),
        Column("Dato", "date_start", "clean_date", aliases=("Fra dato",)),
        Column("Til dato", "date_end", "clean_date"),
        Column("Region", "regions", "clean_regions", aliases=("Regioner",)),
        Column("Kommuner", "municipalities", "clean_municipalities", aliases=("Kommune",)),
        Column("Bydeler", "districts", "clean_districts", aliases=("Bydel",)),
        Column("Serie", "series", "clean_series"),
        ASSIGNMENTS,
        FOCUS_AREAS,
        Column("Målgruppemedvirkning", "target_group_involved", parse_yes_no),
        Column("Brukermedvirkning", "users_involved", parse_yes_no),
    ]

    def prepare(self) -> None:
        super().prepare()
        self.organizations = NameLookup(
            _("organisasjon"),
            [
                pair
                for org in Organization.objects.all()
                for pair in [(org.name, org), *((alias, org) for alias in org.alias_list())]
            ],
        )
        self.regions = NameLookup(
            _("region"),
            [pair for r in Region.objects.all() for pair in ((r.name, r), (r.code, r))],
        )
        current = list(Municipality.objects.filter(valid_to__isnull=True))
        self.municipalities = NameLookup(
            _("kommune"),
            [
                (name, mu)
                for mu in current
                # «Trondheim - Tråante» is also found as «Trondheim» and «Tråante».
                for name in (mu.name, *mu.name.split(" - "), mu.number)
            ],
        )
        self.districts = NameLookup(_("bydel"), [(d.name, d) for d in CityDistrict.objects.all()])
        self.series_lookup = NameLookup(
            _("serie"),
            [(s.name, s) for s in m.EventSeries.objects.filter(center=self.center, year=self.year)],
        )

    def clean_organizers(self, text: str) -> list[Organization]:
        return self.organizations.get_list(text, also_og=True)

    def clean_regions(self, text: str) -> list[Region]:
        return self.regions.get_list(text)

    def clean_municipalities(self, text: str) -> list[Municipality]:
        return self.municipalities.get_list(text)

    def clean_districts(self, text: str) -> list[CityDistrict]:
        return self.districts.get_list(text)

    def clean_series(self, text: str) -> m.EventSeries:
        return self.series_lookup.get(text)

    def check_row(self, values: dict[str, Any]) -> None:
        # The forms' and the API's rule (``services.date_problems``), by column.
        problems = date_problems(values)
        for key, column in (("date_start", "Dato"), ("date_end", "Til dato")):
            if key in problems:
                raise CellError(column, problems[key])

    def scalars(self, values: dict[str, Any]) -> dict[str, Any]:
        scalars = super().scalars(values)
        scalars.pop("organizers", None)
        return scalars

    def save_related(self, ids: list[int], rows: list[Row]) -> None:
        insert_rows(
            m.EventOrganizer,
            ["event", "organization", "position"],
            (
                (pk, org.pk, position)
                for pk, row in zip(ids, rows, strict=True)
                for position, org in enumerate(row.values.get("organizers", ()))
            ),
        )


class PresentationImporter(ActivityImporter):
    kind = "presentations"
    label = "presentasjoner"
    model = m.Presentation
    nva_column = "NVA-id"
    people_key = ("contributors", m.PresentationContributor, "presentation")
    columns = [
        REF,
        Column("Tittel", "title", _text(500), required=True),
        Column("Publiseringsdato", "date", "clean_partial_date", required=True, aliases=("Dato",)),
        Column("Type", "kind", _text(100), required=True),
        Column(
            "Bidragsytere",
            "contributors",
            _people,
            aliases=("Bidragsyter", "Bidragster", "Bidragstere"),
        ),
        Column("NVA-id", "nva_id", _text(100)),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]


class OpEdImporter(ActivityImporter):
    kind = "op-eds"
    label = "kronikker og leserinnlegg"
    model = m.OpEd
    people_key = ("authors", m.OpEdAuthor, "op_ed")
    columns = [
        REF,
        Column("Forfattere", "authors", _people, aliases=("Forfatter",)),
        Column("Tittel", "title", _text(500), required=True),
        Column("Type", "kind", _text(50), required=True),
        Column("Kanal", "outlet", _text(200), required=True, aliases=("Medium",)),
        Column("Dato", "date", "clean_date"),
        Column("Lenke", "url", _url),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]


class ConsultationResponseImporter(ActivityImporter):
    kind = "consultation-responses"
    label = "høringsinnspill"
    model = m.ConsultationResponse
    columns = [
        REF,
        Column("Dato", "date", "clean_date", required=True),
        Column("Tittel", "title", _text(500), required=True),
        Column("Lenke", "url", _url),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]


def _nva_id(url: str) -> str:
    parsed = urlparse(url)
    if parsed.netloc.endswith("nva.unit.no") or parsed.netloc.endswith("nva.sikt.no"):
        return parsed.path.rstrip("/").rsplit("/", 1)[-1]
    return ""


class PublicationImporter(ActivityImporter):
    kind = "publications"
    label = "produkter"
    model = m.Publication
    people_key = ("contributors", m.PublicationContributor, "publication")
    columns = [
        REF,
        Column("Type", "kind", _text(100), required=True),
        Column("Tittel", "title", _text(500), required=True),
        Column("Bidragsytere", "contributors", _people, aliases=("Bidragsyter", "Forfattere")),
        Column("Dato", "date", "clean_partial_date"),
        Column("Lenke", "url", _url),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]

    nva_column = "Lenke"

    def row_nva_id(self, values: dict[str, Any]) -> str:
        return _nva_id(values.get("url", ""))

    def scalars(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**super().scalars(values), "nva_id": _nva_id(values.get("url", ""))}


class MediaImporter(ActivityImporter):
    kind = "media"
    label = "medieoppslag"
    model = m.MediaAppearance
    columns = [
        REF,
        Column("Person", "person", person_name, required=True),
        Column("Rolle", "role", _text(100)),
        Column("Tittel", "title", _text(500), required=True),
        Column("Medium", "outlet", _text(200), required=True, aliases=("Kanal",)),
        Column("Dato", "date", "clean_date"),
        Column("Lenke", "url", _url),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]

    def save(self, rows: list[Row]) -> tuple[int, int]:
        people = self.persons({row.values["person"] for row in rows})
        for row in rows:
            row.values["person"] = people[row.values["person"]]
        return super().save(rows)


class GroupImporter(ActivityImporter):
    kind = "groups"
    label = "grupper og nettverk"
    model = m.Group
    columns = [
        REF,
        Column("Navn", "name", _text(500), required=True),
        Column("Type", "kind", _choice(m.Group.Kind, _("gruppetype"))),
        Column("Rolle", "role", _choice(m.Group.Role, _("rolle")), required=True),
        Column("Beskrivelse", "description", _text(5000)),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]


class WebArticleImporter(ActivityImporter):
    kind = "web-articles"
    label = "nettsaker"
    model = m.WebArticle
    columns = [
        REF,
        Column("Tittel", "title", _text(500), required=True),
        Column(
            "Kategori", "category", _choice(m.WebArticle.Category, _("kategori")), required=True
        ),
        Column("Dato", "date", "clean_date"),
        Column("Lenke", "url", _url),
        Column("Besøk", "visits", parse_count),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]


class AdviceRequestImporter(EventImporter):
    kind = "advice-requests"
    label = "henvendelser"
    model = m.AdviceRequest
    m2m_keys = ("assignments", "focus_areas")
    columns = [
        REF,
        Column("Dato", "date", "clean_date"),
        Column("Kanal", "channel", _choice(m.AdviceRequest.Channel, _("kanal")), required=True),
        Column("Kommune", "municipality", "clean_municipality"),
        Column("Bydel", "district", "clean_district"),
        Column("Organisasjon", "organization", "clean_organization"),
        Column("Team", "team", _text(200)),
        Column("Tema", "topic", _text(300), required=True),
        ASSIGNMENTS,
        FOCUS_AREAS,
    ]

    def clean_municipality(self, text: str) -> Municipality:
        return self.municipalities.get(text)

    def clean_district(self, text: str) -> CityDistrict:
        return self.districts.get(text)

    def clean_organization(self, text: str) -> Organization:
        return self.organizations.get(text)

    def check_row(self, values: dict[str, Any]) -> None:
        return None

    def save_related(self, ids: list[int], rows: list[Row]) -> None:
        return None


class EventSeriesImporter(Importer):
    kind = "event-series"
    label = "arrangementsserier"
    columns = [
        Column("Serie", "name", _text(300), required=True, aliases=("Navn",)),
        Column("Unike deltakere", "unique_participants", parse_count),
        Column("Team", "teams", parse_count, aliases=("Antall team",)),
        Column("Beskrivelse", "description", _text(5000)),
    ]

    def check_all(self, rows: list[Row]) -> list[Problem]:
        taken = set(
            m.EventSeries.objects.filter(
                center=self.center, year=self.year, name__in=[r.values["name"] for r in rows]
            ).values_list("name", flat=True)
        )
        return [
            Problem(
                self.file_name,
                _("Serien «{name}» finnes allerede for {year}.").format(
                    name=row.values["name"], year=self.year
                ),
                row.sheet,
                row.number,
                "Serie",
            )
            for row in rows
            if row.values["name"] in taken
        ]

    def save(self, rows: list[Row]) -> tuple[int, int]:
        ids = create_with_history(
            m.EventSeries,
            [row.values for row in rows],
            fixed={"center": self.center, "year": self.year},
            user=self.user,
        )
        return len(ids), 0


class AssignmentImporter(Importer):
    """The year's assignment tree: number, title and text, parents before children."""

    kind = "assignments"
    label = "oppdrag"
    columns = [
        Column("Nummer", "number", "clean_number", required=True, aliases=("Nr", "Kapittel")),
        Column("Tittel", "title", _text(300), required=True),
        Column("Tekst", "text", lambda text: text.strip()),
    ]

    def clean_number(self, text: str) -> str:
        value = text.strip().rstrip(".")
        parts = value.split(".")
        if not all(p.isdigit() or (len(p) == 1 and p.isalpha()) for p in parts):
            raise ValueError(
                _("«{text}» er ikke et oppdragsnummer (som 2.1, 2.1.1 eller 2.1.1.A).").format(
                    text=text
                )
            )
        return value

    def check_all(self, rows: list[Row]) -> list[Problem]:
        existing = set(
            Assignment.objects.filter(center=self.center, year=self.year).values_list(
                "number", flat=True
            )
        )
        in_file: dict[str, int] = {}
        problems = []
        for row in rows:
            number = row.values["number"]
            if number in existing or number in in_file:
                problems.append(
                    Problem(
                        self.file_name,
                        _("Oppdrag {number} finnes allerede for {year}.").format(
                            number=number, year=self.year
                        ),
                        row.sheet,
                        row.number,
                        "Nummer",
                    )
                )
            parent = parent_number(number)
            # «2.1» and «3.1» are roots (their chapter is not an assignment);
            # deeper numbers need their parent listed first.
            if number.count(".") >= 2 and parent not in existing and parent not in in_file:
                problems.append(
                    Problem(
                        self.file_name,
                        _("Oppdrag {parent} må stå før {number}.").format(
                            parent=parent, number=number
                        ),
                        row.sheet,
                        row.number,
                        "Nummer",
                    )
                )
            in_file[number] = row.number
        return problems

    def save(self, rows: list[Row]) -> tuple[int, int]:
        by_number = {
            a.number: a for a in Assignment.objects.filter(center=self.center, year=self.year)
        }
        for row in rows:
            number = row.values["number"]
            parent = parent_number(number)
            assignment = Assignment(
                center=self.center,
                year=self.year,
                parent=by_number.get(parent) if parent else None,
                **row.values,
            )
            assignment.save()
            by_number[number] = assignment
        return len(rows), 0


class TopicPageImporter(Importer):
    """Topic-page visits: one «Antall besøk ÅÅÅÅ» column per year, or the list's own
    export (a year column with that year's visits and the year before's)."""

    kind = "topic-pages"
    label = "temasider"
    columns = [
        Column("Temaside", "name", "clean_page_name", required=True),
        Column("Lenke", "url", _url),
        Column("År", "year", "clean_year"),
        Column("Antall besøk", "visits", parse_count),
        Column("Antall besøk året før", "visits_before", parse_count),
    ]

    def clean_page_name(self, text: str) -> str:
        return normalize_space(text).rstrip("*").strip()

    def clean_year(self, text: str) -> int:
        year = parse_count(text)
        if not 1990 <= year <= 2100:
            raise ValueError(_("«{text}» er ikke et årstall.").format(text=text))
        return year

    def check_row(self, values: dict[str, Any]) -> None:
        counted = values.get("visits") is not None or values.get("visits_before") is not None
        if counted and not values.get("year"):
            raise CellError("År", _("Oppgi året besøkstallene gjelder."))

    def extra_column(self, header: str) -> Column | None:
        words = normalize_space(header).split()
        if (
            len(words) >= 2
            and words[-1].isdigit()
            and len(words[-1]) == 4
            and fold(" ".join(words[:-1])) in {"antall besøk", "besøk"}
        ):
            return Column(header, f"visits_{words[-1]}", parse_count)
        return None

    def save(self, rows: list[Row]) -> tuple[int, int]:
        added = updated = 0
        for row in rows:
            values = row.values
            page, _created = m.TopicPage.objects.get_or_create(
                center=self.center, name=values["name"]
            )
            if values.get("url") and page.url != values["url"]:
                page.url = values["url"]
                page.save(update_fields=["url", "updated_at"])
            counts = {
                int(key.removeprefix("visits_")): visits
                for key, visits in values.items()
                if key.startswith("visits_") and key != "visits_before"
            }
            if values.get("year"):
                for year, key in (
                    (values["year"], "visits"),
                    (values["year"] - 1, "visits_before"),
                ):
                    if values.get(key) is not None:
                        counts[year] = values[key]
            for year, visits in counts.items():
                _obj, created = m.TopicPageVisits.objects.update_or_create(
                    center=self.center,
                    page=page,
                    year=year,
                    defaults={"visits": visits},
                )
                added += created
                updated += not created
        return added, updated


class PublishedFigureImporter(Importer):
    """Figures as published (key figures, last year's report), for comparison."""

    kind = "published-figures"
    label = "publiserte tall"
    reject_duplicate_rows = True
    columns = [
        Column("År", "year", "clean_year", required=True),
        Column("Nøkkel", "key", "clean_key", required=True),
        # «over 50», «ca. 130»: the qualifier is kept with the number.
        Column("Verdi", "value", parse_qualified, required=True),
        Column("Kilde", "source", _text(200)),
    ]

    def clean_year(self, text: str) -> int:
        year = parse_count(text)
        if not 1990 <= year <= 2100:
            raise ValueError(_("«{text}» er ikke et årstall.").format(text=text))
        return year

    def clean_key(self, text: str) -> str:
        value = text.strip()
        if not value.replace("_", "").isalnum() or value.lower() != value:
            raise ValueError(
                _("«{text}» er ikke en gyldig nøkkel (små bokstaver, tall og _).").format(text=text)
            )
        return value

    def check_all(self, rows: list[Row]) -> list[Problem]:
        seen: dict[tuple[int, str], int] = {}
        problems = []
        for row in rows:
            key = (row.values["year"], row.values["key"])
            if key in seen:
                problems.append(
                    Problem(
                        self.file_name,
                        _("{key} for {year} står også på rad {first}.").format(
                            key=key[1], year=key[0], first=seen[key]
                        ),
                        row.sheet,
                        row.number,
                        "Nøkkel",
                    )
                )
            seen.setdefault(key, row.number)
        return problems

    def save(self, rows: list[Row]) -> tuple[int, int]:
        added = updated = 0
        for row in rows:
            _obj, created = m.PublishedFigure.objects.update_or_create(
                center=self.center,
                year=row.values["year"],
                key=row.values["key"],
                defaults={
                    "qualifier": row.values["value"][0],
                    "value": row.values["value"][1],
                    "source": row.values.get("source", ""),
                },
            )
            added += created
            updated += not created
        return added, updated


IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        AssignmentImporter,
        EventSeriesImporter,
        EventImporter,
        PresentationImporter,
        OpEdImporter,
        ConsultationResponseImporter,
        PublicationImporter,
        MediaImporter,
        GroupImporter,
        WebArticleImporter,
        AdviceRequestImporter,
        TopicPageImporter,
        PublishedFigureImporter,
    )
}

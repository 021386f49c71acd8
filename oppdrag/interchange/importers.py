"""NVA results into presentations and publications: ``nva-json`` and ``nva-csv``.

Both kinds fit the import machinery (``oppdrag import nva-json FILE --center SLUG
--year YYYY``): the file is checked whole first, every problem is named (for JSON
the «rad» is the hit's number in ``hits`` and the «kolonne» the JSON field, for
CSV the line and the column), and only a clean file is saved, in one transaction.

A result is found again by its NVA identifier, so a re-import updates what changed
and leaves the rest alone; the result counts added, updated and unchanged records.
A record registered by hand (no NVA id) with the same title in the same year is
linked to its NVA result instead of being duplicated. Results from other years
and media contributions (op-eds and interviews have their own registries) are
skipped and counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from oppdrag.activities import models as m
from oppdrag.activities.services import change_record
from oppdrag.core.bulk import create_with_history
from oppdrag.core.models import Person
from oppdrag.core.parsing import fold
from oppdrag.core.services import people_by_name
from oppdrag.importing.base import Importer, ImportResult, Problem
from oppdrag.importing.readers import FileRejected, decode_text

from . import nva, webstats

TARGETS: dict[str, tuple[type[Model], type[Model], str]] = {
    nva.PRESENTATION: (m.Presentation, m.PresentationContributor, "presentation"),
    nva.PUBLICATION: (m.Publication, m.PublicationContributor, "publication"),
}


class NvaImporter(Importer):
    """Shared run for the NVA formats; subclasses turn a file into records."""

    columns: ClassVar[list[Any]] = []

    def parse(self, path: Path) -> tuple[list[nva.NvaRecord], list[nva.NvaError]]:
        raise NotImplementedError

    def run(self, path: Path, *, dry_run: bool = False) -> ImportResult:
        self.file_name = path.name
        result = ImportResult(kind=self.kind, file=path.name, dry_run=dry_run)
        try:
            size = path.stat().st_size
        except OSError as exc:
            result.problems.append(
                Problem(path.name, _("Finner ikke filen ({error}).").format(error=exc.strerror))
            )
            return result
        if size > settings.IMPORT_MAX_BYTES:
            result.problems.append(Problem(path.name, _("Filen er for stor.")))
            return result
        records, errors = self.parse(path)
        if errors:
            self._add_problems(result, (self.problem(e) for e in errors))
            return result
        return self.run_records(records, path.name, dry_run=dry_run, result=result)

    def problem(self, error: nva.NvaError) -> Problem:
        return Problem(self.file_name, error.message, None, error.index, error.where)

    def run_records(
        self,
        records: Iterable[nva.NvaRecord],
        file_name: str,
        *,
        dry_run: bool = False,
        result: ImportResult | None = None,
    ) -> ImportResult:
        """Check and save records already read (from a file or from the NVA client)."""
        self.file_name = file_name
        result = result or ImportResult(kind=self.kind, file=file_name, dry_run=dry_run)
        chosen: dict[str, nva.NvaRecord] = {}
        other_year = media = 0
        problems: list[Problem] = []
        for number, record in enumerate(records, start=1):
            if record.year != self.year:
                other_year += 1
                continue
            if record.target == nva.SKIP:
                media += 1
                continue
            seen = chosen.get(record.identifier)
            if seen is not None and seen != record:
                problems.append(
                    Problem(
                        file_name,
                        _("NVA-id {id} står to ganger med ulikt innhold.").format(
                            id=record.identifier
                        ),
                        None,
                        number,
                        "identifier",
                    )
                )
            chosen.setdefault(record.identifier, record)
        result.rows = len(chosen)
        if other_year:
            result.notes.append(
                _("{n} resultater fra andre år enn {year} er hoppet over.").format(
                    n=other_year, year=self.year
                )
            )
        if media:
            result.notes.append(
                _(
                    "{n} mediebidrag (kronikker, intervjuer …) er hoppet over; "
                    "de registreres som kronikker eller medieoppslag."
                ).format(n=media)
            )
        if problems:
            self._add_problems(result, problems)
            return result
        with transaction.atomic():
            plan = self.plan(list(chosen.values()))
            if plan["problems"]:
                self._add_problems(result, plan["problems"])
                return result
            result.added = len(plan["create"])
            result.updated = len(plan["update"])
            result.unchanged = plan["unchanged"]
            if not dry_run:
                self.save_plan(plan)
        return result

    # --- matching and saving ---------------------------------------------------------
    def plan(self, records: list[nva.NvaRecord]) -> dict[str, Any]:
        """Decide per record: create, update (changed) or leave (unchanged)."""
        ids = [r.identifier for r in records]
        obj: Any
        existing: dict[str, tuple[str, Any]] = {}
        by_title: dict[tuple[str, str], list[Any]] = {}
        for target, (model, through, _fk) in TARGETS.items():
            manager: Any = model._default_manager
            people = f"{through._meta.model_name}_set__person"
            for obj in manager.filter(center=self.center, nva_id__in=ids).prefetch_related(people):
                existing[obj.nva_id] = (target, obj)
            unlinked = manager.filter(center=self.center, year=self.year, nva_id="")
            for obj in unlinked.prefetch_related(people):
                by_title.setdefault((target, fold(obj.title)), []).append(obj)
        plan: dict[str, Any] = {"create": [], "update": [], "unchanged": 0, "problems": []}
        for record in records:
            found = existing.get(record.identifier)
            if found is not None and found[0] != record.target:
                plan["problems"].append(
                    Problem(
                        self.file_name,
                        _(
                            "NVA-resultatet {id} er registrert som {was}, men har nå "
                            "kategorien {kind}. Slett den gamle registreringen først."
                        ).format(
                            id=record.identifier,
                            was=found[1]._meta.verbose_name,
                            kind=record.kind,
                        ),
                        None,
                        None,
                        "type",
                    )
                )
                continue
            obj = found[1] if found else None
            if obj is None:
                candidates = by_title.get((record.target, fold(record.title)), [])
                if len(candidates) == 1:
                    obj = candidates.pop()
            if obj is None:
                plan["create"].append(record)
            elif self.differs(obj, record):
                plan["update"].append((obj, record))
            else:
                plan["unchanged"] += 1
        return plan

    @staticmethod
    def values(record: nva.NvaRecord) -> dict[str, Any]:
        return {
            "title": record.title,
            "date": record.date,
            "kind": record.kind,
            "nva_id": record.identifier,
            "url": record.url,
        }

    def differs(self, obj: Any, record: nva.NvaRecord) -> bool:
        _model, through, _fk = TARGETS[record.target]
        links = getattr(obj, f"{through._meta.model_name}_set").all()  # ordered by position
        names = [link.person.name for link in links]
        return names != list(record.contributors) or any(
            getattr(obj, key) != value for key, value in self.values(record).items()
        )

    def save_plan(self, plan: dict[str, Any]) -> None:
        names = {n for r in plan["create"] for n in r.contributors} | {
            n for _obj, r in plan["update"] for n in r.contributors
        }
        people = self.persons(names)
        links: dict[type[Model], list[Model]] = {}
        for target, (model, through, fk) in TARGETS.items():
            records = [r for r in plan["create"] if r.target == target]
            ids = create_with_history(
                model,
                [self.values(r) for r in records],
                fixed={"center": self.center, "year": self.year},
                user=self.user,
            )
            for pk, record in zip(ids, records, strict=True):
                links.setdefault(through, []).extend(
                    through(**{f"{fk}_id": pk, "person": people[name], "position": position})
                    for position, name in enumerate(record.contributors)
                )
        for obj, record in plan["update"]:
            # A changed result goes through the registry's own service, as an edit does.
            change_record(
                obj,
                user=self.user,
                data={
                    **self.values(record),
                    "contributors": [people[name] for name in record.contributors],
                },
            )
        for through, rows in links.items():
            through._default_manager.bulk_create(rows, batch_size=1000)

    def persons(self, names: set[str]) -> dict[str, Person]:
        """The centre's people by name, creating those not yet registered."""
        return people_by_name(self.center, names, self.user)


class NvaJsonImporter(NvaImporter):
    """A search response from NVA's API (``/search/resources``) saved as a JSON file."""

    kind = "nva-json"
    label = "NVA (JSON fra søke-API-et)"

    def parse(self, path: Path) -> tuple[list[nva.NvaRecord], list[nva.NvaError]]:
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            return [], [nva.NvaError(_("Filen er ikke UTF-8-tekst."))]
        except json.JSONDecodeError as exc:
            return [], [
                nva.NvaError(
                    _("Filen er ikke gyldig JSON: {error} (tegn {col}).").format(
                        error=exc.msg, col=exc.colno
                    ),
                    index=exc.lineno,
                )
            ]
        return nva.parse_search_response(data)


class NvaCsvImporter(NvaImporter):
    """NVA's CSV export of a result list (url;title;publicationDate;type;contributors)."""

    kind = "nva-csv"
    label = "NVA (CSV-eksport)"

    def parse(self, path: Path) -> tuple[list[nva.NvaRecord], list[nva.NvaError]]:
        raw = path.read_bytes()
        if b"\x00" in raw[:4096]:
            return [], [nva.NvaError(_("Filen inneholder binære data og er ikke en CSV-fil."))]
        try:
            text = decode_text(raw)
        except FileRejected as exc:
            return [], [nva.NvaError(exc.message)]  # the message names the line
        return nva.parse_export_csv(text)


NVA_IMPORTERS: dict[str, type[Importer]] = {
    NvaJsonImporter.kind: NvaJsonImporter,
    NvaCsvImporter.kind: NvaCsvImporter,
}


class WebStatisticsImporter(Importer):
    """A Matomo or GA4 page report: the year's site totals and topic-page visits.

    Importing a year again replaces that year's site totals and the visits of every
    topic page found in the file, and the result says what it replaced. Topic pages
    are found by their address (path) or, failing that, by their title.
    """

    kind = "web-statistics"
    label = "nettstatistikk (Matomo eller Google Analytics 4)"
    columns: ClassVar[list[Any]] = []

    def run(self, path: Path, *, dry_run: bool = False) -> ImportResult:
        from .models import SiteTraffic

        self.file_name = path.name
        result = ImportResult(kind=self.kind, file=path.name, dry_run=dry_run)
        stats = self._statistics(path, result)
        if stats is None:
            return result
        pages = list(m.TopicPage.objects.filter(center=self.center).order_by("name"))
        visits = self.match(stats, pages)
        result.rows = len(stats.pages)
        previous = SiteTraffic.objects.filter(center=self.center, year=self.year).first()
        old_visits = dict(
            m.TopicPageVisits.objects.filter(
                center=self.center, year=self.year, page__in=list(visits)
            ).values_list("page_id", "visits")
        )
        replaced = sum(1 for page in visits if page.pk in old_visits)
        self._notes(result, stats, previous, replaced, visits, pages)
        result.added = (previous is None) + sum(1 for page in visits if page.pk not in old_visits)
        result.updated = (previous is not None) + replaced
        if not dry_run:
            self._save(stats, visits, path.name)
        return result

    def _statistics(self, path: Path, result: ImportResult) -> webstats.WebStatistics | None:
        """The file's statistics for the import's year, or None with the problems in
        ``result``."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            result.problems.append(
                Problem(path.name, _("Finner ikke filen ({error}).").format(error=exc.strerror))
            )
            return None
        if len(data) > settings.IMPORT_MAX_BYTES:
            result.problems.append(Problem(path.name, _("Filen er for stor.")))
            return None
        stats, problems = webstats.parse(data)
        if stats is not None:
            for day in (stats.start, stats.end):
                if day is not None and day.year != self.year:
                    problems.append(
                        webstats.WebProblem(
                            _("Rapporten gjelder {date}, ikke {year}.").format(
                                date=day.strftime("%d.%m.%Y"), year=self.year
                            )
                        )
                    )
        if problems or stats is None:
            self._add_problems(
                result, (Problem(path.name, p.message, None, p.line, p.column) for p in problems)
            )
            return None
        return stats

    def _notes(
        self,
        result: ImportResult,
        stats: webstats.WebStatistics,
        previous: Any,
        replaced: int,
        visits: dict[Any, int],
        pages: list[Any],
    ) -> None:
        """What the import replaces, where the visits come from, and what is missing."""
        if previous is not None:
            result.notes.append(
                _("Erstatter nettstedstallene for {year} fra {file}.").format(
                    year=self.year, file=previous.file_name or _("en tidligere import")
                )
            )
        if replaced:
            result.notes.append(
                _("Erstatter besøkstallene for {year} på {n} temasider.").format(
                    year=self.year, n=replaced
                )
            )
        column = stats.page_visits_column
        if visits and column:
            result.notes.append(
                _("Besøk på temasidene er hentet fra kolonnen «{column}».").format(column=column)
            )
        missing = [page.name for page in pages if page not in visits]
        if missing:
            result.notes.append(
                _("Ikke funnet i filen (besøkstallene står urørt): {pages}.").format(
                    pages=", ".join(missing)
                )
            )
        unknown = [key for key, value in stats.totals.items() if value is None]
        if unknown:
            result.notes.append(
                _("Filen gir ikke {figures} for hele nettstedet; de står tomme.").format(
                    figures=", ".join(unknown)
                )
            )

    @transaction.atomic
    def _save(self, stats: webstats.WebStatistics, visits: dict[Any, int], file_name: str) -> None:
        from .models import SiteTraffic

        SiteTraffic.objects.update_or_create(
            center=self.center,
            year=self.year,
            defaults={
                "source": stats.source,
                "file_name": file_name[:255],
                **{key: stats.totals.get(key) for key in SITE_FIGURES},
            },
        )
        for page, count in visits.items():
            m.TopicPageVisits.objects.update_or_create(
                center=self.center, page=page, year=self.year, defaults={"visits": count}
            )

    @staticmethod
    def match(stats: webstats.WebStatistics, pages: list[Any]) -> dict[Any, int]:
        """Topic page → visits: by path when the page has an address, else by title."""
        by_path: dict[str, int] = {}
        by_title: dict[str, int] = {}
        for row in stats.pages:
            count = row.page_visits()
            if count is None:
                continue
            if row.path:
                key = webstats.normalize_path(row.path)
                by_path[key] = by_path.get(key, 0) + count
            if row.title:
                key = webstats.title_key(row.title)
                by_title[key] = by_title.get(key, 0) + count
        found: dict[Any, int] = {}
        for page in pages:
            if page.url and webstats.normalize_path(page.url) in by_path:
                found[page] = by_path[webstats.normalize_path(page.url)]
            elif fold(page.name) in by_title:
                found[page] = by_title[fold(page.name)]
        return found


SITE_FIGURES = ("pageviews", "unique_pageviews", "visits", "users")

NVA_IMPORTERS[WebStatisticsImporter.kind] = WebStatisticsImporter

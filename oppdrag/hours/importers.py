"""Importers for hours, time projects, the staff register, external hours and published totals.

``HOURS_IMPORTERS`` maps the kind names of ``oppdrag import KIND`` to the importers.
The hours export is the large one (a year is easily 200 000 rows): it is read by
``reading.read_entries``, checked across rows on integers (``rowchecks``) and saved
in bulk, so the number of queries does not grow with the number of rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.utils.translation import gettext as _

from oppdrag.core.bulk import create_instances_with_history, update_with_history
from oppdrag.core.models import Person
from oppdrag.core.parsing import (
    fold,
    normalize_space,
    parse_date,
    parse_decimal,
    parse_yes_no,
    person_name,
    split_list,
    suggest,
)
from oppdrag.grants.models import Assignment, assignment_sort_key
from oppdrag.importing.base import (
    MAX_PROBLEMS,
    CellError,
    Column,
    Importer,
    ImportResult,
    Problem,
    Row,
    header_key,
)
from oppdrag.importing.cleaners import text as _text
from oppdrag.importing.lookups import NameLookup

from . import rowchecks, services
from .models import (
    ExternalHours,
    HoursColumnMapping,
    PositionChange,
    ProjectAssignment,
    ProjectMapping,
    PublishedHoursTotal,
    ReportGroup,
    StaffMember,
    TimeProject,
)
from .periods import Period, parse_hours, parse_period, round_hours
from .reading import Entries, read_entries

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Eight digits written as Norwegian phone numbers are (91 83 98 17, 954 78 966, +47 …).
_PHONE = re.compile(
    r"(?:\+47\s?)?(?<!\d)(?:\d{2}\s?){3}\d{2}(?!\d)|(?<!\d)\d{3}\s\d{2}\s\d{3}(?!\d)"
)


def _no_contact_details(text: str) -> str:
    """Refuse phone numbers and e-mail addresses: the register keeps names only."""
    if _EMAIL.search(text):
        raise ValueError(_("Cellen inneholder en e-postadresse; registeret lagrer ikke slike."))
    if _PHONE.search(text):
        raise ValueError(_("Cellen ser ut til å inneholde et telefonnummer; fjern det."))
    return text


def _safe_text(limit: int):  # type: ignore[no-untyped-def]
    plain = _text(limit)

    def clean(text: str) -> str:
        return _no_contact_details(plain(text))

    return clean


def _lines(text: str) -> str:
    """Areas of work: «;» or line breaks separate; stored one per line."""
    parts = [normalize_space(p) for p in re.split(r"[;\n]", text)]
    return _no_contact_details("\n".join(p for p in parts if p))


def _percentage(text: str) -> Decimal:
    value = parse_decimal(text.replace("%", "").strip())
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(_("Stillingsprosenten må være mellom 0 og 100."))
    return value


def _non_negative(text: str) -> Decimal:
    value = parse_hours(text)
    if value < 0:
        raise ValueError(_("Timer kan ikke være negative ({text}).").format(text=text))
    return value


def _stored_hours(text: str) -> Decimal:
    """Hours as the database keeps them (to the hundredth), never negative."""
    return round_hours(_non_negative(text))


def _optional_decimal(text: str) -> Decimal:
    return parse_decimal(text.replace("%", "").strip())


def _year(text: str) -> int:
    value = text.strip()
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError(_("«{text}» er ikke et årstall.").format(text=text))
    return int(value)


def _choice(options: Mapping[str, str], what: str):  # type: ignore[no-untyped-def]
    by_key = {fold(k): v for k, v in options.items()}

    def clean(text: str) -> str:
        value = by_key.get(fold(text))
        if value is None:
            raise ValueError(
                _("«{text}» er ikke en gyldig {what}. Gyldige verdier: {allowed}.").format(
                    text=text, what=what, allowed=", ".join(f"«{k}»" for k in options)
                )
            )
        return value

    return clean


class ProjectLookupMixin:
    """Time projects by number, loaded once per import."""

    center: Any
    year: int

    def load_projects(self) -> None:
        self.projects = {
            p.number: p for p in TimeProject.objects.filter(center=self.center).order_by()
        }

    def clean_project(self, text: str) -> TimeProject:
        number = text.strip()
        project = self.projects.get(number)
        if project is None:
            close = suggest(number, self.projects)
            hint = (
                _("Mente du {names}?").format(names=", ".join(f"«{c}»" for c in close))
                if close
                else _("Importer prosjektlisten (time-projects) først.")
            )
            raise ValueError(
                _("Ukjent prosjektnummer «{number}». {hint}").format(number=number, hint=hint)
            )
        if not project.is_active(self.year):
            raise ValueError(
                _("Prosjekt {number} er ikke aktivt i {year}.").format(
                    number=number, year=self.year
                )
            )
        return project

    def clean_projects(self, text: str) -> list[TimeProject]:
        return [self.clean_project(part) for part in split_list(text)]


# --- hours ------------------------------------------------------------------------------


# Rows per piece for the checks across rows: their temporaries (some 40 bytes a
# row) stay near 40 MB however long the file.
CHECK_PIECE_ROWS = 1_000_000


def _format_hours(hundredths: int) -> str:
    return str(Decimal(hundredths) / 100)


def _rows_breaking_rules(
    entries: Entries,
) -> tuple[list[rowchecks.Overlap], int, list[rowchecks.DayTotal], int]:
    """The overlapping rows and the days of more than 24 hours (each up to
    ``MAX_PROBLEMS``), with how many there are of each in all.

    Both rules hold within one person, so the rows are checked a few hundred thousand
    at a time (ranges of people): the sorts' temporaries stay those of one piece,
    however long the file.
    """
    arrays = entries.columns()
    person, period = arrays["person"], arrays["period"]
    starts = np.array([p.start.toordinal() for p in entries.periods], dtype=np.int32)
    ends = np.array([p.end.toordinal() for p in entries.periods], dtype=np.int32)
    one_day = starts == ends
    found: list[rowchecks.Overlap] = []
    days: list[rowchecks.DayTotal] = []
    overlapping = too_long = 0
    for positions in rowchecks.parts(person, most=CHECK_PIECE_ROWS):
        piece_person, piece_period = person[positions], period[positions]
        piece_hours = arrays["hours"][positions]
        piece_found, total = rowchecks.overlaps(
            _person_and_project(entries, piece_person, arrays["project"][positions]),
            starts[piece_period],
            ends[piece_period],
            piece_hours,
            limit=MAX_PROBLEMS - len(found),
        )
        found.extend(
            rowchecks.Overlap(int(positions[o.position]), int(positions[o.other]), o.identical)
            for o in piece_found
        )
        overlapping += total
        # More than 24 hours for one person on one day, across projects.
        day = piece_person.astype(np.int32)  # fewer than 500 periods a year
        day *= len(entries.periods)
        day += piece_period
        day[~one_day[piece_period] | (piece_person < 0)] = -1
        piece_days, total = rowchecks.day_totals_over(
            day, piece_hours, limit=MAX_PROBLEMS - len(days)
        )
        del day
        days.extend(
            rowchecks.DayTotal([int(positions[i]) for i in d.positions], d.hundredths)
            for d in piece_days
        )
        too_long += total
    return found, overlapping, days, too_long


def _person_and_project(
    entries: Entries, person: npt.NDArray[Any], project: npt.NDArray[Any]
) -> npt.NDArray[np.signedinteger[Any]]:
    """Person and project as one number per row (int32 while it fits: half the memory)."""
    projects = len(entries.projects)
    wide = (len(entries.people) + 1) * projects >= 2**31
    group: npt.NDArray[np.signedinteger[Any]] = person.astype(np.int64 if wide else np.int32)
    group += 1
    group *= projects
    group += project
    return group


class HoursImporter(ProjectLookupMixin, Importer):
    """The time system's export: one row per person, project and period with hours.

    A centre's own headings are mapped once (``oppdrag hours columns``) and kept.
    Re-importing a period replaces the hours stored for it. Rows are refused for
    unknown projects or people, negative hours, more than 24 hours for one person
    on one day, and periods that overlap for the same person and project.

    The export is large (200 000 rows a year for one centre, ten million for the
    nation), so this importer reads it with its one fast path (``reading``: the
    ordinary column cleaning, cached per distinct cell text, five integers kept per
    row) instead of ``Importer._validate``. The checks across rows work on those
    integers (``rowchecks``); the entries are stored one row each (``TimeEntry``,
    in bulk by ``services.replace_time_entries``), and one ``HoursImport`` records
    the run.
    """

    kind = "hours"
    label = "timer"
    columns = [
        Column("Person", "person", "clean_person", aliases=("Navn", "Ansatt", "Medarbeider")),
        Column(
            "Prosjektnummer",
            "project",
            "clean_project",
            required=True,
            aliases=("Prosjektnr", "Prosjekt nr", "Prosjektnr.", "Prosjektkode"),
        ),
        Column("Prosjektnavn", "project_name", aliases=("Prosjekt", "Prosjekt/aktivitet")),
        Column(
            "Periode",
            "period",
            "clean_period",
            required=True,
            aliases=("Dato", "Dag", "Uke", "Måned", "Maaned"),
        ),
        Column(
            "Timer",
            "hours",
            _stored_hours,
            required=True,
            aliases=("Antall timer", "Timer registrert", "Ant. timer"),
        ),
    ]

    def prepare(self) -> None:
        self.load_projects()
        # The people themselves, in the register's order (by name): a third of
        # the time of loading each register entry with its person.
        staff = Person.objects.filter(staff_records__center=self.center).order_by("name")
        self.people = NameLookup(_("person i personalregisteret"), ((p.name, p) for p in staff))
        self._periods: dict[str, Period] = {}
        self._person_cache: dict[str, Person] = {}
        mapping = HoursColumnMapping.objects.filter(center=self.center).first()
        by_key = {c.key: c for c in self.columns}
        self.mapped: dict[str, Column] = {}
        for heading, key in (mapping.mapping if mapping else {}).items():
            if key in by_key:
                self.mapped[header_key(heading)] = replace(by_key[key], header=heading, aliases=())

    def extra_column(self, header: str) -> Column | None:
        return self.mapped.get(header_key(header))

    def clean_person(self, text: str) -> Person:
        person = self._person_cache.get(text)
        if person is None:
            person = self.people.get(person_name(text))
            self._person_cache[text] = person
        return person

    def clean_period(self, text: str) -> Period:
        period = self._periods.get(text)
        if period is None:
            period = parse_period(text)
            self._periods[text] = period
        if period.start.year != self.year or period.end.year != self.year:
            raise ValueError(
                _("Perioden «{text}» er ikke innenfor {year}, året som importeres.").format(
                    text=text, year=self.year
                )
            )
        return period

    def check_row(self, values: dict[str, Any]) -> None:
        period: Period = values["period"]
        if values["hours"] > 24 * period.days:
            raise CellError(
                "Timer",
                _("{hours} timer er mer enn perioden {period} har ({limit} timer).").format(
                    hours=values["hours"], period=period, limit=24 * period.days
                ),
            )

    # --- the run --------------------------------------------------------------------
    def run(self, path: Path, *, dry_run: bool = False) -> ImportResult:
        self.file_name = path.name
        self.notes: list[str] = []
        result = ImportResult(kind=self.kind, file=path.name, dry_run=dry_run)
        self.prepare()
        entries = read_entries(self, path, result)
        if entries is None or result.problems:
            return result
        problems = self._check_entries(entries) or self._check_stored(entries)
        if problems:
            self._add_problems(result, problems)
            return result
        result.rows = len(entries)
        if dry_run:
            result.added = len(entries)
            return result
        with transaction.atomic():
            result.added = self._save(entries, path)
        result.notes.extend(self.notes)
        return result

    def _check_entries(self, entries: Entries) -> list[Problem]:
        """Overlapping periods and days of more than 24 hours, across the file's rows."""
        if len(entries) < 2:
            return []
        found, overlapping, days, too_long = _rows_breaking_rules(entries)
        arrays = entries.columns()
        problems = [self._overlap_problem(entries, arrays, overlap) for overlap in found]
        problems.extend(self._uncounted(overlapping - len(found)))
        days.sort(key=lambda d: d.positions[0])
        problems.extend(self._long_day_problem(entries, arrays, day) for day in days)
        problems.extend(self._uncounted(too_long - len(days)))
        problems.sort(key=lambda p: p.row or 0)
        return problems

    def _overlap_problem(
        self, entries: Entries, arrays: dict[str, npt.NDArray[Any]], overlap: rowchecks.Overlap
    ) -> Problem:
        """A row whose period overlaps another's for the same person and project."""
        number, period = arrays["number"], arrays["period"]
        row, other = int(number[overlap.position]), int(number[overlap.other])
        if overlap.identical:
            message = _("Raden er lik rad {first}.").format(first=other)
        else:
            message = _(
                "Perioden {period} overlapper perioden {other} på rad {row} "
                "for samme person og prosjekt."
            ).format(
                period=entries.periods[period[overlap.position]],
                other=entries.periods[period[overlap.other]],
                row=other,
            )
        return Problem(self.file_name, message, entries.sheet, row, "Periode")

    def _long_day_problem(
        self, entries: Entries, arrays: dict[str, npt.NDArray[Any]], day: rowchecks.DayTotal
    ) -> Problem:
        """One person's day of more than 24 hours, naming its rows."""
        rows = sorted(int(arrays["number"][i]) for i in day.positions)
        first = day.positions[0]
        return Problem(
            self.file_name,
            _("{name} har {hours} timer {day} (rad {rows}); en dag har høyst 24 timer.").format(
                name=entries.people[arrays["person"][first]].name,
                hours=_format_hours(day.hundredths),
                day=entries.periods[arrays["period"][first]].start.strftime("%d.%m.%Y"),
                rows=", ".join(str(r) for r in rows),
            ),
            entries.sheet,
            rows[-1],
            "Timer",
        )

    def _uncounted(self, more: int) -> list[Problem]:
        if more <= 0:
            return []
        return [
            Problem(
                self.file_name,
                _("… og {count} rader til med samme slags feil.").format(count=more),
            )
        ]

    def _check_stored(self, entries: Entries) -> list[Problem]:
        """Stored entries that reach over the file's period would be cut in two."""
        start, end = entries.span()
        count = services.straddling_entries(self.center, start, end)
        if not count:
            return []
        return [
            Problem(
                self.file_name,
                _(
                    "{count} lagrede registreringer går over kanten av filens periode "
                    "{start}–{end}; importer hele perioden de dekker."
                ).format(
                    count=count, start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y")
                ),
            )
        ]

    def _save(self, entries: Entries, path: Path) -> int:
        start, end = entries.span()
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        total = int(np.frombuffer(entries.hours, dtype=np.int32).sum(dtype=np.int64))
        _batch, replaced = services.replace_time_entries(
            center=self.center,
            user=self.user,
            file_name=path.name,
            sha256=digest,
            start=start,
            end=end,
            count=len(entries),
            hours=Decimal(total) / 100,
            entries=self._rows(entries),
        )
        if replaced:
            self.notes.append(
                _(
                    "Timene for {start}–{end} var importert før; {count} tidligere "
                    "registreringer er erstattet av filens {rows}."
                ).format(
                    start=start.strftime("%d.%m.%Y"),
                    end=end.strftime("%d.%m.%Y"),
                    count=replaced,
                    rows=len(entries),
                )
            )
        return len(entries)

    @staticmethod
    def _rows(entries: Entries) -> Iterator[services.EntryRow]:
        """The kept rows as the service takes them, in the file's order; each distinct
        person, project, period and hours figure made into text once."""
        people: list[int | None] = [p.pk for p in entries.people]
        people.append(None)  # index -1: no person
        projects = [p.pk for p in entries.projects]
        periods = [(p.start.isoformat(), p.end.isoformat()) for p in entries.periods]
        texts: dict[int, str] = {}
        for p, j, q, h in zip(
            entries.person, entries.project, entries.period, entries.hours, strict=True
        ):
            text = texts.get(h)
            if text is None:
                text = texts[h] = _format_hours(h)
            yield (people[p], projects[j], *periods[q], text)


# --- time projects and report groups ----------------------------------------------------

KIND_CHOICES = {"oppdrag": ReportGroup.Kind.ASSIGNMENT, "annet": ReportGroup.Kind.OTHER}
COUNTS_CHOICES = {
    "arbeid": ReportGroup.CountsAs.WORK,
    "ferie": ReportGroup.CountsAs.HOLIDAY,
    "fravær": ReportGroup.CountsAs.ABSENCE,
}


class TimeProjectImporter(ProjectLookupMixin, Importer):
    """The project list with each project's report group and assignments for the year.

    Importing it again for a year replaces that year's groups and mappings; the
    projects themselves are kept and updated by number.
    """

    kind = "time-projects"
    label = "timeprosjekter"
    columns = [
        Column("Prosjektnummer", "number", _text(30), required=True, aliases=("Prosjektnr",)),
        Column("Prosjekt", "name", _text(200), required=True, aliases=("Prosjektnavn",)),
        Column("Kapittel", "label", _text(30), aliases=("Kapittel i årsrapport",)),
        Column("Gruppe", "group", _text(200), required=True),
        Column("Type", "kind", _choice(KIND_CHOICES, "gruppetype")),
        Column("Teller som", "counts_as", _choice(COUNTS_CHOICES, "timetype")),
        Column("Oppdrag", "assignments", "clean_assignments"),
        Column("Aktiv fra", "active_from", _year),
        Column("Aktiv til", "active_to", _year),
    ]

    def prepare(self) -> None:
        self.load_projects()
        self.assignments = {
            a.number: a
            for a in Assignment.objects.filter(center=self.center, year=self.year).order_by()
        }

    def clean_assignments(self, text: str) -> list[tuple[Assignment, Decimal]]:
        """«3.1.1» or «3.1.1: 2; 3.1.4: 1» (number, optional weight)."""
        found = []
        for part in re.split(r"[;,]", text):
            if not part.strip():
                continue
            number, _sep, weight_text = part.partition(":")
            number = number.strip().rstrip(".")
            assignment = self.assignments.get(number)
            if assignment is None:
                known = ", ".join(sorted(self.assignments, key=assignment_sort_key))
                raise ValueError(
                    _("Oppdrag {number} finnes ikke for {year}. Kjente oppdrag: {known}.").format(
                        number=number, year=self.year, known=known or _("(ingen)")
                    )
                )
            weight = parse_decimal(weight_text) if weight_text.strip() else Decimal(1)
            if weight <= 0:
                raise ValueError(
                    _("Vekten for oppdrag {number} må være over null.").format(number=number)
                )
            found.append((assignment, weight))
        return found

    def check_all(self, rows: list[Row]) -> list[Problem]:
        problems: list[Problem] = []
        numbers: dict[str, int] = {}
        groups: dict[str, tuple[int, tuple[Any, ...]]] = {}
        for row in rows:
            v = row.values
            first = numbers.setdefault(v["number"], row.number)
            if first != row.number:
                problems.append(
                    Problem(
                        self.file_name,
                        _("Prosjektnummer {number} står også på rad {first}.").format(
                            number=v["number"], first=first
                        ),
                        row.sheet,
                        row.number,
                        "Prosjektnummer",
                    )
                )
            shape = (
                v.get("label", ""),
                v.get("kind", ReportGroup.Kind.OTHER),
                v.get("counts_as", ReportGroup.CountsAs.WORK),
            )
            seen = groups.setdefault(fold(v["group"]), (row.number, shape))
            if seen[1] != shape:
                problems.append(
                    Problem(
                        self.file_name,
                        _(
                            "Gruppen «{group}» har annet kapittel, type eller timetype enn på "
                            "rad {first}."
                        ).format(group=v["group"], first=seen[0]),
                        row.sheet,
                        row.number,
                        "Gruppe",
                    )
                )
        return problems

    def save(self, rows: list[Row]) -> tuple[int, int]:
        added, changed = self._save_projects(rows)
        # The year's structure is replaced as a whole.
        center, year, user = self.center, self.year, self.user
        services.bulk_delete_with_history(
            ProjectAssignment.objects.filter(center=center, assignment__year=year), user
        )
        services.bulk_delete_with_history(
            ProjectMapping.objects.filter(center=center, year=year), user
        )
        services.bulk_delete_with_history(
            ReportGroup.objects.filter(center=center, year=year), user
        )
        self._save_structure(rows, self._save_groups(rows))
        return added, changed

    def _save_projects(self, rows: list[Row]) -> tuple[int, int]:
        """New projects added and changed ones updated (name, active period), each with
        its history row; returns how many of each."""
        added: list[TimeProject] = []
        changed: list[TimeProject] = []
        for row in rows:
            v = row.values
            project = self.projects.get(v["number"])
            fields = {
                "name": v["name"],
                "active_from": v.get("active_from"),
                "active_to": v.get("active_to"),
            }
            if project is None:
                project = TimeProject(center=self.center, number=v["number"], **fields)
                added.append(project)
            elif any(getattr(project, k) != val for k, val in fields.items()):
                for k, val in fields.items():
                    setattr(project, k, val)
                changed.append(project)
            self.projects[v["number"]] = project
        if added:
            create_instances_with_history(added, user=self.user)
            numbers = [p.number for p in added]
            stored = TimeProject.objects.filter(center=self.center, number__in=numbers)
            self.projects.update({p.number: p for p in stored})
        if changed:
            update_with_history(changed, ["name", "active_from", "active_to"], user=self.user)
        return len(added), len(changed)

    def _save_groups(self, rows: list[Row]) -> dict[str, ReportGroup]:
        """The year's report groups in the order the file first names them, stored; by
        folded title."""
        groups: dict[str, ReportGroup] = {}
        for row in rows:
            v = row.values
            key = fold(v["group"])
            if key not in groups:
                groups[key] = ReportGroup(
                    center=self.center,
                    year=self.year,
                    label=v.get("label", ""),
                    title=v["group"],
                    kind=v.get("kind", ReportGroup.Kind.OTHER),
                    counts_as=v.get("counts_as", ReportGroup.CountsAs.WORK),
                    position=len(groups) + 1,
                )
        create_instances_with_history(list(groups.values()), user=self.user)
        stored = ReportGroup.objects.filter(center=self.center, year=self.year)
        return {fold(g.title): g for g in stored}

    def _save_structure(self, rows: list[Row], groups: dict[str, ReportGroup]) -> None:
        """Each project's group for the year and its assignments with their weights."""
        center, year, user = self.center, self.year, self.user
        create_instances_with_history(
            [
                ProjectMapping(
                    center=center,
                    year=year,
                    project=self.projects[row.values["number"]],
                    group=groups[fold(row.values["group"])],
                )
                for row in rows
            ],
            user=user,
        )
        create_instances_with_history(
            [
                ProjectAssignment(
                    center=center,
                    project=self.projects[row.values["number"]],
                    assignment=assignment,
                    weight=weight,
                )
                for row in rows
                for assignment, weight in row.values.get("assignments", [])
            ],
            user=user,
        )


# --- staff register ---------------------------------------------------------------------

POSITION_KINDS = {
    "stilling": PositionChange.Kind.POSITION,
    "ansatt": PositionChange.Kind.POSITION,
    "redusert": PositionChange.Kind.REDUCED,
    "endring": PositionChange.Kind.REDUCED,
    "permisjon": PositionChange.Kind.LEAVE,
    "pensjon": PositionChange.Kind.RETIREMENT,
    "sluttet": PositionChange.Kind.END,
}
_ZERO_KINDS = {PositionChange.Kind.RETIREMENT, PositionChange.Kind.END}


def _person_text(text: str) -> str:
    return _no_contact_details(person_name(text))


class StaffImporter(Importer):
    """The staff register: one row per person and position period.

    A person's first row gives competence, role and areas; each row is a period
    with a percentage («Stilling» 100 from 01.01, «Redusert» 80 from 01.09,
    «Permisjon» 20 for the year, «Pensjon» from 01.12). Importing a person again
    replaces their periods. Phone numbers and e-mail addresses are refused.
    """

    kind = "staff"
    label = "ansatte"
    columns = [
        Column("Navn", "name", _person_text, required=True),
        Column("Formell kompetanse", "competence", _lines, aliases=("Kompetanse",)),
        Column("Stilling", "role", _safe_text(200)),
        Column("Arbeidsområder", "areas", _lines, aliases=("Arbeidsområde",)),
        Column("Endring", "kind", _choice(POSITION_KINDS, "endring")),
        Column("Stillingsprosent", "percentage", _percentage, aliases=("Prosent",)),
        Column("Fra", "start", parse_date),
        Column("Til", "end", parse_date),
        Column("Ekstern", "external", parse_yes_no),
        Column("Avdeling", "department", _safe_text(200)),
        Column("Merknad", "note", _safe_text(300)),
    ]
    reject_duplicate_rows = True

    def check_row(self, values: dict[str, Any]) -> None:
        kind = values.setdefault("kind", PositionChange.Kind.POSITION)
        if "percentage" not in values:
            if kind not in _ZERO_KINDS:
                raise CellError("Stillingsprosent", _("Cellen må fylles ut."))
            values["percentage"] = Decimal(0)
        values.setdefault("start", dt.date(self.year, 1, 1))
        if values.get("end") and values["end"] < values["start"]:
            raise CellError("Til", _("Perioden slutter før den begynner."))

    def save(self, rows: list[Row]) -> tuple[int, int]:
        center, user = self.center, self.user
        by_name: dict[str, list[Row]] = {}
        for row in rows:
            by_name.setdefault(row.values["name"], []).append(row)
        people = {p.name: p for p in Person.objects.filter(center=center, name__in=list(by_name))}
        new_people = [
            Person(
                center=center,
                name=name,
                is_staff_member=not group[0].values.get("external"),
                affiliation=group[0].values.get("department", ""),
            )
            for name, group in by_name.items()
            if name not in people
        ]
        if new_people:
            create_instances_with_history(new_people, user=user)
            people.update(
                {
                    p.name: p
                    for p in Person.objects.filter(
                        center=center, name__in=[p.name for p in new_people]
                    )
                }
            )
        existing = {
            s.person_id: s
            for s in StaffMember.objects.filter(center=center, person__in=people.values())
        }
        added = updated = 0
        staff_by_name: dict[str, StaffMember] = {}
        for name, group in by_name.items():
            first = {k: v for row in reversed(group) for k, v in row.values.items()}
            fields = {
                "competence": first.get("competence", ""),
                "role": first.get("role", ""),
                "areas": first.get("areas", ""),
                "is_external": bool(first.get("external")),
                "department": first.get("department", ""),
            }
            staff = existing.get(people[name].pk)
            if staff is None:
                staff = StaffMember(center=center, person=people[name], **fields)
                added += 1
            else:
                for key, value in fields.items():
                    setattr(staff, key, value)
                updated += 1
            services.save_with_history([staff], user)
            staff_by_name[name] = staff
        services.bulk_delete_with_history(
            PositionChange.objects.filter(staff__in=list(staff_by_name.values())), user
        )
        create_instances_with_history(
            [
                PositionChange(
                    center=center,
                    staff=staff_by_name[row.values["name"]],
                    kind=row.values["kind"],
                    start=row.values["start"],
                    end=row.values.get("end"),
                    percentage=row.values["percentage"],
                    note=row.values.get("note", ""),
                )
                for row in rows
            ],
            user=user,
        )
        return added, updated


class ExternalHoursImporter(ProjectLookupMixin, Importer):
    """Hours of external collaborators (e.g. researchers of the host) for the year.

    Each person is added to the register as external if not there yet; importing
    the year again replaces its external hours.
    """

    kind = "external-hours"
    label = "eksterne timer"
    columns = [
        Column("Navn", "name", _person_text, required=True),
        Column("Avdeling", "department", _safe_text(200)),
        Column("Stilling", "role", _safe_text(200)),
        Column("Samarbeid", "work", _safe_text(2000), aliases=("Samarbeid med senteret",)),
        Column("Prosjektnummer", "projects", "clean_projects", aliases=("Prosjekter",)),
        Column("Antall timer", "hours", _non_negative, required=True, aliases=("Timer",)),
        Column("Merknad", "note", _safe_text(300)),
    ]

    def prepare(self) -> None:
        self.load_projects()

    def save(self, rows: list[Row]) -> tuple[int, int]:
        center, year, user = self.center, self.year, self.user
        names = {row.values["name"] for row in rows}
        people = {p.name: p for p in Person.objects.filter(center=center, name__in=names)}
        staff = {
            s.person.name: s
            for s in StaffMember.objects.filter(
                center=center, person__name__in=names
            ).select_related("person")
        }
        for row in rows:
            v = row.values
            name = v["name"]
            if name not in people:
                person = Person(center=center, name=name, affiliation=v.get("department", ""))
                services.save_with_history([person], user)
                people[name] = person
            if name not in staff:
                member = StaffMember(
                    center=center,
                    person=people[name],
                    is_external=True,
                    department=v.get("department", ""),
                    role=v.get("role", ""),
                    note=v.get("note", ""),
                )
                services.save_with_history([member], user)
                staff[name] = member
        old = ExternalHours.objects.filter(center=center, year=year)
        ExternalHours.projects.through.objects.filter(externalhours__in=old).delete()
        services.bulk_delete_with_history(old, user)
        created = create_instances_with_history(
            [
                ExternalHours(
                    center=center,
                    year=year,
                    staff=staff[row.values["name"]],
                    work=row.values.get("work", ""),
                    hours=row.values["hours"],
                )
                for row in rows
            ],
            user=user,
        )
        ExternalHours.projects.through.objects.bulk_create(
            [
                ExternalHours.projects.through(externalhours_id=obj.pk, timeproject_id=p.pk)
                for obj, row in zip(created, rows, strict=True)
                for p in row.values.get("projects", [])
            ]
        )
        return len(created), 0


PUBLISHED_KINDS = {
    "gruppe": PublishedHoursTotal.Kind.GROUP,
    "utført": PublishedHoursTotal.Kind.PERFORMED,
    "totalt": PublishedHoursTotal.Kind.TOTAL,
    "ansatte": PublishedHoursTotal.Kind.STAFF_FTE,
    "eksterne": PublishedHoursTotal.Kind.EXTERNAL,
    "merknad": PublishedHoursTotal.Kind.NOTE,
}


class PublishedHoursImporter(Importer):
    """A published hours table's sums, shares and FTE, to reconcile with the computed one.

    Importing a year again replaces its published lines.
    """

    kind = "published-hours"
    label = "publiserte timetall"
    columns = [
        Column("Type", "kind", _choice(PUBLISHED_KINDS, "linjetype")),
        Column("Kapittel", "label", _text(30)),
        Column("Linje", "title", _text(200), required=True, aliases=("Gruppe",)),
        Column("Timer", "hours", parse_decimal, aliases=("SUM",)),
        Column("Prosent", "share", _optional_decimal, aliases=("I prosent av totalen",)),
        Column("Årsverk", "fte", parse_decimal),
        Column("Kilde", "source", _text(200)),
        # The text of a note line (type «merknad»), printed under appendix 7.
        Column("Merknad", "note", lambda text: text.strip()),
    ]

    def check_row(self, values: dict[str, Any]) -> None:
        if values.get("kind") == PublishedHoursTotal.Kind.NOTE and not values.get("note"):
            raise CellError("Merknad", _("En linje av typen «merknad» må ha en tekst."))

    def save(self, rows: list[Row]) -> tuple[int, int]:
        services.bulk_delete_with_history(
            PublishedHoursTotal.objects.filter(center=self.center, year=self.year), self.user
        )
        created = create_instances_with_history(
            [
                PublishedHoursTotal(
                    center=self.center,
                    year=self.year,
                    kind=row.values.get("kind", PublishedHoursTotal.Kind.GROUP),
                    label=row.values.get("label", ""),
                    title=row.values["title"],
                    hours=row.values.get("hours"),
                    share=row.values.get("share"),
                    fte=row.values.get("fte"),
                    source=row.values.get("source", ""),
                    note=row.values.get("note", ""),
                )
                for row in rows
            ],
            user=self.user,
        )
        return len(created), 0


HOURS_IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        TimeProjectImporter,
        StaffImporter,
        HoursImporter,
        ExternalHoursImporter,
        PublishedHoursImporter,
    )
}

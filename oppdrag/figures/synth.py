"""A deterministic synthetic nation of centres with the shape of the NAPHA 2025 demo.

``synthesize(centers=21, years=10, scale=1, seed=0)`` writes, for every centre and
year, the records a real centre keeps: a grant with its assignment tree, events
(themes, formats, scope, participants, regions, municipalities, organisers,
assignments, series), presentations with contributors, op-eds, consultation
responses, publications, media appearances, groups, topic-page visits, service
teams with statuses, fidelity reviews, hours per person, project and working
day with the staff register and the report groups, and the grant's money: one
budget line, a budget and a ledger, generated and marked so (``is_generated``) as the
demo's are. Every distribution is estimated
from the demo files in ``demo/napha-2025/`` (``demo_shape()``), so the synthetic
years look like the demo year multiplied out: 21 centres × 10 years is about
30 000 events, 30 000 presentations, 2 500 teams and 10 million hour rows.

Same arguments, same data: every random draw comes from a ``random.Random`` seeded
with the seed, the prefix, the centre, the year and the part being drawn (uids
included). ``content_hash(center)`` hashes a centre's rows without their database
ids and write times (``created_at``/``updated_at``), so two runs can be compared.

Synthetic rows are written without per-row history (django-simple-history): they
have no author and no earlier version to remember, and a history row for each of
ten million hour rows would double the volume and the time while telling nothing.
All writes go through ``insert()``: ``bulk_create`` where the new ids are needed,
``COPY`` on PostgreSQL and ``executemany`` on SQLite otherwise. Each centre-year is
one transaction and the hour rows are streamed in batches, so memory stays flat
whatever the scale.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction

if TYPE_CHECKING:
    from oppdrag.finance.models import CostType

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "napha-2025"
DEMO_CENTER_NAMES = ("NAPHA",)  # the demo centre's own name in its organiser lists
FIRST_YEAR_DEFAULT = 2016
BATCH = 5_000
HOURS_BATCH = 50_000
# The national target: 21 centres × 10 years ≈ 2 500 teams where the demo centre has
# 210, so a synthetic centre has this share of the demo's teams (times its size).
TEAM_SHARE = 0.52
# Hour rows: a person's projects, and how many of them get hours on a working day
# (about six: 21 × 10 centre-years × ~35 people × ~1 390 rows ≈ 10 million rows).
PORTFOLIO = 12
PROJECTS_PER_DAY = (3, 9)
# Norwegian first and family names, common enough to identify nobody.
FIRST_NAMES = (
    "Anne", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Guro", "Hans", "Ingrid", "Jon", "Kari",
    "Lars", "Marit", "Nils", "Oda", "Per", "Randi", "Sigurd", "Tone", "Ulf", "Vigdis", "Øystein",
    "Åse", "Geir", "Hilde", "Knut", "Liv", "Morten", "Nina", "Ole", "Silje", "Trond",
)  # fmt: skip
FAMILY_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen",
)  # fmt: skip


# --- The demo's shape -------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _parts(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace(" og ", ", ").split(",") if p.strip())


def _int(text: str) -> int | None:
    text = text.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    return round(float(text)) if text else None


@dataclass(frozen=True)
class Shape:
    """Counts and distributions of one demo year (plain data, no database)."""

    events: list[dict[str, str]]
    presentations: list[dict[str, str]]
    op_eds: list[dict[str, str]]
    consultations: list[dict[str, str]]
    publications: list[dict[str, str]]
    media: list[dict[str, str]]
    groups: list[dict[str, str]]
    topic_pages: list[dict[str, str]]
    assignments: list[dict[str, str]]
    series: list[dict[str, str]]
    projects: list[dict[str, str]]
    project_hours: dict[str, int]
    staff: int
    teams: list[dict[str, str]]
    reviews: list[dict[str, str]]
    participants: list[int | None] = field(default_factory=list)


@cache
def demo_shape() -> Shape:
    """Read the demo files once; the generators draw from their rows and counts."""
    events = _rows("events.csv")
    return Shape(
        events=events,
        presentations=_rows("presentations.csv"),
        op_eds=_rows("op-eds.csv"),
        consultations=_rows("consultation-responses.csv"),
        publications=_rows("publications.csv"),
        media=_rows("media.csv"),
        groups=_rows("groups.csv"),
        topic_pages=_rows("topic-pages.csv"),
        assignments=_rows("assignments.csv"),
        series=_rows("event-series.csv"),
        projects=_rows("time-projects.csv"),
        project_hours={r["Prosjektnummer"]: _int(r["Timer"]) or 0 for r in _rows("hours.csv")},
        staff=len({r["Navn"] for r in _rows("staff.csv")}),
        teams=_rows("teams.csv"),
        reviews=_rows("fidelity-reviews.csv"),
        participants=[_int(r["Antall deltakere"]) for r in events],
    )


# --- Writing ------------------------------------------------------------------------


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    raw: bool = False,
) -> list[int]:
    """Insert ``rows`` (tuples in the order of ``fields``, attribute names) into ``model``.

    By default the rows go through ``bulk_create`` (field defaults filled in) and
    their new ids come back in order. With ``raw`` every column must be given, as
    the database takes it (ints, strings: ISO dates, decimal text, uuid hex), and
    the rows stream in with ``COPY`` on PostgreSQL or ``executemany`` on SQLite:
    the fast path for the hour rows. The one place synthetic data is written, so a
    faster writer slots in here.
    """
    if not raw:
        ids: list[int] = []
        batch: list[models.Model] = []
        for row in rows:
            batch.append(model(**dict(zip(fields, row, strict=True))))
            if len(batch) >= BATCH:
                ids.extend(o.pk for o in model._default_manager.bulk_create(batch))
                batch = []
        if batch:
            ids.extend(o.pk for o in model._default_manager.bulk_create(batch))
        return ids
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]  # type: ignore[union-attr]
    quoted = ", ".join(connection.ops.quote_name(str(c)) for c in columns)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch_rows: list[Sequence[Any]] = []
            for row in rows:
                batch_rows.append(row)
                if len(batch_rows) >= HOURS_BATCH:
                    cursor.executemany(sql, batch_rows)
                    batch_rows = []
            if batch_rows:
                cursor.executemany(sql, batch_rows)
    return []


# --- Generation -----------------------------------------------------------------------


@dataclass
class Draw:
    """A seeded random stream for one part of one centre-year, with uids from it."""

    rng: random.Random

    @classmethod
    def of(cls, *key: object) -> Draw:
        """A stream keyed by text: ``random.Random(str)`` seeds from a SHA-512 of it,
        so the stream is the same in every process (no hash randomisation)."""
        return cls(random.Random("/".join(str(k) for k in key)))

    def uid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def pick(self, rows: Sequence[Any]) -> Any:
        return rows[self.rng.randrange(len(rows))]

    def count(self, base: float) -> int:
        """A count around ``base`` (±15 %), never negative."""
        return max(0, round(base * self.rng.uniform(0.85, 1.15)))

    def many(self, rows: Sequence[Any], factor: float) -> list[Any]:
        """About ``factor`` times as many rows as ``rows``, each drawn from them."""
        return [self.pick(rows) for _ in range(self.count(len(rows) * factor))]

    def day(self, year: int) -> dt.date:
        """A day of ``year`` (days 1 to 28 of a month)."""
        return dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))


def person_names(draw: Draw, n: int) -> list[str]:
    """``n`` distinct names; a repeated one gets a middle initial, as people's do."""
    ordered: list[str] = []
    taken: set[str] = set()
    while len(ordered) < n:
        name = f"{draw.pick(FIRST_NAMES)} {draw.pick(FAMILY_NAMES)}"
        while name in taken:
            initial = chr(ord("A") + draw.rng.randrange(26))
            name = f"{draw.pick(FIRST_NAMES)} {initial}. {draw.pick(FAMILY_NAMES)}"
        taken.add(name)
        ordered.append(name)
    return ordered


@dataclass
class Reference:
    """Ids of the reference data the records point to, read once per run."""

    regions: dict[str, int]
    municipalities_by_region: dict[str, list[int]]
    districts: list[int]
    organizations: dict[str, int]
    model_types: dict[str, int]

    @cached_property
    def all_municipalities(self) -> list[int]:
        return [m for ms in self.municipalities_by_region.values() for m in ms]

    @classmethod
    def load(cls) -> Reference:
        from oppdrag.core.models import CityDistrict, Municipality, Organization, Region
        from oppdrag.core.parsing import fold
        from oppdrag.teams.models import TeamModelType

        by_region: dict[str, list[int]] = {}
        for pk, region in (
            Municipality.objects.filter(valid_to__isnull=True)
            .order_by("number", "pk")
            .values_list("pk", "county__region__name")
        ):
            by_region.setdefault(region, []).append(pk)
        organizations: dict[str, int] = {}
        for org in Organization.objects.order_by("pk"):
            for name in [org.name, *org.alias_list()]:
                organizations.setdefault(fold(name), org.pk)
        return cls(
            regions=dict(Region.objects.order_by("pk").values_list("name", "pk")),
            municipalities_by_region=by_region,
            districts=list(CityDistrict.objects.order_by("number").values_list("pk", flat=True)),
            organizations=organizations,
            model_types={
                fold(name): pk
                for name, pk in TeamModelType.objects.order_by("pk").values_list("name", "pk")
            },
        )


@dataclass
class CenterPlan:
    """One synthetic centre: its row, size, home region, people, projects, teams."""

    number: int
    center: Any
    size: float
    region: str
    organization_id: int
    staff: list[int] = field(default_factory=list)
    externals: list[int] = field(default_factory=list)
    projects: dict[str, int] = field(default_factory=dict)
    teams: list[tuple[int, str, dt.date]] = field(default_factory=list)
    scale_versions: dict[str, int] = field(default_factory=dict)


@dataclass
class Synth:
    """Generates the data set; ``run()`` writes it. See the module docstring."""

    centers: int
    years: int
    scale: float = 1.0
    seed: int = 0
    first_year: int = FIRST_YEAR_DEFAULT
    prefix: str = "syn"
    progress: Callable[[str], None] | None = None
    counts: Counter[str] = field(default_factory=Counter)

    def run(self) -> list[Any]:
        self.shape = demo_shape()
        self.ref = Reference.load()
        self.plans: list[CenterPlan] = []
        plans = self.plans
        for number in range(1, self.centers + 1):
            with transaction.atomic():
                plan = self.make_center(number)
            plans.append(plan)
            for year in range(self.first_year, self.first_year + self.years):
                with transaction.atomic():
                    self.make_year(plan, year)
                if self.progress:
                    self.progress(f"{plan.center.slug} {year}: {dict(self.counts)}")
        return [p.center for p in plans]

    # -- rows common to every tenant model

    def stamp(self, year: int) -> dt.datetime:
        return dt.datetime(year, 12, 1, 12, tzinfo=dt.UTC)

    def tenant(self, plan: CenterPlan, draw: Draw, year: int) -> tuple[Any, ...]:
        at = self.stamp(year)
        return (plan.center.pk, draw.uid(), at, at)

    TENANT = ("center_id", "uid", "created_at", "updated_at")

    def put(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        raw: bool = False,
    ) -> list[int]:
        if isinstance(rows, list):  # generators count their own rows
            self.counts[model._meta.model_name or ""] += len(rows)
        return insert(model, fields, rows, raw=raw)

    # -- per centre

    def make_center(self, number: int) -> CenterPlan:
        from oppdrag.core.models import Center, Organization

        draw = Draw.of(self.seed, self.prefix, number, "center")
        slug = f"{self.prefix}{number:02d}"
        name = f"Syntetisk kompetansesenter {slug}"
        organization, _created = Organization.objects.get_or_create(
            name=name, defaults={"kind": Organization.Kind.CENTRE}
        )
        center = Center.objects.create(
            slug=slug, name=name, short_name=slug.upper(), organization=organization
        )
        regions = sorted(self.ref.municipalities_by_region)
        plan = CenterPlan(
            number=number,
            center=center,
            size=draw.rng.uniform(0.7, 1.5),
            region=regions[(number - 1) % len(regions)],
            organization_id=organization.pk,
        )
        self.make_people(plan, draw)
        self.make_projects(plan, draw)
        self.make_scales(plan, draw)
        self.make_teams(plan)
        self.make_accounts(plan, draw)
        return plan

    def make_people(self, plan: CenterPlan, draw: Draw) -> None:
        """The staff (who register hours, with a position) and external contributors."""
        from oppdrag.core.models import Person
        from oppdrag.hours.models import PositionChange, StaffMember

        first = self.first_year
        staff_n = max(2, round(self.shape.staff * plan.size * self.scale))
        names = person_names(draw, staff_n * 2)
        ids = self.put(
            Person,
            (*self.TENANT, "name", "is_staff_member", "affiliation"),
            [
                (*self.tenant(plan, draw, first), n, i < staff_n, "" if i < staff_n else "Ekstern")
                for i, n in enumerate(names)
            ],
        )
        plan.staff, plan.externals = ids[:staff_n], ids[staff_n:]
        members = self.put(
            StaffMember,
            (*self.TENANT, "person_id", "role", "competence"),
            [
                (*self.tenant(plan, draw, first), p, "Faglig rådgiver", "Sykepleier")
                for p in plan.staff
            ],
        )
        self.put(
            PositionChange,
            (*self.TENANT, "staff_id", "kind", "start", "percentage"),
            [
                (
                    *self.tenant(plan, draw, first),
                    s,
                    "position",
                    dt.date(first, 1, 1),
                    draw.pick([100, 100, 100, 80, 60]),
                )
                for s in members
            ],
        )

    def make_projects(self, plan: CenterPlan, draw: Draw) -> None:
        """The time system's projects, as in the demo."""
        from oppdrag.hours.models import TimeProject

        projects = self.shape.projects
        ids = self.put(
            TimeProject,
            (*self.TENANT, "number", "name"),
            [
                (*self.tenant(plan, draw, self.first_year), r["Prosjektnummer"], r["Prosjekt"])
                for r in projects
            ],
        )
        plan.projects = {r["Prosjektnummer"]: pk for r, pk in zip(projects, ids, strict=True)}

    def make_scales(self, plan: CenterPlan, draw: Draw) -> None:
        """Fidelity scales the reviews use (licensed, definitions not loaded)."""
        from oppdrag.teams.models import FidelityScale, FidelityScaleVersion

        first = self.first_year
        scales = [("fact", "FACT-skalaen", "fact"), ("fact-ung", "FACT ung-skalaen", "fact ung")]
        scale_ids = self.put(
            FidelityScale,
            (*self.TENANT, "key", "name", "model_type_id"),
            [
                (*self.tenant(plan, draw, first), k, n, self.ref.model_types.get(t))
                for k, n, t in scales
            ],
        )
        version_ids = self.put(
            FidelityScaleVersion,
            (*self.TENANT, "scale_id", "version"),
            [(*self.tenant(plan, draw, first), s, "ukjent") for s in scale_ids],
        )
        plan.scale_versions = {k: v for (k, _n, _t), v in zip(scales, version_ids, strict=True)}

    def municipalities(self, plan: CenterPlan, draw: Draw, n: int) -> list[int]:
        """``n`` municipalities, mostly from the centre's home region."""
        home = self.ref.municipalities_by_region[plan.region]
        everywhere = self.ref.all_municipalities
        chosen: set[int] = set()
        while len(chosen) < min(n, len(everywhere)):
            chosen.add(draw.pick(home if draw.rng.random() < 0.85 else everywhere))
        return sorted(chosen)

    def make_teams(self, plan: CenterPlan) -> None:
        from oppdrag.core.parsing import fold
        from oppdrag.teams.models import ServiceTeam, TeamStatus

        draw = Draw.of(self.seed, self.prefix, plan.number, "teams")
        n = draw.count(len(self.shape.teams) * TEAM_SHARE * plan.size * self.scale)
        first, last = self.first_year - 6, self.first_year + self.years - 1
        rows, kinds, extra = [], [], []
        per_type: Counter[str] = Counter()
        for _ in range(n):
            demo = draw.pick(self.shape.teams)
            kind = demo["Modell"]
            per_type[kind] += 1
            start = dt.date(draw.rng.randint(first, last), draw.rng.randint(1, 12), 1)
            rows.append(
                (
                    *self.tenant(plan, draw, start.year),
                    self.ref.model_types[fold(kind)],
                    f"{kind}-team {per_type[kind]:03d}",
                    self.ref.regions[plan.region],
                    start,
                    True,
                )
            )
            kinds.append((kind, start))
            extra.append(len(_parts(demo["Kommuner"])))
        ids = self.put(
            ServiceTeam,
            (*self.TENANT, "model_type_id", "name", "region_id", "start_date", "is_placeholder"),
            rows,
        )
        links: list[tuple[int, int]] = []
        for pk, count in zip(ids, extra, strict=True):
            links.extend((pk, m) for m in self.municipalities(plan, draw, count))
        self.put(ServiceTeam.municipalities.through, ("serviceteam_id", "municipality_id"), links)
        statuses = []
        for pk, (_kind, start) in zip(ids, kinds, strict=True):
            statuses.append((*self.tenant(plan, draw, start.year), pk, "established", start))
        self.put(TeamStatus, (*self.TENANT, "team_id", "status", "valid_from"), statuses)
        plan.teams = [(pk, kind, start) for pk, (kind, start) in zip(ids, kinds, strict=True)]

    # -- per centre-year

    def make_year(self, plan: CenterPlan, year: int) -> None:
        from oppdrag.core.models import ReportingYear

        draw = Draw.of(self.seed, self.prefix, plan.number, year, "year")
        self.put(
            ReportingYear,
            (*self.TENANT, "year", "status"),
            [(*self.tenant(plan, draw, year), year, "active")],
        )
        assignments = self.make_grant(plan, year)
        self.make_events(plan, year, assignments)
        self.make_presentations(plan, year)
        self.make_other_kinds(plan, year)
        self.make_reviews(plan, year)
        self.make_hours(plan, year, assignments)
        self.make_finance(plan, year, assignments)

    def make_grant(self, plan: CenterPlan, year: int) -> dict[str, int]:
        from oppdrag.grants.models import Assignment, Grant, assignment_sort_key, parent_number

        draw = Draw.of(self.seed, self.prefix, plan.number, year, "grant")
        amount = round(45_500_000 * plan.size * draw.rng.uniform(0.9, 1.1), -3)
        self.put(
            Grant,
            (*self.TENANT, "year", "scheme", "amount_nok", "recipient"),
            [
                (
                    *self.tenant(plan, draw, year),
                    year,
                    "Kompetansesentre innen rus- og psykisk helsefeltet",
                    int(amount),
                    plan.center.name,
                )
            ],
        )
        ids: dict[str, int] = {}
        # Parents before children, one insert per tree level.
        rows = sorted(self.shape.assignments, key=lambda r: r["Nummer"].count("."))
        for depth in sorted({r["Nummer"].count(".") for r in rows}):
            level = [r for r in rows if r["Nummer"].count(".") == depth]
            new = self.put(
                Assignment,
                (*self.TENANT, "year", "number", "title", "sort_key", "parent_id"),
                [
                    (
                        *self.tenant(plan, draw, year),
                        year,
                        r["Nummer"],
                        r["Tittel"],
                        assignment_sort_key(r["Nummer"]),
                        ids.get(parent_number(r["Nummer"]) or ""),
                    )
                    for r in level
                ],
            )
            ids.update({r["Nummer"]: pk for r, pk in zip(level, new, strict=True)})
        return ids

    def make_events(self, plan: CenterPlan, year: int, assignments: dict[str, int]) -> None:
        from oppdrag.activities import models as m

        shape = self.shape
        draw = Draw.of(self.seed, self.prefix, plan.number, year, "events")
        series_of = self.make_series(plan, year, draw)
        n = draw.count(len(shape.events) * plan.size * self.scale)
        rows, links = [], []
        for index in range(n):
            demo = draw.pick(shape.events)
            rows.append(self.event_row(plan, year, draw, demo, index, series_of))
            links.append(self.event_links(plan, draw, demo, assignments))
        ids = self.put(
            m.Event,
            (
                *self.TENANT,
                "year",
                "ref",
                "theme",
                "title",
                "participants",
                "scope",
                "audience",
                "format",
                "date_start",
                "series_id",
            ),
            rows,
        )
        regions: list[tuple[int, int]] = []
        municipalities: list[tuple[int, int]] = []
        organizers: list[tuple[int, int, int]] = []
        tags: list[tuple[int, int]] = []
        for pk, (rs, ms, os_, as_) in zip(ids, links, strict=True):
            regions.extend((pk, r) for r in rs)
            municipalities.extend((pk, x) for x in ms)
            organizers.extend((pk, o, i) for i, o in enumerate(os_))
            tags.extend((pk, a) for a in as_)
        self.put(m.Event.regions.through, ("event_id", "region_id"), regions)
        self.put(m.Event.municipalities.through, ("event_id", "municipality_id"), municipalities)
        self.put(m.EventOrganizer, ("event_id", "organization_id", "position"), organizers)
        self.put(m.Event.assignments.through, ("event_id", "assignment_id"), tags)

    def make_series(self, plan: CenterPlan, year: int, draw: Draw) -> dict[str, int]:
        """The demo's event series in ``year``; their ids by the demo's series name."""
        from oppdrag.activities.models import EventSeries

        series = self.shape.series
        ids = self.put(
            EventSeries,
            (*self.TENANT, "year", "name", "unique_participants", "teams"),
            [
                (
                    *self.tenant(plan, draw, year),
                    year,
                    f"{s['Serie'].rsplit(' ', 1)[0]} {year}",
                    round((_int(s["Unike deltakere"]) or 0) * plan.size * self.scale),
                    _int(s["Team"]),
                )
                for s in series
            ],
        )
        return {s["Serie"]: pk for s, pk in zip(series, ids, strict=True)}

    def event_row(
        self,
        plan: CenterPlan,
        year: int,
        draw: Draw,
        demo: dict[str, str],
        index: int,
        series_of: dict[str, int],
    ) -> tuple[Any, ...]:
        """One event like ``demo``, with participants drawn from the demo's counts."""
        participants = draw.pick(self.shape.participants)
        if participants is not None:
            participants = max(1, round(participants * draw.rng.uniform(0.7, 1.3)))
        date = draw.day(year) if demo["Dato"] else None
        return (
            *self.tenant(plan, draw, year),
            year,
            f"S{year % 100:02d}-{index + 1:04d}",
            demo["Tema"],
            demo["Hva"],
            participants,
            demo["Nasjonal/regional"],
            demo["Deltakere"],
            demo["Fysisk/digital"],
            date,
            series_of.get(demo["Serie"]),
        )

    def event_links(
        self, plan: CenterPlan, draw: Draw, demo: dict[str, str], assignments: dict[str, int]
    ) -> tuple[list[int], list[int], list[int], list[int]]:
        """An event's regions, municipalities, organisers and assignments, as ids."""
        from oppdrag.core.parsing import fold

        orgs: list[int] = []
        for name in _parts(demo["Arrangører"]):
            pk = (
                plan.organization_id
                if name in DEMO_CENTER_NAMES
                else self.ref.organizations.get(fold(name))
            )
            if pk is not None and pk not in orgs:
                orgs.append(pk)
        return (
            [self.ref.regions[r] for r in _parts(demo["Region"]) if r in self.ref.regions],
            self.municipalities(plan, draw, len(_parts(demo["Kommuner"]))),
            orgs,
            [assignments[a] for a in _parts(demo["Oppdrag"]) if a in assignments],
        )

    def people(self, plan: CenterPlan, draw: Draw, n: int) -> list[int]:
        """``n`` distinct contributors, mostly staff."""
        chosen: list[int] = []
        while len(chosen) < min(n, len(plan.staff)):
            pool = plan.staff if draw.rng.random() < 0.8 else plan.externals
            person = draw.pick(pool)
            if person not in chosen:
                chosen.append(person)
        return chosen

    def make_presentations(self, plan: CenterPlan, year: int) -> None:
        from oppdrag.activities import models as m

        draw = Draw.of(self.seed, self.prefix, plan.number, year, "presentations")
        n = draw.count(len(self.shape.presentations) * plan.size * self.scale)
        rows, people = [], []
        for _ in range(n):
            demo = draw.pick(self.shape.presentations)
            month = demo["Publiseringsdato"][3:5]
            day = dt.date(year, int(month) if month.isdigit() else 6, draw.rng.randint(1, 28))
            rows.append((*self.tenant(plan, draw, year), year, demo["Tittel"], day, demo["Type"]))
            people.append(self.people(plan, draw, len(_parts(demo["Bidragsytere"]))))
        ids = self.put(
            m.Presentation,
            (*self.TENANT, "year", "title", "date", "kind"),
            rows,
        )
        self.put(
            m.PresentationContributor,
            ("presentation_id", "person_id", "position"),
            [(pk, p, i) for pk, ps in zip(ids, people, strict=True) for i, p in enumerate(ps)],
        )

    def make_other_kinds(self, plan: CenterPlan, year: int) -> None:
        from oppdrag.activities import models as m

        shape = self.shape
        draw = Draw.of(self.seed, self.prefix, plan.number, year, "other")
        factor = plan.size * self.scale
        self.make_op_eds(plan, year, draw)
        self.put(
            m.ConsultationResponse,
            (*self.TENANT, "year", "title", "date"),
            [
                (*self.tenant(plan, draw, year), year, r["Tittel"], draw.day(year))
                for r in draw.many(shape.consultations, factor)
            ],
        )
        self.make_publications(plan, year, draw)
        self.put(
            m.MediaAppearance,
            (*self.TENANT, "year", "person_id", "role", "title", "outlet", "date"),
            [
                (
                    *self.tenant(plan, draw, year),
                    year,
                    draw.pick(plan.staff),
                    r["Rolle"],
                    r["Tittel"],
                    r["Medium"],
                    draw.day(year),
                )
                for r in draw.many(shape.media, factor)
            ],
        )
        self.put(
            m.Group,
            (*self.TENANT, "year", "name", "kind", "role"),
            [
                (*self.tenant(plan, draw, year), year, r["Navn"], r["Type"], r["Rolle"])
                for r in draw.many(shape.groups, factor)
            ],
        )
        self.make_topic_pages(plan, year, draw)

    def make_op_eds(self, plan: CenterPlan, year: int, draw: Draw) -> None:
        from oppdrag.activities.models import OpEd, OpEdAuthor

        op_eds = draw.many(self.shape.op_eds, plan.size * self.scale)
        ids = self.put(
            OpEd,
            (*self.TENANT, "year", "title", "kind", "outlet", "date"),
            [
                (
                    *self.tenant(plan, draw, year),
                    *(year, r["Tittel"], r["Type"], r["Kanal"], draw.day(year)),
                )
                for r in op_eds
            ],
        )
        self.put(
            OpEdAuthor,
            ("op_ed_id", "person_id", "position"),
            [
                (pk, p, i)
                for pk, r in zip(ids, op_eds, strict=True)
                for i, p in enumerate(self.people(plan, draw, r["Forfattere"].count(";") + 1))
            ],
        )

    def make_publications(self, plan: CenterPlan, year: int, draw: Draw) -> None:
        from oppdrag.activities.models import Publication, PublicationContributor

        publications = draw.many(self.shape.publications, plan.size * self.scale)
        ids = self.put(
            Publication,
            (*self.TENANT, "year", "title", "kind", "date"),
            [
                (*self.tenant(plan, draw, year), year, r["Tittel"], r["Type"], draw.day(year))
                for r in publications
            ],
        )
        self.put(
            PublicationContributor,
            ("publication_id", "person_id", "position"),
            [
                (pk, p, i)
                for pk, r in zip(ids, publications, strict=True)
                for i, p in enumerate(
                    self.people(plan, draw, min(4, len(_parts(r["Bidragsytere"]))))
                )
            ],
        )

    def make_topic_pages(self, plan: CenterPlan, year: int, draw: Draw) -> None:
        """Topic pages belong to the centre (made in the first year); visits to the year."""
        from oppdrag.activities.models import TopicPage, TopicPageVisits

        topic_pages = self.shape.topic_pages

        def visits(row: dict[str, str]) -> int:
            return _int(row["Antall besøk 2025"]) or 0

        if year == self.first_year:
            self.put(
                TopicPage,
                (*self.TENANT, "name"),
                [(*self.tenant(plan, draw, year), r["Temaside"]) for r in topic_pages],
            )
        pages = dict(TopicPage.objects.filter(center=plan.center).values_list("name", "pk"))
        self.put(
            TopicPageVisits,
            (*self.TENANT, "page_id", "year", "visits"),
            [
                (
                    *self.tenant(plan, draw, year),
                    pages[r["Temaside"]],
                    year,
                    max(0, round(visits(r) * plan.size * draw.rng.uniform(0.6, 1.4))),
                )
                for r in topic_pages
            ],
        )

    def make_reviews(self, plan: CenterPlan, year: int) -> None:
        from oppdrag.teams.models import FidelityReview

        draw = Draw.of(self.seed, self.prefix, plan.number, year, "reviews")
        candidates = [
            (pk, kind)
            for pk, kind, start in plan.teams
            if kind in {"FACT", "FACT ung"} and start.year < year
        ]
        n = draw.count(len(self.shape.reviews) * TEAM_SHARE * plan.size * self.scale)
        rows = []
        for _ in range(min(n, len(candidates))):
            team, kind = draw.pick(candidates)
            day = dt.date(year, draw.rng.randint(3, 11), draw.rng.randint(1, 28))
            rows.append(
                (
                    *self.tenant(plan, draw, year),
                    team,
                    day,
                    plan.scale_versions["fact" if kind == "FACT" else "fact-ung"],
                    "completed",
                    day - dt.timedelta(days=draw.rng.randint(40, 90)),
                    day - dt.timedelta(days=draw.rng.randint(10, 35)),
                )
            )
        self.put(
            FidelityReview,
            (
                *self.TENANT,
                "team_id",
                "date",
                "scale_version_id",
                "status",
                "agreement_signed_on",
                "dpo_approved_on",
            ),
            rows,
        )

    # -- finance: a generated budget and ledger, marked so as the demo's are

    def make_accounts(self, plan: CenterPlan, draw: Draw) -> None:
        """The demo's chart of accounts, mapped to cost types (kept across years)."""
        from oppdrag.finance.demo import ACCOUNTS
        from oppdrag.finance.models import AccountMapping

        self.put(
            AccountMapping,
            (*self.TENANT, "account", "name", "cost_type"),
            [(*self.tenant(plan, draw, self.first_year), *a) for a in ACCOUNTS],
        )

    def make_finance(self, plan: CenterPlan, year: int, assignments: dict[str, int]) -> None:
        """The grant as one budget line, a generated budget (``is_generated``) over the
        main assignments by the demo's shares, and a generated ledger (``is_generated``)
        of monthly salaries, rent and grant payments and postings on the projects."""
        from oppdrag.finance.calculations import split
        from oppdrag.finance.demo import OWN_FUNDING, SHARES
        from oppdrag.finance.models import (
            BudgetItem,
            BudgetRevision,
            CostType,
            Funding,
            LedgerProject,
            Source,
        )
        from oppdrag.grants.models import Grant

        draw = Draw.of(self.seed, self.prefix, plan.number, year, "finance")
        grant_id, amount = Grant.objects.filter(center=plan.center, year=year).values_list(
            "pk", "amount_nok"
        )[0]
        grant = Decimal(amount)
        (funding,) = self.put(
            Funding,
            (*self.TENANT, "year", "reference", "chapter", "post", "amount", "grant_id"),
            [(*self.tenant(plan, draw, year), year, "Eksempeldata", "765", "74", grant, grant_id)],
        )
        main = sorted(n for n in assignments if n.count(".") == 1)
        codes = {n: "P" + n.replace(".", "") for n in main}
        self.put(
            LedgerProject,
            (*self.TENANT, "year", "code", "name", "assignment_id", "funding_id"),
            [
                *((*self.tenant(plan, draw, year), year, codes[n], n, assignments[n], funding)
                  for n in main),
                (*self.tenant(plan, draw, year), year, "PADM", "Administrasjon", None, funding),
            ],
        )  # fmt: skip
        (revision,) = self.put(
            BudgetRevision,
            (*self.TENANT, "year", "number", "note", "is_generated"),
            [(*self.tenant(plan, draw, year), year, 1, "Eksempeldata: generert budsjett.", True)],
        )
        amounts = split(grant, SHARES)
        weights = {n: Decimal(draw.rng.randint(1, 10)) for n in main}
        items: list[tuple[Any, ...]] = []
        for cost_type, total in amounts.items():
            parts: dict[str, Decimal] = (
                {"": total} if cost_type == CostType.INDIRECT or not main else split(total, weights)
            )
            for number, share in parts.items():  # "": the centre's common costs
                target = assignments[number] if number else None
                items.append((Source.GRANT, funding, target, cost_type, share))
        items.append((Source.OWN, None, None, CostType.SALARIES, OWN_FUNDING))
        self.put(
            BudgetItem,
            (*self.TENANT, "revision_id", "source", "funding_id", "assignment_id", "cost_type",
             "amount"),
            [(*self.tenant(plan, draw, year), revision, *item) for item in items],
        )  # fmt: skip
        self.make_ledger(plan, year, draw, amounts, [*codes.values(), "PADM"])

    def make_ledger(
        self,
        plan: CenterPlan,
        year: int,
        draw: Draw,
        budget: dict[CostType, Decimal],
        codes: list[str],
    ) -> None:
        from oppdrag.finance.models import CostType, LedgerImport, LedgerLine

        cent = Decimal("0.01")
        grant = sum(budget.values(), Decimal(0))
        salaries = budget[CostType.SALARIES] * Decimal("0.97") / 12
        lines: list[tuple[dt.date, str, str, str, Decimal]] = []
        rent = budget[CostType.INDIRECT] / 12
        for month in range(1, 13):
            wage = (salaries / Decimal("1.141")).quantize(cent)
            lines += [
                (dt.date(year, month, 25), "5000", "", f"Lønn {month:02d}", wage),
                (dt.date(year, month, 25), "5400", "", "Arbeidsgiveravgift", salaries - wage),
                (dt.date(year, month, 1), "6300", "PADM", "Husleie", rent),
                (dt.date(year, month, 5), "3400", "", "Tilskudd, utbetaling", -grant / 12),
            ]  # fmt: skip
        others = [
            ("6800", CostType.OPERATIONS, "Kontorrekvisita"),
            ("6700", CostType.PURCHASED, "Konsulenttjenester"),
            ("7140", CostType.TRAVEL, "Reise"),
            ("7350", CostType.EVENTS, "Seminar"),
        ]
        count = max(1, round(60 * plan.size * self.scale))
        for account, cost_type, text in others:
            mean = budget[cost_type] * Decimal(draw.rng.uniform(0.85, 1.1)) / count
            for index in range(count):
                spent = mean * Decimal(draw.rng.uniform(0.5, 1.5))
                lines.append(
                    (draw.day(year), account, draw.pick(codes), f"{text} {index + 1}", spent)
                )
        lines = [(*line[:4], line[4].quantize(cent)) for line in lines]
        (batch,) = self.put(
            LedgerImport,
            (*self.TENANT, "year", "start", "end", "file_name", "sha256", "rows", "total",
             "is_generated"),
            [(*self.tenant(plan, draw, year), year, dt.date(year, 1, 1), dt.date(year, 12, 31),
              f"hovedbok-{year}-eksempeldata.csv", hashlib.sha256(draw.uid().encode()).hexdigest(),
              len(lines), sum((line[4] for line in lines), Decimal(0)), True)],
        )  # fmt: skip
        self.put(
            LedgerLine,
            (*self.TENANT, "batch_id", "year", "date", "account", "project", "text", "amount"),
            [(*self.tenant(plan, draw, year), batch, year, *line) for line in lines],
        )

    def make_hours(self, plan: CenterPlan, year: int, assignments: dict[str, int]) -> None:
        draw = Draw.of(self.seed, self.prefix, plan.number, year, "hours")
        self.make_report_groups(plan, year, draw, assignments)
        self.make_time_entries(plan, year, draw)

    def make_report_groups(
        self, plan: CenterPlan, year: int, draw: Draw, assignments: dict[str, int]
    ) -> None:
        """Report groups and the projects mapped to them, as in the demo's appendix 7."""
        from oppdrag.hours.models import ProjectAssignment, ProjectMapping, ReportGroup

        projects = self.shape.projects
        groups: dict[str, int] = {}
        order: list[dict[str, str]] = []
        for r in projects:
            if r["Gruppe"] not in groups:
                groups[r["Gruppe"]] = len(order)
                order.append(r)
        counts_as = {"arbeid": "work", "ferie": "holiday", "fravær": "absence"}
        group_ids = self.put(
            ReportGroup,
            (*self.TENANT, "year", "label", "title", "kind", "counts_as", "position"),
            [
                (
                    *self.tenant(plan, draw, year),
                    year,
                    r["Kapittel"],
                    r["Gruppe"],
                    "assignment" if r["Type"] == "oppdrag" else "other",
                    counts_as[r["Teller som"]],
                    i,
                )
                for i, r in enumerate(order)
            ],
        )
        self.put(
            ProjectMapping,
            (*self.TENANT, "year", "project_id", "group_id"),
            [
                (
                    *self.tenant(plan, draw, year),
                    year,
                    plan.projects[r["Prosjektnummer"]],
                    group_ids[groups[r["Gruppe"]]],
                )
                for r in projects
            ],
        )
        self.put(
            ProjectAssignment,
            (*self.TENANT, "project_id", "assignment_id", "weight"),
            [
                (
                    *self.tenant(plan, draw, year),
                    plan.projects[r["Prosjektnummer"]],
                    assignments[r["Oppdrag"]],
                    1,
                )
                for r in projects
                if r["Oppdrag"] in assignments
            ],
        )

    def make_time_entries(self, plan: CenterPlan, year: int, draw: Draw) -> None:
        """The day entries, one row each, as the hours import stores them (streamed by
        ``COPY`` on PostgreSQL); written by no import, so they point to none."""
        from oppdrag.hours.models import TimeEntry

        first = dt.date(year, 1, 1)
        days = [(first + dt.timedelta(days=d)).isoformat() for d in range(366)]
        hours = {q * 25: f"{q * 25 // 100}.{q * 25 % 100:02d}" for q in range(1, 31)}
        at = connection.ops.adapt_datetimefield_value(self.stamp(year))
        center = plan.center.pk
        # Their own draw for the ids, so the entries drawn are those of any other run.
        bits = Draw.of(self.seed, self.prefix, plan.number, year, "hour ids").rng.getrandbits
        rows = (
            (center, f"{bits(128):032x}", at, at, person, project, days[day], days[day], hours[h])
            for person, project, day, h in self.hour_entries(plan, year, draw)
        )
        fields = (*self.TENANT, "person_id", "project_id", "start", "end", "hours")
        self.put(TimeEntry, fields, rows, raw=True)

    def hour_entries(self, plan: CenterPlan, year: int, draw: Draw) -> Iterator[tuple[int, ...]]:
        """(person, project, day of the year, hundredths) per working day, as generated.

        Each person works on a portfolio of projects drawn with the demo's project
        hours as weights, splits a 7.5-hour day in quarter hours between three to
        nine of them (the national target's ten million rows), takes five weeks of
        holiday and is absent on about 4 % of days.
        """
        rng, shape = draw.rng, self.shape
        hours_of = {
            plan.projects[r["Prosjektnummer"]]: shape.project_hours.get(r["Prosjektnummer"], 0)
            for r in shape.projects
            if r["Teller som"] == "arbeid"
        }
        work = sorted(p for p, h in hours_of.items() if h > 0)
        holiday = [
            plan.projects[r["Prosjektnummer"]] for r in shape.projects if r["Teller som"] == "ferie"
        ]
        absence = [
            plan.projects[r["Prosjektnummer"]]
            for r in shape.projects
            if r["Teller som"] == "fravær"
        ]
        days = []
        day = dt.date(year, 1, 1)
        while day.year == year:
            if day.weekday() < 5:
                days.append((day.timetuple().tm_yday - 1, day.isocalendar()[1]))
            day += dt.timedelta(days=1)
        quarters = {q: q * 25 for q in range(1, 31)}  # 7.5 h = 30 quarters, in hundredths
        cuts = range(1, 30)
        counts = self.counts
        for person in plan.staff:
            # Twelve projects per person, drawn with the demo's project hours as weights
            # (without replacement: keys u ** (1 / w), Efraimidis and Spirakis).
            keyed = sorted(work, key=lambda p: -(rng.random() ** (1 / hours_of[p])))
            portfolio = sorted(keyed[:PORTFOLIO])
            summer = rng.randint(26, 28)  # three weeks of summer holiday from this week
            extra = rng.randint(5, 48)  # and two more weeks some time in the year
            for date, week in days:
                if summer <= week < summer + 3 or week in (extra, extra + 1):
                    if holiday:
                        counts["timeentry"] += 1
                        yield person, holiday[0], date, 750
                    continue
                if absence and rng.random() < 0.04:
                    counts["timeentry"] += 1
                    yield person, absence[rng.randrange(len(absence))], date, 750
                    continue
                n = rng.randint(*PROJECTS_PER_DAY)
                chosen = sorted(rng.sample(portfolio, n))
                bounds = [0, *sorted(rng.sample(cuts, n - 1)), 30]
                counts["timeentry"] += n
                for i, project in enumerate(chosen):
                    yield person, project, date, quarters[bounds[i + 1] - bounds[i]]


def synthesize(
    *,
    centers: int,
    years: int,
    scale: float = 1.0,
    seed: int = 0,
    first_year: int = FIRST_YEAR_DEFAULT,
    prefix: str = "syn",
    progress: Callable[[str], None] | None = None,
) -> Synth:
    """Write the synthetic centres (``<prefix>01`` …) and return the generator with its counts."""
    synth = Synth(
        centers=centers,
        years=years,
        scale=scale,
        seed=seed,
        first_year=first_year,
        prefix=prefix,
        progress=progress,
    )
    synth.run()
    return synth


# --- Comparing runs -------------------------------------------------------------------


def tenant_models() -> list[type[models.Model]]:
    """Every model with rows owned by a centre (history tables left out)."""
    from oppdrag.core.models import Center

    found = []
    for model in apps.get_models():
        if model._meta.app_label == "simple_history" or model.__name__.startswith("Historical"):
            continue
        try:
            center_field = model._meta.get_field("center")
        except FieldDoesNotExist:
            continue
        if getattr(center_field, "related_model", None) is Center:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _value_fields(model: type[models.Model]) -> list[str]:
    """Field lookups that describe a row without database ids.

    A link to a record goes by the record's uid, a link to reference data by its
    unique name or code where it has one (the centre's own organisation is
    re-created with a new id by every run).
    """
    names = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in {"center", "created_at", "updated_at"}:
            continue
        target = f.related_model if f.is_relation else None
        if target is None or target == "self":
            names.append(f.attname)
            continue
        keys = [
            x.name
            for x in target._meta.concrete_fields  # type: ignore[union-attr]
            if x.name == "uid" or (x.unique and not x.primary_key)
        ]
        key = "uid" if "uid" in keys else keys[0] if keys else None
        names.append(f"{f.name}__{key}" if key else f.attname)
    return names


def content_hash(center: Any) -> dict[str, str]:
    """A SHA-256 per table of the centre's rows (and of its links), ids left out.

    Links between records are hashed by the records' uids, references to shared
    reference data by their names or codes (by id where they have none, as
    municipalities: the same within one database). ``created_at``/``updated_at``
    say when the rows were written, not what they hold, and are left out.
    """
    result: dict[str, str] = {}
    for model in tenant_models():
        fields = _value_fields(model)
        rows = sorted(
            repr(tuple(str(v) for v in row))
            for row in model._default_manager.filter(center=center).values_list(*fields)
        )
        result[model._meta.label] = _digest(rows)
        for m2m in model._meta.many_to_many:
            through: Any = m2m.remote_field.through  # type: ignore[union-attr]
            source = m2m.m2m_field_name()
            if through._meta.label in result:
                continue
            link_fields = _value_fields(through)
            rows = sorted(
                repr(tuple(str(v) for v in row))
                for row in through._default_manager.filter(
                    **{f"{source}__center": center}
                ).values_list(*link_fields)
            )
            result[through._meta.label] = _digest(rows)
    return result


def _digest(rows: list[str]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(row.encode())
        h.update(b"\n")
    return h.hexdigest()

"""Appendix 7 (hours per project and group) and appendix 8 (staff FTE), computed.

Each function runs a fixed number of queries whatever the amount of data, and
returns plain dataclasses that the report renders. The rounding rule is in
``rounding``; ``rounding_rule()`` states it for the table footer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.db.models import F, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.core.parsing import fold
from oppdrag.core.prepared import PreparedQuery

from .models import (
    ExternalHours,
    PositionChange,
    ProjectAssignment,
    ProjectMapping,
    PublishedHoursTotal,
    ReportGroup,
    TimeEntry,
)
from .periods import PositionPeriod, percentage_on, yearly_fte
from .rounding import FTE_PLACES, HOURS_PER_FTE, SHARE_PLACES, fte, largest_remainder, round_half_up

ZERO = Decimal(0)


def rounding_rule() -> str:
    """The footer under the hours tables, in the interface language."""
    return _(
        "1 årsverk utgjør {hours} timer. Årsverk er timer delt på {hours}, avrundet til "
        "{fte_places} desimal for hver linje; summenes årsverk regnes av summenes timer. "
        "Prosentandelene er regnet med største-rest-metoden til {share_places} desimaler, "
        "slik at kolonnen summerer til nøyaktig 100 %; fravær er vist som andel av alle timer."
    ).format(
        hours=f"{int(HOURS_PER_FTE):,}".replace(",", "\u2009"),  # 1 950, as the tables write it
        fte_places=FTE_PLACES,
        share_places=SHARE_PLACES,
    )


@dataclass
class ProjectLine:
    number: str
    name: str
    hours: Decimal


@dataclass
class GroupRow:
    label: str
    title: str
    kind: str
    counts_as: str
    lines: list[ProjectLine]
    hours: Decimal
    share: Decimal = ZERO
    fte: Decimal = ZERO


@dataclass
class Appendix7:
    year: int
    performed: list[GroupRow]
    performed_hours: Decimal
    performed_fte: Decimal
    absence: list[GroupRow]
    absence_hours: Decimal
    absence_fte: Decimal
    total_hours: Decimal
    total_fte: Decimal
    # Share of all hours that is performed work (the absence rows' shares make up the rest).
    performed_share_of_total: Decimal
    unmapped: list[ProjectLine] = field(default_factory=list)
    rule: str = ""

    @property
    def groups(self) -> list[GroupRow]:
        return [*self.performed, *self.absence]


# The queries the report reads on every build, compiled once per database (see
# oppdrag.core.prepared).
_GROUPS = PreparedQuery(
    "report groups",
    lambda center_id, year: (
        ReportGroup.objects.filter(center_id=center_id, year=year)
        .order_by("position", "id")
        .values_list("pk", "label", "title", "kind", "counts_as")
    ),
    int,
    int,
)
_MAPPINGS = PreparedQuery(
    "project mappings",
    lambda center_id, year: (
        ProjectMapping.objects.filter(center_id=center_id, year=year)
        .order_by("id")
        .values_list("project_id", "group_id", "project__number", "project__name")
    ),
    int,
    int,
)


def project_hours(center: Center, year: int) -> dict[int, Decimal]:
    """Hours per project id for the year (one aggregate query over the year's entries)."""
    entries = TimeEntry.objects.filter(center=center, start__year=year).order_by()
    totals = entries.values("project_id").annotate(total=Sum("hours"))
    return {
        project_id: total or ZERO for project_id, total in totals.values_list("project_id", "total")
    }


def appendix_7(center: Center, year: int, *, hours: dict[int, Decimal] | None = None) -> Appendix7:
    """Hours per project grouped as the report groups them, with sums, shares and FTE.

    ``hours`` is ``project_hours(center, year)`` when the caller has read it already.
    """
    if hours is None:
        hours = project_hours(center, year)
    lines: dict[int, list[ProjectLine]] = defaultdict(list)
    mapped: set[int] = set()
    for project_id, group_id, number, name in _MAPPINGS.rows(center.pk, year):
        mapped.add(project_id)
        lines[group_id].append(ProjectLine(number, name, hours.get(project_id, ZERO)))
    rows = [
        GroupRow(
            label,
            title,
            kind,
            counts_as,
            lines[pk],
            sum((line.hours for line in lines[pk]), ZERO),
        )
        for pk, label, title, kind, counts_as in _GROUPS.rows(center.pk, year)
    ]
    performed = [r for r in rows if r.counts_as != ReportGroup.CountsAs.ABSENCE]
    absence = [r for r in rows if r.counts_as == ReportGroup.CountsAs.ABSENCE]
    performed_hours = sum((r.hours for r in performed), ZERO)
    absence_hours = sum((r.hours for r in absence), ZERO)
    total = performed_hours + absence_hours
    for row, value in zip(performed, largest_remainder([r.hours for r in performed]), strict=True):
        row.share = value
    outer = largest_remainder([performed_hours, *(r.hours for r in absence)])
    for row, value in zip(absence, outer[1:], strict=True):
        row.share = value
    for row in rows:
        row.fte = fte(row.hours)
    unmapped_ids = set(hours) - mapped
    unmapped: list[ProjectLine] = []
    if unmapped_ids:
        from .models import TimeProject

        unmapped = [
            ProjectLine(p.number, p.name, hours[p.pk])
            for p in TimeProject.objects.filter(pk__in=unmapped_ids).order_by("number")
        ]
    return Appendix7(
        year=year,
        performed=performed,
        performed_hours=performed_hours,
        performed_fte=fte(performed_hours),
        absence=absence,
        absence_hours=absence_hours,
        absence_fte=fte(absence_hours),
        total_hours=total,
        total_fte=fte(total),
        performed_share_of_total=outer[0],
        unmapped=unmapped,
        rule=rounding_rule(),
    )


# --- appendix 8 ---------------------------------------------------------------------------


@dataclass
class StaffRow:
    name: str
    competence: str
    role: str
    areas: list[str]
    percentage: Decimal
    fte: Decimal
    changes: list[str]
    exact_fte: Fraction = Fraction(0)
    # The position percentage on 31 December as a share (0.8 for 80 %).
    share_at_year_end: Decimal = ZERO


@dataclass
class ExternalRow:
    name: str
    department: str
    role: str
    work: str
    projects: list[str]
    hours: Decimal


@dataclass
class Appendix8:
    year: int
    staff: list[StaffRow]
    fte: Decimal
    fte_at_year_end: Decimal
    external: list[ExternalRow]
    external_hours: Decimal
    external_fte: Decimal
    rule: str = ""


def _position_text(kind: str, start: dt.date, end: dt.date | None, percentage: Decimal) -> str:
    label = str(dict(PositionChange.Kind.choices).get(kind, kind))  # get_kind_display()
    start_text = start.strftime("%d.%m.%Y")
    if kind in {PositionChange.Kind.RETIREMENT, PositionChange.Kind.END}:
        return f"{label} fra {start_text}"
    if end:
        return "{kind} {pct} % {start}–{end}".format(
            kind=label,
            pct=_percent(percentage),
            start=start_text,
            end=end.strftime("%d.%m.%Y"),
        )
    return f"{label} {_percent(percentage)} % fra {start_text}"


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


_CHANGES = PreparedQuery(
    "position changes of the staff",
    lambda center_id: (
        PositionChange.objects.filter(
            center_id=center_id, staff__center_id=center_id, staff__is_external=False
        )
        .order_by("staff__person__name", "staff_id", "start", "id")
        .values_list(
            "staff_id",
            "staff__person__name",
            "staff__competence",
            "staff__role",
            "staff__areas",
            "kind",
            "start",
            "end",
            "percentage",
        )
    ),
    int,
)


def staff_rows(center: Center, year: int) -> list[StaffRow]:
    """The centre's own staff employed in ``year`` (external collaborators left out), by
    name, with position percentage and time-weighted FTE: one query.

    Read from the position changes with their staff member's fields joined in: a member
    with no position change is employed in no year, so none is missed.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    changes_of: dict[int, list[tuple[str, dt.date, dt.date | None, Decimal]]] = {}
    members: dict[int, tuple[str, str, str, str]] = {}
    for staff_id, name, competence, role, areas, kind, start, end, percentage in _CHANGES.rows(
        center.pk
    ):
        if staff_id not in members:
            members[staff_id] = (name, competence, role, areas)
            changes_of[staff_id] = []
        changes_of[staff_id].append((kind, start, end, percentage))
    rows: list[StaffRow] = []
    for staff_id, (name, competence, role, areas) in members.items():
        changes = changes_of[staff_id]
        periods = [PositionPeriod(start, end, percentage) for _k, start, end, percentage in changes]
        exact = yearly_fte(periods, year)
        in_year = [c for c in changes if c[1] <= last and (c[2] is None or c[2] >= first)]
        if exact == 0 and not in_year:
            continue  # not employed this year
        base = [c for c in in_year if c[0] == PositionChange.Kind.POSITION]
        rows.append(
            StaffRow(
                name=name,
                competence=competence,
                role=role,
                areas=[a for a in areas.splitlines() if a.strip()],
                percentage=base[-1][3] if base else ZERO,
                fte=round_half_up(exact, FTE_PLACES),
                changes=[
                    _position_text(*c) for c in in_year if c[0] != PositionChange.Kind.POSITION
                ],
                exact_fte=exact,
                share_at_year_end=percentage_on(periods, last) / 100,
            )
        )
    return rows


def appendix_8(center: Center, year: int, *, rows: list[StaffRow] | None = None) -> Appendix8:
    """Staff with position percentage and time-weighted FTE; external collaborators' hours.

    ``rows`` is ``staff_rows(center, year)`` when the caller has read it already.
    """
    if rows is None:
        rows = staff_rows(center, year)
    total = Fraction(0)
    at_end = Decimal(0)
    for row in rows:
        total += row.exact_fte
        at_end += row.share_at_year_end
    external = list(
        ExternalHours.objects.filter(center=center, year=year)
        .select_related("staff__person")
        .prefetch_related("projects")
        .order_by("staff__person__name", "id")
    )
    external_rows = [
        ExternalRow(
            name=e.staff.person.name,
            department=e.staff.department,
            role=e.staff.role,
            work=e.work,
            projects=[p.number for p in e.projects.all()],
            hours=e.hours,
        )
        for e in external
    ]
    external_hours = sum((e.hours for e in external_rows), ZERO)
    return Appendix8(
        year=year,
        staff=rows,
        fte=round_half_up(total, FTE_PLACES),
        fte_at_year_end=round_half_up(at_end, FTE_PLACES),
        external=external_rows,
        external_hours=external_hours,
        external_fte=fte(external_hours),
        rule=rounding_rule(),
    )


# --- hours per assignment ----------------------------------------------------------------


@dataclass
class AssignmentHours:
    number: str
    title: str
    hours: Decimal
    fte: Decimal
    projects: list[str]


@dataclass(frozen=True)
class ProjectLink:
    """A time project's link to one of the year's assignments, as plain values."""

    project_id: int
    project_number: str
    assignment_id: int
    assignment_number: str
    assignment_title: str
    weight: Decimal


_LINKS = PreparedQuery(
    "project links",
    lambda center_id, year: (
        ProjectAssignment.objects.filter(center_id=center_id, assignment__year=year)
        .order_by("assignment__sort_key", "project__number")
        .values_list(
            "project_id",
            "project__number",
            "assignment_id",
            "assignment__number",
            "assignment__title",
            "weight",
        )
    ),
    int,
    int,
)


def project_links(center: Center, year: int) -> list[ProjectLink]:
    """The links between time projects and the year's assignments (one query), by
    assignment, then project."""
    return [ProjectLink(*row) for row in _LINKS.rows(center.pk, year)]


def hours_per_assignment(
    center: Center,
    year: int,
    *,
    hours: dict[int, Decimal] | None = None,
    links: list[ProjectLink] | None = None,
) -> list[AssignmentHours]:
    """Hours per assignment of the year, a project's hours split by its weights.

    A project serving several assignments gives each the share of its hours its
    weight is of the project's total weight (equal by default). Hours of projects
    linked to no assignment are not counted here. ``hours`` and ``links`` are
    ``project_hours`` and ``project_links`` when the caller has read them already.
    """
    if hours is None:
        hours = project_hours(center, year)
    if links is None:
        links = project_links(center, year)
    weights: dict[int, Decimal] = defaultdict(Decimal)
    for link in links:
        weights[link.project_id] += link.weight
    result: dict[int, AssignmentHours] = {}
    exact: dict[int, Fraction] = defaultdict(Fraction)
    for link in links:
        entry = result.setdefault(
            link.assignment_id,
            AssignmentHours(link.assignment_number, link.assignment_title, ZERO, ZERO, []),
        )
        entry.projects.append(link.project_number)
        exact[link.assignment_id] += (
            Fraction(hours.get(link.project_id, ZERO))
            * Fraction(link.weight)
            / Fraction(weights[link.project_id])
        )
    for pk, entry in result.items():
        entry.hours = round_half_up(exact[pk], 2)
        entry.fte = fte(exact[pk])
    return list(result.values())


# --- hours per month and assignment --------------------------------------------------------


@dataclass
class AssignmentMonths:
    """One assignment's hours in each month of the year (``months[0]`` is January)."""

    number: str
    title: str
    months: list[Decimal]
    total: Decimal


@dataclass
class MonthTable:
    rows: list[AssignmentMonths]
    month_totals: list[Decimal]
    total: Decimal


def month_hours(center: Center, year: int) -> dict[int, list[Fraction]]:
    """Hours per project id and month of the year (two aggregate queries).

    An entry within one month counts in that month. One that spans months (an ISO
    week across a month's end, a month-long period that is not a calendar month, a
    year) is split between them in proportion to its days: the database sums those
    per project and period, and the split is made here.
    """
    entries = (
        TimeEntry.objects.filter(center=center, start__year=year)
        .annotate(first=ExtractMonth("start"), last=ExtractMonth("end"))
        .order_by()
    )
    found: dict[int, list[Fraction]] = defaultdict(lambda: [Fraction(0)] * 12)
    within = entries.filter(first=F("last")).values_list("project_id", "first")
    for project_id, month, total in within.annotate(total=Sum("hours")):
        found[project_id][month - 1] += Fraction(total)
    spanning = entries.exclude(first=F("last")).values_list("project_id", "start", "end")
    for project_id, start, end, total in spanning.annotate(total=Sum("hours")):
        days = (end - start).days + 1
        day = start
        while day <= end and day.year == year:
            following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
            stop = min(following, end + dt.timedelta(days=1))
            found[project_id][day.month - 1] += Fraction(total) * (stop - day).days / days
            day = stop
    return found


def hours_per_month(
    center: Center, year: int, *, links: list[ProjectLink] | None = None
) -> MonthTable:
    """Hours per assignment of the year and month, a project's hours split by its weights
    as in ``hours_per_assignment``; each figure rounded half up to the hundredth."""
    if links is None:
        links = project_links(center, year)
    hours = month_hours(center, year)
    weights: dict[int, Decimal] = defaultdict(Decimal)
    for link in links:
        weights[link.project_id] += link.weight
    exact: dict[int, list[Fraction]] = {}
    titles: dict[int, tuple[str, str]] = {}
    for link in links:
        months = exact.setdefault(link.assignment_id, [Fraction(0)] * 12)
        titles[link.assignment_id] = (link.assignment_number, link.assignment_title)
        share = Fraction(link.weight) / Fraction(weights[link.project_id])
        for index, value in enumerate(hours.get(link.project_id, ())):
            months[index] += value * share
    rows = [
        AssignmentMonths(
            *titles[pk], [round_half_up(m, 2) for m in months], round_half_up(sum(months), 2)
        )
        for pk, months in exact.items()
    ]
    columns = [sum(column, Fraction(0)) for column in zip(*exact.values(), strict=True)]
    return MonthTable(
        rows,
        [round_half_up(c, 2) for c in columns] or [ZERO] * 12,
        round_half_up(sum(columns, Fraction(0)), 2),
    )


# --- reconciliation ----------------------------------------------------------------------


@dataclass
class Difference:
    label: str
    title: str
    measure: str  # "hours", "share" or "fte"
    published: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.published - self.computed


def reconciliation(
    center: Center,
    year: int,
    *,
    table: Appendix7 | None = None,
    staff: Appendix8 | None = None,
) -> list[Difference]:
    """Published lines whose hours, share or FTE differ from the computed table.

    Groups are matched by title (forgiving case and spacing); the performed and
    grand totals by their type. A published line with no computed group is listed
    with computed 0. ``table`` and ``staff`` are ``appendix_7`` and ``appendix_8`` of
    the year when the caller has computed them already; appendix 8 is computed (once)
    only when a published staff or external line asks for it.
    """
    if table is None:
        table = appendix_7(center, year)
    by_title = {fold(g.title): g for g in table.groups}
    differences: list[Difference] = []
    lines = PublishedHoursTotal.objects.filter(center=center, year=year)
    for line in lines.exclude(kind=PublishedHoursTotal.Kind.NOTE).order_by("id"):
        computed: dict[str, Decimal]
        if line.kind == PublishedHoursTotal.Kind.GROUP:
            group = by_title.get(fold(line.title))
            computed = (
                {"hours": group.hours, "share": group.share, "fte": group.fte}
                if group
                else {"hours": ZERO, "share": ZERO, "fte": ZERO}
            )
        elif line.kind == PublishedHoursTotal.Kind.PERFORMED:
            computed = {
                "hours": table.performed_hours,
                "share": Decimal(100),
                "fte": table.performed_fte,
            }
        elif line.kind == PublishedHoursTotal.Kind.TOTAL:
            computed = {"hours": table.total_hours, "fte": table.total_fte}
        else:
            if staff is None:
                staff = appendix_8(center, year)
            computed = _register_figures(staff, line.kind)
        for measure, value in computed.items():
            published = getattr(line, measure)
            if published is not None and published != value:
                differences.append(Difference(line.label, line.title, measure, published, value))
    return differences


def hours_notes(center: Center, year: int) -> list[str]:
    """The notes printed under the published appendix 7 (hired hours, "NB"), in order."""
    return list(
        PublishedHoursTotal.objects.filter(
            center=center, year=year, kind=PublishedHoursTotal.Kind.NOTE
        )
        .order_by("id")
        .values_list("note", flat=True)
    )


def _register_figures(table: Appendix8, kind: str) -> dict[str, Decimal]:
    if kind == PublishedHoursTotal.Kind.STAFF_FTE:
        # The printed figure is the sum of the FTE column, so it is compared with
        # the time-weighted FTE of the year rather than the head count at year end.
        return {"fte": table.fte}
    return {"hours": table.external_hours, "fte": table.external_fte}


# --- key figures ---------------------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def hours_figures(center: Center, year: int) -> dict[str, Any]:
    """The ``hours`` object of the key-figures JSON."""
    table = appendix_7(center, year)
    staff = appendix_8(center, year)
    return {
        "total_hours": _number(table.total_hours),
        "total_fte": _number(table.total_fte),
        "performed_hours": _number(table.performed_hours),
        "performed_fte": _number(table.performed_fte),
        "absence_hours": _number(table.absence_hours),
        "absence_fte": _number(table.absence_fte),
        "hours_per_fte": int(HOURS_PER_FTE),
        "by_group": {
            (f"{g.label} {g.title}".strip()): {
                "hours": _number(g.hours),
                "share": _number(g.share),
                "fte": _number(g.fte),
            }
            for g in table.groups
        },
        "staff_fte": _number(staff.fte),
        "staff_fte_at_year_end": _number(staff.fte_at_year_end),
        "external_hours": _number(staff.external_hours),
        "external_fte": _number(staff.external_fte),
    }


# --- one report build's hours ----------------------------------------------------------------


class YearTables:
    """The hours tables of one centre's year, each computed at most once.

    A report build keeps one in its memo (``year_tables``), so appendices 7 and 8, the
    hours per chapter, the finance chapter's salary split and the reconciliation share
    what they read instead of each reading it again. It lives as long as the build's
    memo and no longer: every build reads the database afresh.
    """

    def __init__(self, center: Center, year: int) -> None:
        self.center = center
        self.year = year

    @cached_property
    def project_hours(self) -> dict[int, Decimal]:
        return project_hours(self.center, self.year)

    @cached_property
    def links(self) -> list[ProjectLink]:
        return project_links(self.center, self.year)

    @cached_property
    def per_assignment(self) -> list[AssignmentHours]:
        return hours_per_assignment(
            self.center, self.year, hours=self.project_hours, links=self.links
        )

    @cached_property
    def appendix_7(self) -> Appendix7:
        return appendix_7(self.center, self.year, hours=self.project_hours)

    @cached_property
    def staff_rows(self) -> list[StaffRow]:
        return staff_rows(self.center, self.year)

    @cached_property
    def appendix_8(self) -> Appendix8:
        return appendix_8(self.center, self.year, rows=self.staff_rows)

    @cached_property
    def reconciliation(self) -> list[Difference]:
        return reconciliation(self.center, self.year, table=self.appendix_7, staff=self.appendix_8)


def year_tables(center: Center, year: int, memo: dict[Any, Any] | None) -> YearTables:
    """The ``YearTables`` kept in one build's ``memo`` (see ``oppdrag.reports.providers``),
    made on first use; without a memo, a fresh one."""
    if memo is None:
        return YearTables(center, year)
    key = ("hours.year_tables", center.pk, year)
    found: YearTables | None = memo.get(key)
    if found is None:
        found = memo[key] = YearTables(center, year)
    return found

"""Hours and staff for the annual report: appendices 7 and 8 and hours per chapter.

Registered with the report's provider hook when the app starts, so the report app
needs no import of this one. The appendix 7 chapter column is taken from the
assignments a group's projects are mapped to, not from the label typed in the
time system, so it cannot drift from the report's chapter numbers.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.reports.providers import ProvidedTable

from .models import ProjectAssignment
from .tables import appendix_7, appendix_8, hours_per_assignment


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def hours_table(center: Center, year: int) -> ProvidedTable | None:
    table = appendix_7(center, year)
    if not table.groups:
        return None
    chapters: dict[str, set[str]] = defaultdict(set)
    for project, assignment in ProjectAssignment.objects.filter(
        center=center, assignment__year=year
    ).values_list("project__number", "assignment__number"):
        chapters[project].add(assignment)

    def group_rows(group: Any, share: Any) -> list[list[Any]]:
        numbers = {n for line in group.lines for n in chapters.get(line.number, set())}
        chapter = next(iter(numbers)) if len(numbers) == 1 else group.label
        head = [chapter, group.title, None, _num(group.hours), share, _num(group.fte)]
        lines = [["", line.name, _num(line.hours), None, None, None] for line in group.lines]
        return [head, *lines]

    # Shares are of the performed hours, so they add to 100; absence stands outside
    # them, as in the published table, and its share of all hours is in the note.
    rows: list[list[Any]] = []
    for group in table.performed:
        rows.extend(group_rows(group, _num(group.share)))
    for group in table.absence:
        rows.extend(group_rows(group, None))
    performed = _("Antall utførte årsverk i {year}").format(year=year)
    total = _("Totalt antall timer {year}").format(year=year)
    rows.append(["", performed, None, _num(table.performed_hours), 100, _num(table.performed_fte)])
    rows.append(["", total, None, _num(table.total_hours), None, _num(table.total_fte)])
    absence = table.absence_hours * 100 / table.total_hours if table.total_hours else Decimal(0)
    note = _("Fravær utgjorde {share} % av alle timer.").format(
        share=f"{absence:.1f}".replace(".", ",")
    )
    columns = [
        _("Kapittel"),
        _("Prosjekt/aktivitet"),
        _("Timer registrert"),
        _("Sum"),
        _("I prosent av totalen"),
        _("Årsverk"),
    ]
    return ProvidedTable(
        columns=columns,
        rows=rows,
        footnote=f"{table.rule} {note}",
        percent_columns=(4,),
        total_rows=2,
    )


def staff_table(center: Center, year: int) -> ProvidedTable | None:
    staff = appendix_8(center, year)
    if not staff.staff:
        return None
    rows: list[list[Any]] = [
        [row.name, row.competence, row.role, _num(row.percentage), _num(row.fte)]
        for row in staff.staff
    ]
    rows.append([_("Sum årsverk {year}").format(year=year), "", "", None, _num(staff.fte)])
    return ProvidedTable(
        columns=[
            _("Navn"),
            _("Formell kompetanse"),
            _("Stilling"),
            _("Stillingsprosent"),
            _("Årsverk {year}").format(year=year),
        ],
        rows=rows,
        footnote=staff.rule,
        total_rows=1,
    )


def hours_by_assignment(center: Center, year: int) -> dict[str, float]:
    return {row.number: float(row.hours) for row in hours_per_assignment(center, year)}


def register() -> None:
    from oppdrag.reports.providers import register_provider

    register_provider("hours", hours_table)
    register_provider("staff", staff_table)
    register_provider("hours_by_assignment", hours_by_assignment)

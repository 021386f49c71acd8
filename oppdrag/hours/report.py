"""Hours and staff for the annual report: appendices 7 and 8 and hours per chapter.

Registered with the report's provider hook when the app starts, so the report app
needs no import of this one. The appendix 7 chapter column is taken from the
assignments a group's projects are mapped to, not from the label typed in the
time system, so it cannot drift from the report's chapter numbers.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.reports.providers import ProvidedTable
from oppdrag.reports.tree import Finding

from .rounding import FTE_PLACES, round_half_up
from .tables import hours_notes, rounding_rule, year_tables


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def hours_table(
    center: Center, year: int, memo: dict[Any, Any] | None = None
) -> ProvidedTable | None:
    tables = year_tables(center, year, memo)
    table = tables.appendix_7
    if not table.groups:
        return None
    chapters: dict[str, set[str]] = defaultdict(set)
    for link in tables.links:
        chapters[link.project_number].add(link.assignment_number)

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
        footnote=" ".join([table.rule, note, *hours_notes(center, year)]),
        percent_columns=(4,),
        total_rows=2,
    )


def staff_table(
    center: Center, year: int, memo: dict[Any, Any] | None = None
) -> ProvidedTable | None:
    # The staff alone: appendix 8's external collaborators are not in this table.
    staff = year_tables(center, year, memo).staff_rows
    if not staff:
        return None
    rows: list[list[Any]] = [
        [row.name, row.competence, row.role, _num(row.percentage), _num(row.fte)] for row in staff
    ]
    total = round_half_up(sum((row.exact_fte for row in staff), Fraction(0)), FTE_PLACES)
    rows.append([_("Sum årsverk {year}").format(year=year), "", "", None, _num(total)])
    return ProvidedTable(
        columns=[
            _("Navn"),
            _("Formell kompetanse"),
            _("Stilling"),
            _("Stillingsprosent"),
            _("Årsverk {year}").format(year=year),
        ],
        rows=rows,
        footnote=rounding_rule(),
        total_rows=1,
    )


def external_staff_table(
    center: Center, year: int, memo: dict[Any, Any] | None = None
) -> ProvidedTable | None:
    """Appendix 8's second table: the host's staff who worked with the centre, by hours."""
    table = year_tables(center, year, memo).appendix_8
    if not table.external:
        return None
    rows: list[list[Any]] = [
        [
            row.name,
            " ".join(part for part in (row.department, row.role) if part),
            row.work,
            _num(row.hours),
        ]
        for row in table.external
    ]
    rows.append([_("Sum timer"), "", "", _num(table.external_hours)])
    rows.append(
        [
            _("Antall årsverk tilknyttet {center} i {year}").format(center=center, year=year),
            "",
            "",
            _num(table.external_fte),
        ]
    )
    return ProvidedTable(
        columns=[_("Navn"), _("Avdeling og stilling"), _("Samarbeid"), _("Antall timer")],
        rows=rows,
        footnote=table.rule,
        total_rows=2,
    )


def hours_by_assignment(
    center: Center, year: int, memo: dict[Any, Any] | None = None
) -> dict[str, float]:
    return {row.number: float(row.hours) for row in year_tables(center, year, memo).per_assignment}


def _measures() -> dict[str, str]:
    return {"hours": _("timer"), "share": _("prosent"), "fte": _("årsverk")}


def hours_findings(center: Center, year: int, memo: dict[Any, Any] | None = None) -> list[Finding]:
    """Published lines of appendices 7 and 8 that the hours and staff registers do not
    give (the differences ``oppdrag hours table`` lists)."""
    measures = _measures()
    return [
        Finding(
            code="hours_mismatch",
            severity="warning",
            message=_(
                "Publisert {measure} for «{title}» er {published}, men timene og "
                "ansattregisteret gir {computed} (differanse {difference})."
            ).format(
                measure=measures[d.measure],
                title=d.title,
                published=_number_text(d.published),
                computed=_number_text(d.computed),
                difference=_number_text(d.computed - d.published),
            ),
            fix=_(
                "Finn ut hvilket tall som stemmer: rett det publiserte tallet (importen "
                "«published-hours»), eller importer timene eller ansattregisteret på nytt."
            ),
        )
        for d in year_tables(center, year, memo).reconciliation
    ]


def _number_text(value: Decimal) -> str:
    return str(_num(value)).replace(".", ",")


def register() -> None:
    from oppdrag.reports.providers import register_check, register_provider

    register_check("hours", hours_findings, memo=True)

    register_provider("hours", hours_table, memo=True)
    register_provider("staff", staff_table, memo=True)
    register_provider("external_staff", external_staff_table, memo=True)
    register_provider("hours_by_assignment", hours_by_assignment, memo=True)

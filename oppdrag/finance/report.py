"""The finance app's part of the annual report: the chapter «Budsjett og regnskap» and
the cost per assignment beside its hours in chapter 3.

Registered with the report's provider hook when the app starts (``chapter:finance``
and ``cost_by_assignment``), so the report app imports nothing of this one. The
chapter is there when the centre has a budget for the year and has not turned the
chapter off in its finance settings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.hours.tables import year_tables
from oppdrag.reports import tree as t
from oppdrag.reports.charts import _number
from oppdrag.reports.rounding import half_up_number

from .figures import Finance, finance_for


def _finance(center: Center, year: int, memo: dict[Any, Any]) -> Finance:
    key = ("finance.finance_for", center.pk, year)
    if key not in memo:
        memo[key] = finance_for(center, year, hours_tables=year_tables(center, year, memo))
    found: Finance = memo[key]
    return found


def _kr(value: Decimal) -> int | float:
    """Whole kroner, half up (the report's one rounding rule): the report prints no øre."""
    return half_up_number(value)


def _shown(finance: Finance) -> bool:
    return finance.has_budget and finance.settings.report_chapter


def finance_chapter(center: Center, year: int, memo: dict[Any, Any]) -> t.Section | None:
    """The chapter «Budsjett og regnskap», or None when the centre shows none this year."""
    finance = _finance(center, year, memo)
    if not _shown(finance):
        return None
    blocks: list[t.Block] = []
    if finance.is_generated:
        blocks.append(
            t.Paragraph(
                [
                    t.Text(
                        _(
                            "Eksempeldata: budsjettet og regnskapet i dette kapittelet er "
                            "generert for demonstrasjon og er ikke senterets regnskap."
                        )
                    )
                ],
                generated=True,
            )
        )
    blocks.append(
        t.Paragraph(
            [
                t.Text(
                    _(
                        "Senteret mottok {received} kr i tilskudd for {year} og brukte "
                        "{spent} kr av det. Ubrukte midler er {unspent} kr. Budsjettet var "
                        "på {planned} kr, og regnskapet viser {total} kr."
                    ).format(
                        received=_number(_kr(finance.received)),
                        year=year,
                        spent=_number(_kr(finance.spent_of_grant)),
                        unspent=_number(_kr(finance.unspent)),
                        planned=_number(_kr(finance.total.planned)),
                        total=_number(_kr(finance.total.spent)),
                    )
                )
            ],
            generated=True,
        )
    )
    columns = [_("Oppdrag"), _("Budsjett (kr)"), _("Regnskap (kr)"), _("Avvik (kr)")]
    rows: list[list[t.Cell]] = [
        [line.label, _kr(line.planned), _kr(line.spent), _kr(line.difference)]
        for line in finance.by_assignment
    ]
    total = finance.total
    rows.append([_("Sum"), _kr(total.planned), _kr(total.spent), _kr(total.difference)])
    blocks.append(
        t.Table(
            caption=_("Budsjett og regnskap per oppdrag {year}").format(year=year),
            columns=columns,
            rows=rows,
            key="finance-by-assignment",
            total_rows=1,
        )
    )
    cost_rows: list[list[t.Cell]] = [
        [line.label, _kr(line.planned), _kr(line.spent), _kr(line.difference)]
        for line in finance.by_cost_type
    ]
    cost_rows.append([_("Sum"), _kr(total.planned), _kr(total.spent), _kr(total.difference)])
    blocks.append(
        t.Table(
            caption=_("Budsjett og regnskap per kostnadstype {year}").format(year=year),
            columns=[_("Kostnadstype"), *columns[1:]],
            rows=cost_rows,
            key="finance-by-cost-type",
            total_rows=1,
        )
    )
    if finance.by_cost_type:
        labels = [line.label for line in finance.by_cost_type]
        summary = "; ".join(
            _("{label}: budsjett {planned} kr, regnskap {spent} kr").format(
                label=line.label,
                planned=_number(_kr(line.planned)),
                spent=_number(_kr(line.spent)),
            )
            for line in finance.by_cost_type
        )
        blocks.append(
            t.Figure(
                kind="bar",
                caption=_("Budsjett og regnskap per kostnadstype"),
                alt=_(
                    "Stolpediagram over budsjett og regnskap per kostnadstype i {year}. {summary}."
                ).format(year=year, summary=summary),
                labels=labels,
                series=[
                    t.Series(_("Budsjett"), [_kr(line.planned) for line in finance.by_cost_type]),
                    t.Series(_("Regnskap"), [_kr(line.spent) for line in finance.by_cost_type]),
                ],
                value_label=_("Kroner"),
                key="finance-by-cost-type-chart",
            )
        )
    explained = [line for line in finance.by_assignment if line.explanation]
    for line in explained:
        blocks.append(
            t.Paragraph(
                [
                    t.Text(
                        _("Avvik for {label}: {text}").format(
                            label=line.label, text=line.explanation
                        )
                    )
                ]
            )
        )
    return t.Section("finance", _("Budsjett og regnskap"), "chapter", blocks)


def cost_by_assignment(center: Center, year: int, memo: dict[Any, Any]) -> dict[str, float]:
    """Assignment number → kroner spent, for the sentences of chapter 3."""
    finance = _finance(center, year, memo)
    if not _shown(finance) or not finance.has_accounts:
        return {}
    return {
        line.label.split(" ", 1)[0]: float(line.spent)
        for line in finance.by_assignment
        if line.key.startswith("assignment:") and line.spent
    }


def finance_generated(center: Center, year: int, memo: dict[Any, Any]) -> bool:
    """Whether the costs chapter 3 names come from generated (demonstration) data."""
    finance = _finance(center, year, memo)
    return bool(cost_by_assignment(center, year, memo)) and finance.is_generated


def register() -> None:
    from oppdrag.reports.providers import register_provider

    register_provider("chapter:finance", finance_chapter, memo=True)
    register_provider("cost_by_assignment", cost_by_assignment, memo=True)
    register_provider("finance_generated", finance_generated, memo=True)

"""Budget against accounts for one centre and year, read in a fixed number of queries.

Spending is read as sums per (account, project) and turned into cost types,
assignments and budget lines with the mappings here, so the number of queries does
not grow with the ledger. The rules, shown on the pages and in the report:

* an account's cost type comes from the account mapping; an account with none is not
  spending (income, internal postings);
* a project's assignment and budget line come from the project mapping; costs with no
  project, or a project with no assignment, are common costs;
* salaries with no project are shared over the assignments by the hours registered
  for them: hours × cost per hour (the salaries ÷ all those hours);
* spending not tied to a budget line goes to the only line when there is one, or is
  shared over the lines in proportion to their grant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.grants.models import Assignment

from .calculations import ZERO, Line, SalaryAllocation, allocate_salaries, passes_threshold, split
from .models import (
    AccountMapping,
    BudgetItem,
    BudgetRevision,
    CostType,
    Explanation,
    FinanceSettings,
    Funding,
    LedgerImport,
    LedgerLine,
    LedgerProject,
    Source,
)

if TYPE_CHECKING:
    from oppdrag.hours.tables import YearTables

COMMON = "common"


@dataclass
class GrantLine:
    """One budget line of a grant in the grantor's report."""

    key: str
    grant: str
    label: str
    received: Decimal
    planned: Decimal
    spent: Decimal

    @property
    def spent_of_grant(self) -> Decimal:
        """What the grant paid for: the spending, up to what was received."""
        return min(self.spent, self.received)

    @property
    def unspent(self) -> Decimal:
        """Received and not used: to be paid back, or carried over if the grantor agrees."""
        return self.received - self.spent_of_grant

    @property
    def over(self) -> Decimal:
        """Spending beyond the grant, paid by own or other funding."""
        return self.spent - self.spent_of_grant


@dataclass
class GrantTotal:
    """One grant (grantor and letter) with its budget lines."""

    label: str
    lines: list[GrantLine] = field(default_factory=list)

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def received(self) -> Decimal:
        return self._sum("received")

    @property
    def spent_of_grant(self) -> Decimal:
        return self._sum("spent_of_grant")

    @property
    def unspent(self) -> Decimal:
        return self._sum("unspent")


@dataclass
class Finance:
    """Everything the finance pages, the grantor's report and the annual report show."""

    year: int
    revision: BudgetRevision | None
    by_assignment: list[Line]
    by_cost_type: list[Line]
    by_line: list[Line]
    total: Line
    grants: list[GrantTotal]
    own_funding: Decimal
    other_funding: Decimal
    salaries: SalaryAllocation
    salaries_unallocated: Decimal
    spread_over_lines: Decimal
    settings: FinanceSettings
    imports: list[LedgerImport]
    ledger_lines: int
    salary_rows: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)

    @property
    def has_budget(self) -> bool:
        return self.revision is not None

    @property
    def has_accounts(self) -> bool:
        return bool(self.imports)

    @property
    def is_generated(self) -> bool:
        """Whether any figure comes from generated (illustrative) data."""
        return bool(self.revision and self.revision.is_generated) or any(
            batch.is_generated for batch in self.imports
        )

    @property
    def received(self) -> Decimal:
        return sum((g.received for g in self.grants), ZERO)

    @property
    def spent_of_grant(self) -> Decimal:
        return sum((g.spent_of_grant for g in self.grants), ZERO)

    @property
    def unspent(self) -> Decimal:
        return sum((g.unspent for g in self.grants), ZERO)

    @property
    def missing_explanations(self) -> list[Line]:
        return [
            line
            for line in [*self.by_assignment, *self.by_cost_type, *self.by_line]
            if line.needs_explanation and not line.explanation
        ]


def _assignment_label(assignment: Assignment) -> str:
    return f"{assignment.number} {assignment.title}"


def _hours_by_assignment(
    center: Center, year: int, tables: YearTables | None
) -> dict[str, Decimal]:
    from oppdrag.hours.tables import YearTables

    if tables is None:
        tables = YearTables(center, year)
    by_number = {row.number: row.hours for row in tables.per_assignment}
    ids = {link.assignment_number: link.assignment_id for link in tables.links}
    return {f"assignment:{ids[number]}": value for number, value in by_number.items()}


def finance_for(center: Center, year: int, *, hours_tables: YearTables | None = None) -> Finance:
    """Budget against accounts of ``center``'s ``year`` (a fixed number of queries).

    ``hours_tables`` are the year's hours tables when the caller (a report build) has
    them already.
    """
    settings = FinanceSettings.objects.filter(center=center).first() or FinanceSettings(
        center=center
    )
    fundings = list(
        Funding.objects.filter(center=center, year=year).order_by(
            "grantor", "reference", "chapter", "post"
        )
    )
    revision = BudgetRevision.objects.filter(center=center, year=year).order_by("-number").first()
    items = (
        list(BudgetItem.objects.filter(revision=revision).order_by("id"))
        if revision is not None
        else []
    )
    assignments = list(Assignment.objects.filter(center=center, year=year).order_by("sort_key"))
    # ``order_by()``: the models' default order (by the centre's name) would join the
    # centres for rows read into a dict.
    accounts = dict(
        AccountMapping.objects.filter(center=center).order_by().values_list("account", "cost_type")
    )
    projects = {
        code: (assignment_id, funding_id)
        for code, assignment_id, funding_id in LedgerProject.objects.filter(
            center=center, year=year
        )
        .order_by()
        .values_list("code", "assignment_id", "funding_id")
    }
    sums = (
        LedgerLine.objects.filter(center=center, year=year)
        .values_list("account", "project")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    imports = list(LedgerImport.objects.filter(center=center, year=year).order_by("start"))
    explanations = dict(
        Explanation.objects.filter(center=center, year=year).values_list("key", "text")
    )
    hours = _hours_by_assignment(center, year, hours_tables)

    # Spending per (assignment key, cost type, funding id or None).
    spent: dict[tuple[str, str, int | None], Decimal] = defaultdict(Decimal)
    salary_pool = ZERO
    lines_read = 0
    for account, project, total in sums:
        lines_read += 1
        cost_type = accounts.get(account, "")
        if not cost_type:
            continue
        if not project and cost_type == CostType.SALARIES:
            salary_pool += total
            continue
        assignment_id, funding_id = projects.get(project, (None, None))
        key = f"assignment:{assignment_id}" if assignment_id else COMMON
        spent[(key, cost_type, funding_id)] += total
    salaries = allocate_salaries(salary_pool, hours)
    for key, share in salaries.shares.items():
        spent[(key, CostType.SALARIES, None)] += share
    unallocated = salary_pool if not salaries.shares else ZERO
    if unallocated:
        spent[(COMMON, CostType.SALARIES, None)] += unallocated

    # Spending with no budget line: to the only line, or shared by the lines' grants.
    by_funding: dict[int, Decimal] = defaultdict(Decimal)
    loose = ZERO
    for (_key, _cost, funding_id), amount in spent.items():
        if funding_id is None:
            loose += amount
        else:
            by_funding[funding_id] += amount
    spread = ZERO
    if loose and fundings:
        weights = (
            {f.pk: f.amount for f in fundings}
            if any(f.amount for f in fundings)
            else {f.pk: Decimal(1) for f in fundings}
        )
        for pk, share in split(loose, weights).items():
            by_funding[pk] += share
        spread = loose if len(fundings) > 1 else ZERO

    # Planned.
    planned_assignment: dict[str, Decimal] = defaultdict(Decimal)
    planned_cost: dict[str, Decimal] = defaultdict(Decimal)
    planned_funding: dict[int, Decimal] = defaultdict(Decimal)
    own = other = ZERO
    for item in items:
        key = f"assignment:{item.assignment_id}" if item.assignment_id else COMMON
        planned_assignment[key] += item.amount
        planned_cost[item.cost_type] += item.amount
        if item.source == Source.GRANT and item.funding_id:
            planned_funding[item.funding_id] += item.amount
        elif item.source == Source.OWN:
            own += item.amount
        elif item.source == Source.OTHER:
            other += item.amount
    spent_assignment: dict[str, Decimal] = defaultdict(Decimal)
    spent_cost: dict[str, Decimal] = defaultdict(Decimal)
    for (key, cost_type, _funding), amount in spent.items():
        spent_assignment[key] += amount
        spent_cost[cost_type] += amount

    percent, minimum = settings.deviation_percent, settings.deviation_minimum

    def finish(line: Line) -> Line:
        line.explanation = explanations.get(line.key, "")
        line.needs_explanation = passes_threshold(line, percent, minimum)
        return line

    by_assignment = []
    for assignment in assignments:
        key = f"assignment:{assignment.pk}"
        if key in planned_assignment or key in spent_assignment:
            by_assignment.append(
                finish(
                    Line(
                        key,
                        _assignment_label(assignment),
                        planned_assignment[key],
                        spent_assignment[key],
                    )
                )
            )
    if COMMON in planned_assignment or COMMON in spent_assignment:
        by_assignment.append(
            finish(
                Line(
                    COMMON,
                    _("Felles kostnader (uten oppdrag)"),
                    planned_assignment[COMMON],
                    spent_assignment[COMMON],
                )
            )
        )
    by_cost_type = [
        finish(Line(f"cost:{value}", str(label), planned_cost[value], spent_cost[value]))
        for value, label in CostType.choices
        if value in planned_cost or value in spent_cost
    ]
    grants: dict[str, GrantTotal] = {}
    by_line = []
    for funding in fundings:
        key = f"line:{funding.uid}"
        grant_line = GrantLine(
            key,
            funding.grant_label,
            funding.line_label,
            funding.amount,
            planned_funding[funding.pk],
            by_funding[funding.pk],
        )
        grants.setdefault(funding.grant_label, GrantTotal(funding.grant_label)).lines.append(
            grant_line
        )
        by_line.append(
            finish(
                Line(
                    key,
                    f"{funding.grant_label}, {funding.line_label}",
                    planned_funding[funding.pk],
                    by_funding[funding.pk],
                )
            )
        )
    total = Line(
        "total",
        _("Sum"),
        sum(planned_assignment.values(), ZERO),
        sum(spent_assignment.values(), ZERO),
    )
    labels = {f"assignment:{a.pk}": _assignment_label(a) for a in assignments}
    salary_rows = [
        (labels.get(key, key), salaries.hours[key], share) for key, share in salaries.shares.items()
    ]
    return Finance(
        salary_rows=salary_rows,
        year=year,
        revision=revision,
        by_assignment=by_assignment,
        by_cost_type=by_cost_type,
        by_line=by_line,
        total=total,
        grants=list(grants.values()),
        own_funding=own,
        other_funding=other,
        salaries=salaries,
        salaries_unallocated=unallocated,
        spread_over_lines=spread,
        settings=settings,
        imports=imports,
        ledger_lines=lines_read,
    )


def finance_json(finance: Finance) -> dict[str, Any]:
    """The ``finance`` object of the key-figures JSON (keys documented in the README)."""

    def number(value: Decimal) -> int | float:
        return int(value) if value == value.to_integral_value() else float(value)

    return {
        "generated": finance.is_generated,
        "budget": number(finance.total.planned),
        "spent": number(finance.total.spent),
        "grant_received": number(finance.received),
        "grant_spent": number(finance.spent_of_grant),
        "unspent": number(finance.unspent),
        "own_funding": number(finance.own_funding),
        "other_funding": number(finance.other_funding),
        "by_assignment": {
            line.label: {"budget": number(line.planned), "spent": number(line.spent)}
            for line in finance.by_assignment
        },
        "by_cost_type": {
            line.key.removeprefix("cost:"): {
                "budget": number(line.planned),
                "spent": number(line.spent),
            }
            for line in finance.by_cost_type
        },
        "by_budget_line": {
            f"{line.grant}, {line.label}": {
                "received": number(line.received),
                "spent": number(line.spent_of_grant),
                "unspent": number(line.unspent),
            }
            for grant in finance.grants
            for line in grant.lines
        },
    }

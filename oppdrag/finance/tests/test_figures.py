"""Budget against accounts: salaries shared by hours, the comparison per assignment,
cost type and budget line, and the grantor's totals adding up to the grant."""

import datetime as dt
from decimal import Decimal

from oppdrag.finance import services
from oppdrag.finance.calculations import Line, allocate_salaries, passes_threshold, split
from oppdrag.finance.exports import grantor_rows
from oppdrag.finance.figures import finance_for, finance_json
from oppdrag.finance.models import CostType, Source


def test_split_shares_to_the_ore_and_adds_up_exactly():
    parts = split(Decimal("100.00"), {"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)})
    assert parts == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}
    assert sum(parts.values()) == Decimal(100)


def test_salaries_are_shared_by_hours_times_cost_per_hour():
    allocation = allocate_salaries(Decimal(110_000), {"x": Decimal(85), "y": Decimal(25)})
    assert allocation.cost_per_hour == Decimal(1000)
    assert allocation.shares == {"x": Decimal(85_000), "y": Decimal(25_000)}


def test_salaries_without_hours_are_not_shared():
    assert allocate_salaries(Decimal(1000), {"x": Decimal(0)}).shares == {}


def test_a_deviation_needs_explaining_above_both_the_share_and_the_amount():
    assert passes_threshold(
        Line("k", "k", Decimal(100_000), Decimal(80_000)), Decimal(10), Decimal(10_000)
    )
    assert not passes_threshold(
        Line("k", "k", Decimal(100_000), Decimal(95_000)), Decimal(10), Decimal(1_000)
    )
    assert not passes_threshold(
        Line("k", "k", Decimal(50_000), Decimal(40_000)), Decimal(10), Decimal(20_000)
    )
    assert passes_threshold(
        Line("k", "k", Decimal(0), Decimal(20_000)), Decimal(10), Decimal(10_000)
    )


def test_salaries_without_a_project_follow_the_registered_hours(year_books):
    finance = finance_for(year_books["center"], 2025)
    # 3.1.1 has 85 hours and 3.1.4 25: 110 000 kr at 1 000 kr an hour.
    assert finance.salaries.cost_per_hour == Decimal(1000)
    spent = {line.label: line.spent for line in finance.by_assignment}
    assert spent["3.1.1 ACT"] == Decimal(85_000 + 30_000)
    assert spent["3.1.4 ABC"] == Decimal(25_000 + 5_000)
    assert finance.salary_rows == [
        ("3.1.1 ACT", Decimal(85), Decimal(85_000)),
        ("3.1.4 ABC", Decimal(25), Decimal(25_000)),
    ]


def test_the_comparison_by_assignment_cost_type_and_budget_line(year_books):
    finance = finance_for(year_books["center"], 2025)
    rows = {
        line.label: (line.planned, line.spent, line.difference, line.percent)
        for line in finance.by_assignment
    }
    assert rows == {
        "3.1.1 ACT": (Decimal(600_000), Decimal(115_000), Decimal(485_000), Decimal("19.2")),
        "3.1.4 ABC": (Decimal(200_000), Decimal(30_000), Decimal(170_000), Decimal("15.0")),
        "Felles kostnader (uten oppdrag)": (
            Decimal(250_000),
            Decimal(15_000),
            Decimal(235_000),
            Decimal("6.0"),
        ),
    }
    costs = {line.key: (line.planned, line.spent) for line in finance.by_cost_type}
    assert costs == {
        "cost:salaries": (Decimal(850_000), Decimal(110_000)),
        "cost:operations": (Decimal(200_000), Decimal(45_000)),
        "cost:travel": (Decimal(0), Decimal(5_000)),
    }
    (line,) = finance.by_line
    assert (line.planned, line.spent) == (Decimal(1_000_000), Decimal(160_000))
    assert finance.total.planned == Decimal(1_050_000) and finance.total.spent == Decimal(160_000)
    assert finance.own_funding == Decimal(50_000)
    assert all(line.needs_explanation for line in finance.by_assignment)


def test_an_explanation_is_shown_on_its_row(year_books):
    center, a311 = year_books["center"], year_books["a311"]
    services.explain(center=center, year=2025, key=f"assignment:{a311.pk}", text="Stilling ubesatt")
    finance = finance_for(center, 2025)
    assert finance.by_assignment[0].explanation == "Stilling ubesatt"
    assert (
        len(finance.missing_explanations)
        == len(
            [
                line
                for line in [*finance.by_assignment, *finance.by_cost_type, *finance.by_line]
                if line.needs_explanation
            ]
        )
        - 1
    )


def test_the_grantor_totals_add_up_to_the_grant_per_budget_line(year_books, import_ledger):
    center = year_books["center"]
    second = services.save_funding(
        center=center,
        year=2025,
        amount=Decimal(300_000),
        grantor="Bufdir",
        chapter="846",
        post="70",
    )
    services.map_project(
        center=center, year=2025, code="BUF", assignment=year_books["a314"], funding=second
    )
    june = {"start": dt.date(2025, 6, 1), "end": dt.date(2025, 6, 30)}
    assert import_ledger(center, [["01.06.2025", "6800", "BUF", "Bufdir", "400 000"]], **june).ok
    finance = finance_for(center, 2025)
    assert [g.label for g in finance.grants] == ["Bufdir", "Helsedirektoratet"]
    for grant in finance.grants:
        for line in grant.lines:
            assert line.spent_of_grant + line.unspent == line.received
    bufdir, hdir = finance.grants
    # The 160 000 kr with no budget line are shared 10 : 3 by the lines' grants.
    assert hdir.lines[0].spent == Decimal("123076.92")
    assert bufdir.lines[0].spent == Decimal("436923.08")
    assert (bufdir.received, bufdir.spent_of_grant, bufdir.unspent) == (
        Decimal(300_000),
        Decimal(300_000),
        Decimal(0),
    )
    assert bufdir.lines[0].over == Decimal("136923.08")
    assert hdir.unspent == Decimal(1_000_000) - Decimal("123076.92")
    assert finance.received == Decimal(1_300_000)
    assert finance.spent_of_grant + finance.unspent == finance.received
    _header, rows = grantor_rows(finance)
    total = next(row for row in rows if row[0] == "Sum senteret")
    assert total[2:5] == [finance.received, finance.spent_of_grant, finance.unspent]
    assert sum(row[2] for row in rows if row[1]) == finance.received


def test_a_revision_moving_money_between_assignments_needs_approval(year_books):
    center, funding = year_books["center"], year_books["funding"]
    a311, a314 = year_books["a311"], year_books["a314"]
    revision = services.revise_budget(
        center=center,
        year=2025,
        items=[
            services.ItemSpec(CostType.SALARIES, Decimal(500_000), Source.GRANT, a311, funding),
            services.ItemSpec(CostType.SALARIES, Decimal(300_000), Source.GRANT, a314, funding),
            services.ItemSpec(CostType.OPERATIONS, Decimal(200_000), Source.GRANT, None, funding),
        ],
        note="Flytter lønn",
    )
    assert revision.number == 2 and revision.needs_approval
    same_split = services.revise_budget(
        center=center,
        year=2025,
        items=[
            services.ItemSpec(CostType.SALARIES, Decimal(500_000), Source.GRANT, a311, funding),
            services.ItemSpec(CostType.SALARIES, Decimal(300_000), Source.GRANT, a314, funding),
            services.ItemSpec(CostType.TRAVEL, Decimal(200_000), Source.GRANT, None, funding),
        ],
    )
    assert not same_split.needs_approval
    assert revision.history.count() == 1


def test_the_key_figures_json_has_the_finance_keys(year_books):
    data = finance_json(finance_for(year_books["center"], 2025))
    assert set(data) == {
        "generated", "budget", "spent", "grant_received", "grant_spent", "unspent",
        "own_funding", "other_funding", "by_assignment", "by_cost_type", "by_budget_line",
    }  # fmt: skip
    assert data["budget"] == 1_050_000 and data["spent"] == 160_000
    assert data["by_cost_type"]["salaries"] == {"budget": 850_000, "spent": 110_000}
    assert data["by_budget_line"]["Helsedirektoratet, kap. 765 post 74"]["unspent"] == 840_000

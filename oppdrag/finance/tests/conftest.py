"""Fixtures of the finance tests: a centre with two assignments, hours on them,
one grant line, mapped accounts and projects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oppdrag.finance import services
from oppdrag.finance.importers import LedgerImporter
from oppdrag.finance.models import CostType, Source
from oppdrag.grants.models import Assignment
from oppdrag.hours.importers import HOURS_IMPORTERS, StaffImporter
from oppdrag.hours.tests.test_importers import run_hours
from tests.files import write_table

LEDGER_HEADER = ["Dato", "Konto", "Prosjekt", "Tekst", "Beløp"]


@pytest.fixture
def books(center, tmp_path):
    """NAPHA-like 2025: 3.1.1 got 85 hours and 3.1.4 25 (project 200 is shared 3:1),
    one grant line kap. 765 post 74 of 1 000 000 kr, accounts and projects mapped."""
    Assignment.objects.create(center=center, year=2025, number="3.1.1", title="ACT")
    Assignment.objects.create(center=center, year=2025, number="3.1.4", title="ABC")
    projects = write_table(
        tmp_path,
        "projects.csv",
        [
            ["Prosjektnummer", "Prosjekt", "Kapittel", "Gruppe", "Type", "Teller som", "Oppdrag"],
            ["100", "ACT opplæring", "3.1.1", "ACT", "oppdrag", "arbeid", "3.1.1"],
            ["200", "Felles", "", "Annet", "annet", "arbeid", "3.1.1: 3; 3.1.4"],
        ],
    )
    assert HOURS_IMPORTERS["time-projects"](center, 2025).run(projects).ok
    staff = write_table(
        tmp_path,
        "staff.csv",
        [
            ["Navn", "Stilling", "Endring", "Stillingsprosent", "Fra"],
            ["Nordmann, Kari", "Rådgiver", "stilling", "100", "01.01.2025"],
        ],
    )
    assert StaffImporter(center, 2025).run(staff).ok
    assert run_hours(
        center,
        tmp_path,
        [["Kari Nordmann", "100", "2025-03", "10"], ["Kari Nordmann", "200", "2025-03", "100"]],
    ).ok
    funding = services.save_funding(
        center=center, year=2025, amount=Decimal(1_000_000), chapter="765", post="74"
    )
    for account, cost_type in [
        ("5000", CostType.SALARIES),
        ("6800", CostType.OPERATIONS),
        ("7140", CostType.TRAVEL),
        ("3000", ""),
    ]:
        services.map_account(center=center, account=account, cost_type=cost_type)
    a311 = Assignment.objects.get(center=center, number="3.1.1")
    a314 = Assignment.objects.get(center=center, number="3.1.4")
    services.map_project(center=center, year=2025, code="P1", assignment=a311)
    services.map_project(center=center, year=2025, code="P2", assignment=a314)
    services.map_project(center=center, year=2025, code="ADM", assignment=None)
    return {"center": center, "funding": funding, "a311": a311, "a314": a314}


@pytest.fixture
def import_ledger(tmp_path):
    counter = {"n": 0}

    def run(center, rows, *, header=LEDGER_HEADER, name=None, **kwargs):
        counter["n"] += 1
        path = write_table(tmp_path, name or f"ledger{counter['n']}.csv", [header, *rows])
        return LedgerImporter(center, 2025, **kwargs).run(path)

    return run


@pytest.fixture
def year_books(books, import_ledger):
    center, funding = books["center"], books["funding"]
    a311, a314 = books["a311"], books["a314"]
    services.revise_budget(
        center=center,
        year=2025,
        items=[
            services.ItemSpec(CostType.SALARIES, Decimal(600_000), Source.GRANT, a311, funding),
            services.ItemSpec(CostType.SALARIES, Decimal(200_000), Source.GRANT, a314, funding),
            services.ItemSpec(CostType.OPERATIONS, Decimal(200_000), Source.GRANT, None, funding),
            services.ItemSpec(CostType.SALARIES, Decimal(50_000), Source.OWN),
        ],
    )
    result = import_ledger(
        center,
        [
            ["31.01.2025", "5000", "", "Lønn", "110 000"],  # no project: shared by hours
            ["01.02.2025", "6800", "P1", "Rekvisita", "30 000"],
            ["01.03.2025", "7140", "P2", "Reise", "5 000"],
            ["01.03.2025", "6800", "ADM", "Felles", "15 000"],
            ["05.01.2025", "3000", "", "Tilskudd inn", "-1 000 000"],  # income: not spending
        ],
    )
    assert result.ok, result.problems
    return books

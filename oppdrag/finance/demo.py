"""The finance part of the NAPHA 2025 demo: a budget from the grant letter's amount and
an illustrative ledger.

The published report has no accounts, so everything here is generated, and marked so
where it is stored (``BudgetRevision.is_generated``, ``LedgerImport.is_generated``)
and labelled «Eksempeldata» wherever it is shown. The amount and budget line are the
grant letter's (45 500 000 kr over kap. 765 post 74, the letter the demo's reference
documents hold). The ledger goes through the ordinary importer, from a file made here
with a fixed seed, so the demo is the same every time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from oppdrag.core.models import Center
from oppdrag.grants.models import Assignment
from oppdrag.importing.base import ImportRejected, ImportResult

from . import services
from .amounts import format_amount
from .calculations import split
from .importers import LedgerImporter
from .models import CostType, Source

DEMO_YEAR = 2025
GRANT = Decimal(45_500_000)
ACCOUNTS = [
    ("3400", "Tilskudd fra Helsedirektoratet", ""),
    ("5000", "Lønn", CostType.SALARIES),
    ("5400", "Arbeidsgiveravgift", CostType.SALARIES),
    ("6300", "Leie lokaler", CostType.INDIRECT),
    ("6800", "Kontorrekvisita", CostType.OPERATIONS),
    ("6540", "Inventar og utstyr", CostType.OPERATIONS),
    ("6700", "Kjøpte tjenester", CostType.PURCHASED),
    ("7140", "Reisekostnader", CostType.TRAVEL),
    ("7350", "Arrangementer og seminarer", CostType.EVENTS),
]
# Budget shares of the grant by cost type (salaries are shared by hours).
SHARES = {
    CostType.SALARIES: Decimal("0.72"),
    CostType.OPERATIONS: Decimal("0.05"),
    CostType.EVENTS: Decimal("0.06"),
    CostType.TRAVEL: Decimal("0.04"),
    CostType.PURCHASED: Decimal("0.05"),
    CostType.INDIRECT: Decimal("0.08"),
}
OWN_FUNDING = Decimal(400_000)


def _project_code(assignment: Assignment) -> str:
    return "P" + assignment.number.replace(".", "")


def load_finance_demo(center: Center, user: Any = None) -> list[ImportResult]:
    """Fundings, mappings, a generated budget and a generated ledger for 2025."""
    from oppdrag.hours.tables import hours_per_assignment

    year = DEMO_YEAR
    funding = services.save_funding(
        center=center,
        year=year,
        amount=GRANT,
        chapter="765",
        post="74",
        reference="Eksempeldata",
        user=user,
    )
    for account, name, cost_type in ACCOUNTS:
        services.map_account(
            center=center, account=account, name=name, cost_type=cost_type, user=user
        )
    hours = {row.number: row.hours for row in hours_per_assignment(center, year) if row.hours > 0}
    assignments = {
        a.number: a
        for a in Assignment.objects.filter(center=center, year=year, number__in=list(hours))
    }
    for assignment in assignments.values():
        services.map_project(
            center=center,
            year=year,
            code=_project_code(assignment),
            name=assignment.title[:200],
            assignment=assignment,
            funding=funding,
            user=user,
        )
    services.map_project(
        center=center, year=year, code="PADM", name="Administrasjon", assignment=None, user=user
    )

    # Budget: salaries by hours per assignment, the other cost types by the same
    # shares over the assignments, indirect costs common; own funding for salaries.
    amounts = split(GRANT, SHARES)
    weights = {number: Decimal(value) for number, value in hours.items() if number in assignments}
    items: list[services.ItemSpec] = []
    for cost_type, amount in amounts.items():
        if cost_type == CostType.INDIRECT or not weights:
            items.append(services.ItemSpec(cost_type, amount, Source.GRANT, None, funding))
            continue
        for number, share in split(amount, weights).items():
            items.append(
                services.ItemSpec(cost_type, share, Source.GRANT, assignments[number], funding)
            )
    items.append(services.ItemSpec(CostType.SALARIES, OWN_FUNDING, Source.OWN))
    services.revise_budget(
        center=center,
        year=year,
        items=items,
        note="Eksempeldata: budsjett laget ut fra tilskuddsbrevets beløp og timene per oppdrag.",
        user=user,
        is_generated=True,
    )

    # Ledger: monthly salaries without project (shared by hours), and a few hundred
    # postings of other costs on the projects, about the budget give or take.
    draw = random.Random(2025)
    rows: list[list[str]] = [["Dato", "Konto", "Prosjekt", "Tekst", "Beløp"]]
    salaries = amounts[CostType.SALARIES] * Decimal("0.97")
    for month in range(1, 13):
        day = dt.date(year, month, 25)
        wage = (salaries / 12 / Decimal("1.141")).quantize(Decimal(1))
        tax = (salaries / 12 - wage).quantize(Decimal(1))
        rows.append(
            [day.strftime("%d.%m.%Y"), "5000", "", f"Lønn {month:02d}", format_amount(wage)]
        )
        rows.append(
            [
                day.strftime("%d.%m.%Y"),
                "5400",
                "",
                f"Arbeidsgiveravgift {month:02d}",
                format_amount(tax),
            ]
        )
        rows.append(
            [
                dt.date(year, month, 1).strftime("%d.%m.%Y"),
                "6300",
                "PADM",
                f"Husleie {month:02d}",
                format_amount(amounts[CostType.INDIRECT] / 12),
            ]
        )
        rows.append(
            [
                dt.date(year, month, 5).strftime("%d.%m.%Y"),
                "3400",
                "",
                "Tilskudd, utbetaling",
                format_amount(-GRANT / 12),
            ]
        )
    codes = [_project_code(a) for a in assignments.values()] or ["PADM"]
    others = [
        ("6800", CostType.OPERATIONS, "Kontorrekvisita"),
        ("6540", CostType.OPERATIONS, "Utstyr"),
        ("6700", CostType.PURCHASED, "Konsulenttjenester"),
        ("7140", CostType.TRAVEL, "Reise"),
        ("7350", CostType.EVENTS, "Seminar"),
    ]
    for account, cost_type, text in others:
        count = 60
        target = (
            amounts[cost_type]
            * Decimal(draw.uniform(0.85, 1.1))
            / (2 if account in {"6800", "6540"} else 1)
        )
        for index in range(count):
            day = dt.date(year, 1, 1) + dt.timedelta(days=draw.randrange(365))
            amount = (target / count * Decimal(draw.uniform(0.5, 1.5))).quantize(Decimal("0.01"))
            rows.append(
                [
                    day.strftime("%d.%m.%Y"),
                    account,
                    draw.choice(codes),
                    f"{text} {index + 1}",
                    format_amount(amount),
                ]
            )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hovedbok-2025-eksempeldata.csv"
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        result = LedgerImporter(center, year, user, is_generated=True).run(path)
    if not result.ok:
        raise ImportRejected(result)
    return [result]

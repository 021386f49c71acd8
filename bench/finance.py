"""The ledger import of 100 000 lines, against the same rows' bulk insert into the same table.

The floor is the database's own insert of the rows the import stores, ready as tuples:
``COPY`` on PostgreSQL (``core.bulk.insert_rows``), ``bulk_create`` on SQLite, into
``finance_ledgerline``, in the same run. The import reads the CSV, checks every cell
and every account and project against the mappings, hashes the file and replaces the
period's lines. Each side is the median of three runs; the table is emptied between
runs, outside the timing. Target: ratio ≤ 3.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.run import OPTIONS, measurement

ACCOUNTS = ["5000", "5400", "6300", "6540", "6700", "6800", "7140", "7350", "7790", "3400"]
PROJECTS = [f"P{n:03d}" for n in range(30)] + [""]


def _write_ledger(path: Path, rows: int) -> None:
    draw = random.Random(22)
    start = dt.date(2025, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Dato;Konto;Prosjekt;Tekst;Beløp\n")
        for index in range(rows):
            date = start + dt.timedelta(days=draw.randrange(365))
            amount = f"{draw.randrange(-500_000, 5_000_000) / 100:.2f}".replace(".", ",")
            handle.write(
                f"{date:%d.%m.%Y};{draw.choice(ACCOUNTS)};{draw.choice(PROJECTS)};"
                f"Bilag {index};{amount}\n"
            )


def measure(database: str) -> list[dict[str, Any]]:
    from django.db import connection

    from oppdrag.core.bulk import insert_rows, uid_hex
    from oppdrag.core.models import Center
    from oppdrag.core.services import create_center
    from oppdrag.finance import services
    from oppdrag.finance.importers import LedgerImporter
    from oppdrag.finance.models import CostType, LedgerImport, LedgerLine

    rows = 2_000 if OPTIONS.quick else 100_000
    Center.objects.filter(slug="bench-finance").delete()
    center = create_center(slug="bench-finance", name="Bench finance", short_name="BENCH")
    for account in ACCOUNTS:
        cost_type = "" if account == "3400" else CostType.OPERATIONS
        services.map_account(center=center, account=account, cost_type=cost_type)
    for code in PROJECTS:
        if code:
            services.map_project(center=center, year=2025, code=code, assignment=None)

    def clear() -> None:
        LedgerLine.objects.filter(center=center).delete()
        LedgerImport.objects.filter(center=center).delete()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hovedbok.csv"
        _write_ledger(path, rows)
        imports = []
        for _ in range(3):
            clear()
            start = time.perf_counter()
            result = LedgerImporter(center, 2025).run(path)
            imports.append(time.perf_counter() - start)
            if not result.ok:
                raise RuntimeError(f"bench ledger refused: {result.problems[:3]}")
        stored = list(
            LedgerLine.objects.filter(center=center).values_list(
                "date", "account", "project", "text", "amount"
            )
        )
        assert len(stored) == rows
    floors = []
    for _ in range(3):
        clear()
        batch = LedgerImport.objects.create(
            center=center,
            year=2025,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
            file_name="floor",
            sha256="floor",
            rows=rows,
            total=Decimal(0),
        )
        stamp = connection.ops.adapt_datetimefield_value(batch.created_at)
        if connection.vendor == "postgresql":
            tuples = [
                (center.pk, uid, stamp, stamp, batch.pk, 2025, *line)
                for uid, line in zip(uid_hex(rows), stored, strict=True)
            ]
            start = time.perf_counter()
            insert_rows(LedgerLine, services.LINE_COLUMNS, tuples)
        else:
            objects = [
                LedgerLine(
                    center_id=center.pk,
                    batch_id=batch.pk,
                    year=2025,
                    date=date,
                    account=account,
                    project=project,
                    text=text,
                    amount=amount,
                )
                for date, account, project, text, amount in stored
            ]
            start = time.perf_counter()
            LedgerLine.objects.bulk_create(objects, batch_size=5000)
        floors.append(time.perf_counter() - start)
    clear()
    center.delete()
    wall, floor = statistics.median(imports), statistics.median(floors)
    return [
        measurement(
            "import_ledger_csv",
            database,
            f"{rows} lines",
            wall,
            "COPY of the same rows into finance_ledgerline"
            if database == "postgresql"
            else "bulk_create of the same rows into finance_ledgerline",
            floor,
            rows_per_s=round(rows / wall),
        )
    ]

"""Rebuilding the NAPHA 2025 demo through the importers, against reading its files."""

from __future__ import annotations

import csv
import time
from typing import Any

from bench.run import measurement, timed


def measure(database: str) -> list[dict[str, Any]]:
    from oppdrag.core.demo import DEMO_DIR, load_demo

    def read_demo_files() -> None:
        for path in DEMO_DIR.glob("*.csv"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for _row in csv.reader(handle, delimiter=";"):
                    pass

    start = time.perf_counter()
    load_demo()
    wall = time.perf_counter() - start
    floor = timed(read_demo_files)
    return [
        measurement("load_demo", database, "1x", wall, "csv.reader read of the demo files", floor)
    ]

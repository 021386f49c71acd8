"""One database's measurements; called by ``python -m bench``. Prints JSON.

Every measure is a module with ``def measure(database: str) -> list[dict]`` that
builds its results with ``measurement()`` and reads the run's settings from
``OPTIONS``. ``MEASURES`` lists them; adding a benchmark is one line there. A
module that does not import is an error, never a silent skip.

Measures run in one of two phases, each in its own process (Django reads
``DATABASE_URL`` once): ``demo`` against a fresh database that each measure fills
as it needs (the NAPHA demo, 20× copies, generated import files), and
``national`` against the synthetic nation (``oppdrag synth``, 21 centres × 10
years) that ``python -m bench`` generates first.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = {"centers": 21, "years": 10, "scale": 1, "seed": 2025, "first_year": 2016}


@dataclass(frozen=True)
class Measure:
    """A registered benchmark: its name (for ``--only``), module and phase."""

    name: str
    module: str
    phase: str = "demo"


# The registry: ``python -m bench --only NAME`` picks one by name.
MEASURES: list[Measure] = [
    Measure("load_demo", "bench.demo"),
    Measure("figures", "bench.figures"),
    Measure("importers", "bench.importers"),
    Measure("grant_letter", "bench.grants"),
    Measure("hostile", "bench.hostile"),
    Measure("reports", "bench.reports"),
    Measure("api", "bench.api"),
    Measure("evaluations", "bench.evaluations"),
    Measure("finance", "bench.finance"),
    Measure("national", "bench.national", phase="national"),
    Measure("web", "bench.web", phase="national"),
]


@dataclass
class Options:
    """The run's settings, as ``python -m bench`` passed them on."""

    quick: bool = False
    rows: int = 20_000
    hours_rows: int = 200_000
    scales: Sequence[str] = ("1x", "20x", "national")
    national: dict[str, Any] = field(default_factory=lambda: dict(NATIONAL))
    extra: dict[str, Any] = field(default_factory=dict)


OPTIONS = Options()


def timed(function: Callable[[], Any], repeat: int = 5) -> float:
    """The median wall time of ``repeat`` runs (shared machines are noisy)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measurement(
    name: str, database: str, scale: str, wall: float, floor_name: str, floor: float, **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "database": database,
        "scale": scale,
        "wall_s": round(wall, 6),
        "floor_name": floor_name,
        "floor_s": round(floor, 6),
        "ratio": round(wall / floor, 3) if floor else None,
        **extra,
    }


# Runs the command as its child and prints the child's peak resident memory (KiB).
# The wrapper is a small process of its own, so the peak is not inflated by the
# memory of the benchmark process that started it (a forked child counts its
# parent's pages until it execs).
PEAK_WRAPPER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print("PEAK_RSS_KIB=%d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``command``; return its wall seconds, its peak resident memory in MB, its output."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    output, _marker, peak = out.stdout.rpartition("PEAK_RSS_KIB=")
    if out.returncode != 0 or not peak.strip().isdigit():
        raise RuntimeError(f"{' '.join(command)} failed:\n{out.stdout[-3000:]}")
    return wall, int(peak) / 1024, output  # ru_maxrss is in KiB on Linux


def oppdrag_command(*args: str) -> list[str]:
    """The ``oppdrag`` console command as this interpreter runs it."""
    return [sys.executable, "-c", "from oppdrag.cli import main; main()", *args]


def selected(only: Sequence[str], phase: str) -> list[Measure]:
    chosen = [m for m in MEASURES if m.phase == phase and (not only or m.name in only)]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--phase", choices=["demo", "national"], default="demo")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--options", default="{}", help="Options as JSON")
    args = parser.parse_args()
    # Run as ``-m bench.run`` this file is ``__main__``; the measures import
    # ``bench.run``, a second copy of it, and read the options from that one.
    from bench import run as shared

    for key, value in json.loads(args.options).items():
        setattr(shared.OPTIONS, key, value)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results: list[dict[str, Any]] = []
    for entry in shared.selected(args.only, args.phase):
        module = importlib.import_module(entry.module)
        print(f"[bench] {args.database} {entry.name}", file=sys.stderr, flush=True)
        results.extend(module.measure(args.database))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()

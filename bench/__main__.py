"""``python -m bench``: run every benchmark on SQLite and PostgreSQL, write the results.

Each database runs in its own process (Django reads ``DATABASE_URL`` once at start).
Results go to ``bench/results/<date>-<machine>.json`` and a Markdown table next to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def postgres_url() -> str | None:
    base = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    try:
        import psycopg

        with psycopg.connect(base, connect_timeout=3, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS oppdrag_bench")
            conn.execute("CREATE DATABASE oppdrag_bench")
    except Exception as exc:
        print(f"PostgreSQL not available ({exc}); measuring SQLite only.", file=sys.stderr)
        return None
    return base.rsplit("/", 1)[0] + "/oppdrag_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="rows in the import benchmark")
    parser.add_argument(
        "--hours-rows", type=int, default=200_000, help="rows in the hours import benchmark"
    )
    parser.add_argument("--quick", action="store_true", help="fewer rows, for a smoke run")
    args = parser.parse_args()
    rows = 2_000 if args.quick else args.rows
    hours_rows = 5_000 if args.quick else args.hours_rows
    RESULTS.mkdir(exist_ok=True)
    targets = {"sqlite": f"sqlite:///{RESULTS / 'bench.sqlite3'}"}
    pg = postgres_url()
    if pg:
        targets["postgresql"] = pg
    measurements = []
    for name, url in targets.items():
        if name == "sqlite":
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "oppdrag.settings.test"}
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.run",
                "--database",
                name,
                "--rows",
                str(rows),
                "--hours-rows",
                str(hours_rows),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            sys.stderr.write(out.stdout + out.stderr)
            raise SystemExit(f"benchmark on {name} failed")
        measurements.extend(json.loads(out.stdout))
    Path(RESULTS / "bench.sqlite3").unlink(missing_ok=True)
    stamp = f"{dt.datetime.now(dt.UTC).date().isoformat()}-{platform.node() or 'machine'}"
    (RESULTS / f"{stamp}.json").write_text(json.dumps(measurements, indent=2) + "\n")
    table = markdown(measurements)
    (RESULTS / f"{stamp}.md").write_text(table)
    print(table)


def markdown(measurements: list[dict]) -> str:
    lines = [
        "| name | database | scale | wall s | queries | floor | floor s | ratio | extra |",
        "|---|---|---|---:|---:|---|---:|---:|---|",
    ]
    for m in measurements:
        extra = ", ".join(f"{k}={v}" for k, v in m.items() if k in {"rows_per_s", "peak_rss_mb"})
        lines.append(
            f"| {m['name']} | {m['database']} | {m['scale']} | {m['wall_s']:.4f} | "
            f"{m.get('queries', '')} | {m['floor_name']} | {m['floor_s']:.4f} | "
            f"{m['ratio'] if m['ratio'] is not None else ''} | {extra} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

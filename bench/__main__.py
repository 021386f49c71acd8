"""``python -m bench``: run the benchmarks on SQLite and PostgreSQL, write the results.

Each database and phase runs in its own process (Django reads ``DATABASE_URL``
once at start). The national phase first generates the synthetic nation with
``oppdrag synth`` in a process of its own, timed and with its peak memory.
Results go to ``bench/results/<date>-<machine>.json`` and a Markdown table next
to it. ``--only NAME`` (repeatable) picks measures from ``bench.run.MEASURES``;
``--scales 1x,20x,national`` the scales; ``--quick`` makes everything small.
PostgreSQL databases are ``$BENCH_DB_NAME`` (default ``oppdrag_bench``) and
``$BENCH_DB_NAME_national``, created afresh on the server of ``$TEST_POSTGRES_URL``.
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
from typing import Any

from bench.run import MEASURES, NATIONAL, ROOT, measurement, oppdrag_command, run_measured

RESULTS = Path(__file__).resolve().parent / "results"
SCALES = ("1x", "20x", "national")
EXTRA_KEYS = (
    "rps",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "share_of_bare_rps",
    "errors",
    "rows_per_s",
    "peak_rss_mb",
    "floor_rss_mb",
    "rows",
    "cpu_ratio",
    "build_s",
    "build_cold_s",
    "render_s",
    "bytes",
    "floor_bytes",
    "database_floor_s",
    "ratio_to_database_floor",
    "read_s",
    "read_ratio",
    "csv_reader_s",
    "csv_reader_ratio",
    "bare_events_floor_s",
    "bare_events_ratio",
    "bare_floor_s",
    "bare_ratio",
)


def bench_db_name() -> str:
    return os.environ.get("BENCH_DB_NAME", "oppdrag_bench")


def postgres_server() -> str | None:
    """The server's URL without a database name, or None when none answers."""
    base = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    try:
        import psycopg

        with psycopg.connect(base, connect_timeout=3):
            pass
    except Exception as exc:
        print(f"PostgreSQL not available ({exc}); measuring SQLite only.", file=sys.stderr)
        return None
    return base.rsplit("/", 1)[0]


def fresh_postgres(server: str, name: str, *, keep: bool = False) -> tuple[str, bool]:
    """``server/name`` as a new empty database; with ``keep`` an existing one is kept.

    Returns the URL and whether the database already existed (and was kept).
    """
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return f"{server}/{name}", True
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}", False


def fresh_sqlite(name: str, *, keep: bool = False) -> tuple[str, bool]:
    path = ROOT / "var" / "bench" / f"{name}.sqlite3"  # var/ is not committed
    path.parent.mkdir(parents=True, exist_ok=True)
    if keep and path.exists():
        return f"sqlite:///{path}", True
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}", False


def environment(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}


def phase(database: str, url: str, name: str, only: list[str], options: dict[str, Any]) -> list:
    command = [sys.executable, "-m", "bench.run", "--database", database, "--phase", name]
    command += [arg for measure in only for arg in ("--only", measure)]
    command += ["--options", json.dumps(options)]
    out = subprocess.run(
        command, cwd=ROOT, env=environment(url), stdout=subprocess.PIPE, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark {name} on {database} failed")
    return list(json.loads(out.stdout))


def synthesize(database: str, url: str, national: dict[str, Any], label: str) -> dict[str, Any]:
    """Migrate, then generate the synthetic nation; measured as its own process."""
    env = environment(url)
    subprocess.run(oppdrag_command("migrate", "-v0"), cwd=ROOT, env=env, check=True)
    startup = [sys.executable, "-c", "import django; django.setup()"]
    floor_wall, floor_rss, _out = run_measured(startup, env)
    args = [f"--{key.replace('_', '-')}={value}" for key, value in national.items()]
    wall, rss, output = run_measured(oppdrag_command("synth", "--json", *args), env)
    rows = json.loads(output.strip().splitlines()[-1])["rows"]
    return measurement(
        "synth",
        database,
        label,
        wall,
        "a process that only starts Django",
        floor_wall,
        peak_rss_mb=round(rss, 1),
        floor_rss_mb=round(floor_rss, 1),
        rows=sum(rows.values()),
        hour_rows=rows.get("timeentry", 0),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="rows in the import benchmark")
    parser.add_argument(
        "--hours-rows", type=int, default=200_000, help="rows in the hours import benchmark"
    )
    parser.add_argument("--quick", action="store_true", help="small everything, for a smoke run")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=[m.name for m in MEASURES],
        help="run only this measure (repeatable)",
    )
    parser.add_argument("--scales", default=",".join(SCALES), help="e.g. 1x,20x,national")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="which databases to measure, in order"
    )
    parser.add_argument(
        "--national-databases",
        default="postgresql,sqlite",
        help="where to generate and measure the national data set",
    )
    parser.add_argument(
        "--reuse-national",
        action="store_true",
        help="keep an existing national database instead of generating it again",
    )
    args = parser.parse_args()
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = set(scales) - set(SCALES)
    if unknown:
        parser.error(f"unknown scales: {', '.join(sorted(unknown))}")
    national = (
        {"centers": 2, "years": 2, "scale": 0.1, "seed": 2025, "first_year": 2024}
        if args.quick
        else dict(NATIONAL)
    )
    label = (
        "national" if national == NATIONAL else "synth {centers}×{years}×{scale}".format(**national)
    )
    options = {
        "quick": args.quick,
        "rows": args.rows,
        "hours_rows": args.hours_rows,
        "scales": scales,
        "national": national,
        "extra": {"scale_label": label},
    }
    RESULTS.mkdir(exist_ok=True)
    server = postgres_server() if "postgresql" in args.databases else None
    databases = [d for d in args.databases.split(",") if d in ("sqlite", "postgresql")]
    if server is None and "postgresql" in databases:
        databases.remove("postgresql")
    name = bench_db_name()
    stamp = f"{dt.datetime.now(dt.UTC).date().isoformat()}-{platform.node() or 'machine'}"
    # A smoke or partial run never overwrites the day's full results.
    if args.quick:
        stamp += "-quick"
    if args.only:
        stamp += "-only-" + "-".join(sorted(args.only))
    measurements: list[dict[str, Any]] = []

    def save() -> str:
        """Write what is measured so far (a long run that stops keeps its results)."""
        (RESULTS / f"{stamp}.json").write_text(json.dumps(measurements, indent=2) + "\n")
        table = markdown(measurements)
        (RESULTS / f"{stamp}.md").write_text(table)
        return table

    demo_only = [m.name for m in MEASURES if m.phase == "demo"]
    national_only = [m.name for m in MEASURES if m.phase == "national"]
    for database in databases:
        if not args.only or set(args.only) & set(demo_only):
            if database == "postgresql":
                url, _kept = fresh_postgres(str(server), name)
            else:
                url, _kept = fresh_sqlite(name)
            picked = [m for m in args.only if m in demo_only]
            measurements.extend(phase(database, url, "demo", picked, options))
            save()
        wants_national = "national" in scales and database in args.national_databases
        if wants_national and (not args.only or set(args.only) & set(national_only)):
            if database == "postgresql":
                url, kept = fresh_postgres(
                    str(server), f"{name}_national", keep=args.reuse_national
                )
            else:
                url, kept = fresh_sqlite(f"{name}_national", keep=args.reuse_national)
            if not kept:
                print(f"[bench] {database}: generating {label}", file=sys.stderr, flush=True)
                measurements.append(synthesize(database, url, national, label))
                save()
            picked = [m for m in args.only if m in national_only]
            measurements.extend(phase(database, url, "national", picked, options))
            save()
    print(save())


def markdown(measurements: list[dict]) -> str:
    lines = [
        "| name | database | scale | wall s | queries | floor | floor s | ratio | extra |",
        "|---|---|---|---:|---:|---|---:|---:|---|",
    ]
    for m in measurements:
        extra = ", ".join(f"{k}={m[k]}" for k in EXTRA_KEYS if k in m)
        lines.append(
            f"| {m['name']} | {m['database']} | {m['scale']} | {m['wall_s']:.4f} | "
            f"{m.get('queries', '')} | {m['floor_name']} | {m['floor_s']:.4f} | "
            f"{m['ratio'] if m['ratio'] is not None else ''} | {extra} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

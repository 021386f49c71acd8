"""Parsing the seed grant letter, against merely splitting its text into lines."""

from __future__ import annotations

from typing import Any

from bench.run import measurement, timed


def measure(database: str) -> list[dict[str, Any]]:
    from oppdrag.grants.bench import SEED_LETTER, bench_parse_seed

    text = SEED_LETTER.read_text(encoding="utf-8")
    return [
        measurement(
            "parse_grant_letter",
            database,
            "seed letter",
            bench_parse_seed(),
            "str.splitlines of the letter",
            timed(lambda: text.splitlines(), 20),
        )
    ]

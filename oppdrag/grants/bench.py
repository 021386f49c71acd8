"""Timing of the grant-letter parser, for ``bench/`` to call."""

from __future__ import annotations

import time
from pathlib import Path

from .letter_parser import parse_letter

SEED_LETTER = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_28f8e61edf5e0682.txt"
)


def bench_parse_seed(repeat: int = 5, path: Path = SEED_LETTER) -> float:
    """The median wall time in seconds of parsing the NAPHA 2026 seed letter."""
    text = path.read_text(encoding="utf-8")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_letter(text)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]

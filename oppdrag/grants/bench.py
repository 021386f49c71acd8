"""Timing of the grant-letter parser, for ``bench/`` to call."""

from __future__ import annotations

import time
from pathlib import Path

from .letter_parser import parse_letter


def bench_parse_seed(path: Path, repeat: int = 5) -> float:
    """The median wall time in seconds of parsing a grant letter's text file."""
    text = path.read_text(encoding="utf-8")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_letter(text)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]

"""Parsing the published 2026 grant letter, against merely splitting its text into lines.

The letter is one of the reference documents (``tests/reference_documents.py``); without
them this measure says so and reports nothing.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.run import measurement, timed
from tests import reference_documents


def measure(database: str) -> list[dict[str, Any]]:
    from oppdrag.grants.letter_parser import parse_letter

    reason = reference_documents.missing()
    if reason:
        print(f"[bench] grant_letter not measured: {reason}", file=sys.stderr, flush=True)
        return []
    path = reference_documents.document(reference_documents.GRANT_LETTER_2026)
    text = path.read_text(encoding="utf-8")
    return [
        measurement(
            "parse_grant_letter",
            database,
            "seed letter",
            timed(lambda: parse_letter(text)),
            "str.splitlines of the letter",
            timed(lambda: text.splitlines(), 20),
        )
    ]

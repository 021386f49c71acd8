"""The sentences the report writes itself read as a careful writer's bokmål.

``REVIEWED`` is the demo year's generated sentences as a person read and approved them:
a change to any of them shows here as a diff to read again. The rule tests go over every
generated sentence of the demo report, so a new sentence is held to the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from oppdrag.reports import tree as t
from oppdrag.reports.builder import build_report

# A sentence ends at . ! or ? followed by a space and a capital, a digit or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def generated_paragraphs(report: t.Report) -> Iterator[tuple[t.Section, t.Paragraph]]:
    for _depth, section in report.walk():
        for block in section.blocks:
            if isinstance(block, t.Paragraph) and block.generated:
                yield section, block


def generated_sentences(report: t.Report) -> list[str]:
    return [s for _section, p in generated_paragraphs(report) for s in sentences(p.plain)]


@pytest.fixture
def report(full_demo):
    return build_report(full_demo, 2025, include_findings=False)


def test_dump(report):
    from pathlib import Path

    Path("/tmp/honest/sentences.txt").write_text(
        "\n".join(repr(s) for s in generated_sentences(report)), encoding="utf-8"
    )

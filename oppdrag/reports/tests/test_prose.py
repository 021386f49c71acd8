"""Staff-written text: the light markup, parsed into report-tree blocks and checked."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from oppdrag.reports import prose
from oppdrag.reports import tree as t
from oppdrag.reports.prosecheck import check_prose
from oppdrag.reports.renderers.html import prose_html

EVERYTHING = """Innledning med **fet**, *kursiv* og [en lenke](https://example.org/side).

## Hva vi gjorde

- første punkt
- andre punkt med [[figur:count:events]]

1. steg én
2. steg to

> Et sitat fra en deltaker.

| Tiltak | Antall |
|---|---|
| Kurs | [[figur:count:events]] |

Se [[ref:assignment:3.1]].
"""


def test_every_structure_the_editor_offers_becomes_its_own_block():
    blocks = prose.parse(EVERYTHING)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == [
        "Paragraph",
        "Heading",
        "ListBlock",
        "ListBlock",
        "Quote",
        "TextTable",
        "Paragraph",
    ]
    first = blocks[0]
    assert isinstance(first, t.Paragraph)
    assert next(r for r in first.runs if isinstance(r, t.Text) and r.bold).text == "fet"
    assert next(r for r in first.runs if isinstance(r, t.Text) and r.italic).text == "kursiv"
    assert [r for r in first.runs if isinstance(r, t.Link)] == [
        t.Link("en lenke", "https://example.org/side")
    ]
    bullets, numbered = blocks[2], blocks[3]
    assert isinstance(bullets, t.ListBlock) and not bullets.ordered
    assert isinstance(numbered, t.ListBlock) and numbered.ordered
    assert isinstance(bullets.items[1][-1], t.LiveFigure)
    table = blocks[5]
    assert isinstance(table, t.TextTable)
    assert [c[0].text for c in table.header] == ["Tiltak", "Antall"]
    assert isinstance(table.rows[0][1][0], t.LiveFigure)
    assert isinstance(blocks[6], t.Paragraph)
    assert any(isinstance(r, t.CrossRef) for r in blocks[6].runs)


def test_raw_html_and_unsafe_links_stay_text_and_are_escaped():
    blocks = prose.parse('<script>alert(1)</script> [x](javascript:alert(1)) <b onclick="y">')
    html = prose_html(blocks)
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_the_json_round_trip_keeps_every_prose_block():
    assessment = t.Assessment("3.1/results", "Resultater", prose.parse(EVERYTHING), "Klar")
    data = json.loads(json.dumps(assessment.to_json()))
    again = t._block_from_json(data)
    assert again == assessment


def test_an_old_snapshot_with_only_paragraphs_still_reads():
    data = {
        "type": "assessment",
        "key": "k",
        "heading": "H",
        "paragraphs": [{"type": "paragraph", "runs": [{"type": "text", "text": "Gammel"}]}],
    }
    block = t._block_from_json(data)
    assert isinstance(block, t.Assessment) and block.paragraphs[0].plain == "Gammel"


MARKUP = st.sampled_from(
    [
        "*",
        "**",
        "_",
        "#",
        "##",
        "- ",
        "1. ",
        "> ",
        "|",
        "---",
        "[",
        "]",
        "(",
        ")",
        "[[",
        "]]",
        "ref:",
        "figur:",
        "\n",
        "\n\n",
        " ",
        "a",
        "1",
        "<",
        "&",
        "`",
        "\\",
        "!",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKUP | st.text(max_size=5), max_size=60).map("".join))
def test_any_text_parses_without_error_and_keeps_its_words(text):
    blocks = prose.parse(text)
    rendered = prose_html(blocks)
    assert "<script" not in rendered
    for block in blocks:
        for runs in t.prose_runs(block):
            for run in runs:
                assert isinstance(run, t.Text | t.Link | t.CrossRef | t.LiveFigure)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abc xyz.", min_size=1, max_size=40))
def test_plain_words_come_back_unchanged(words):
    text = " ".join(words.split())
    blocks = prose.parse(text)
    assert "".join(r.text for b in blocks for runs in t.prose_runs(b) for r in runs) == text


def test_a_large_text_of_nested_markup_parses_in_one_pass():
    # Deeply nested emphasis and brackets are the classic super-linear inputs.
    text = "*" * 20_000 + "[" * 20_000 + "> " * 5_000
    assert prose.parse(text)  # finishes; bench/ has the timing


# --- the checks ----------------------------------------------------------------------------
def _report(text: str, *, figures_ok: bool = True) -> t.Report:
    report = t.Report("x", "X", 2025, "Årsrapport 2025")
    report.sections = [
        t.Section("overall", "Overordnet vurdering", "chapter"),
        t.Section("focus", "Innsatsområder", "chapter"),
        t.Section(
            "assignments",
            "Oppdrag",
            "chapter",
            sections=[
                t.Section(
                    "assignment:3.1",
                    "Kurs",
                    blocks=[t.Assessment("3.1/results", "Resultater", prose.parse(text), "Klar")],
                ),
                t.Section("assignment:3.4", "Nettverk"),
            ],
        ),
        t.Section("appendix:events", "Arrangementer", "appendix"),
    ]
    return report


FIGURES = {
    "count:events": t.FigureValue(63, "63", "Arrangementer i 2025"),
    "count:events:assignment:3.1": t.FigureValue(12, "12", "Arrangementer under oppdrag 3.1"),
    "visits:psykisk-helse": t.FigureValue(6020, "6\u2009020", "Besøk på temasiden «Psykisk helse»"),
    "participants": t.FigureValue(2480, "2\u2009480", "Deltakelser"),
}
RESPONSE = SimpleNamespace(
    uid=uuid4(), title="Høring om opptrappingsplan for psykisk helse", date=dt.date(2025, 12, 19)
)


def findings(text: str) -> list[t.Finding]:
    report = _report(text)
    t.finish(report, FIGURES)
    return check_prose(report, FIGURES, [RESPONSE])


def test_a_typed_number_that_is_a_computed_figure_is_flagged_as_typed():
    found = findings("Temasidene hadde til sammen 2480 deltakelser og 6 020 besøk.")
    assert [f.code for f in found] == ["typed_figure", "typed_figure"]
    fixes = " ".join(f.fix for f in found)
    assert "[[figur:participants]]" in fixes
    assert "[[figur:visits:psykisk-helse]]" in fixes


def test_a_number_one_digit_off_a_computed_figure_is_flagged():
    found = findings("Temasiden hadde 620 besøk i år.")
    assert [f.code for f in found] == ["figure_typo"]
    assert "6\u2009020" in found[0].message


def test_a_count_that_differs_from_the_registry_is_an_error():
    found = findings("Vi holdt 64 arrangementer i 2025.")
    assert [(f.code, f.severity) for f in found] == [("count_mismatch", "error")]
    assert "63" in found[0].message


def test_the_right_count_and_a_live_figure_are_not_errors():
    assert [f.code for f in findings("Vi holdt [[figur:count:events]] arrangementer.")] == []
    # 12 is this assignment's own count: right, but typed (so a warning to make it live).
    found = findings("Under oppdraget ble det 12 arrangementer.")
    assert [(f.code, f.severity) for f in found] == [("typed_figure", "warning")]


def test_a_date_that_differs_from_the_record_it_names_is_an_error():
    found = findings(
        "Høringssvaret til Høring om opptrappingsplan for psykisk helse ble sendt 9.12."
    )
    assert [f.code for f in found] == ["date_mismatch"]
    assert "19.12.2025" in found[0].message
    assert f"[[figur:date:{RESPONSE.uid}]]" in found[0].fix
    right = "Høring om opptrappingsplan for psykisk helse ble besvart 19. desember 2025."
    assert findings(right) == []


def test_a_typed_chapter_number_is_flagged_and_a_missing_one_is_an_error():
    found = findings("Se kapittel 3.2 og kapittel 3.9 og vedlegg 1.")
    assert [(f.code, f.severity) for f in found] == [
        ("typed_reference", "warning"),
        ("typed_reference", "error"),
        ("typed_reference", "warning"),
    ]
    assert "[[ref:assignment:3.4]]" in found[0].fix


def test_a_reference_token_to_a_chapter_that_moved_follows_it():
    report = _report("Se [[ref:assignment:3.4]].")
    t.finish(report, FIGURES)
    ref = next(
        r
        for b in report.section("assignment:3.1").blocks  # type: ignore[union-attr]
        for runs in t.inline_lists(b)
        for r in runs
        if isinstance(r, t.CrossRef)
    )
    assert ref.text == "kapittel 3.2"  # grant-letter number 3.4, printed where it is now


def test_live_figures_print_their_value_and_an_unknown_one_is_a_finding():
    report = _report("Vi holdt [[figur:count:events]] og [[figur:count:nothing]].")
    t.finish(report, FIGURES)
    runs = [r for r in report.section("assignment:3.1").blocks[0].content[0].runs]  # type: ignore[union-attr]
    figures = [r for r in runs if isinstance(r, t.LiveFigure)]
    assert [f.text for f in figures] == ["63", "[ukjent tall: count:nothing]"]
    assert [f.code for f in report.findings] == ["unknown_figure"]


PROSE_PIECES = st.sampled_from(
    [
        "kapittel ",
        "vedlegg ",
        "3.1",
        " 64 ",
        "arrangementer",
        " 620 ",
        "besøk",
        "9.12.",
        " 19. ",
        "desember ",
        "2025",
        "Høring om opptrappingsplan for psykisk helse",
        ". ",
        "[[figur:x]]",
        "[[ref:assignment:3.1]]",
        "\n\n",
        "- ",
        "| a | b |\n|---|---|\n",
        "1 000",
        "**",
        "*",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PROSE_PIECES | st.text(max_size=4), max_size=40).map("".join))
def test_the_checks_take_any_text_and_only_name_what_was_typed(text):
    for finding in findings(text):
        assert finding.code in {
            "typed_figure",
            "figure_typo",
            "count_mismatch",
            "date_mismatch",
            "typed_reference",
        }
        assert finding.message and finding.fix

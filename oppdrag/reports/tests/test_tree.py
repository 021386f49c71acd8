"""The pure report tree: numbering, cross-references, percentages, JSON."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from oppdrag.reports import tree as t


def small_report(ref: str = "assignment:3.1.2") -> t.Report:
    report = t.Report(center="x", center_name="Senter X", year=2026, title="Årsrapport 2026")
    report.sections = [
        t.Section(
            "foreword", "Forord", "none", [t.Paragraph(t.parse_inline(f"Se [[ref:{ref}]]."))]
        ),
        t.Section(
            "focus",
            "Innsatsområder",
            "chapter",
            sections=[
                t.Section("focus:a", "Formidling", "letter"),
                t.Section("focus:b", "Kompetanse", "letter"),
            ],
        ),
        t.Section(
            "assignments",
            "Oppdrag",
            "chapter",
            sections=[
                t.Section(
                    "assignment:2.1",
                    "Første",
                    sections=[
                        t.Section("assignment:2.1.1", "A"),
                        t.Section("assignment:3.1.2", "B"),
                    ],
                ),
                t.Section("assignment:2.2", "Andre"),
            ],
        ),
        t.Section("appendix:events", "Arrangementer", "appendix"),
        t.Section("appendix:groups", "Grupper", "appendix"),
        t.Section("appendix:questionnaire", "Skjema", "appendix-unnumbered"),
    ]
    return t.finish(report)


def test_it_numbers_sections_from_their_place_in_the_tree():
    report = small_report()
    numbers = {s.key: s.number for _, s in report.walk()}
    assert numbers["focus"] == "1"
    assert numbers["focus:b"] == "1b"
    assert report.section("focus:b").label == "b)"  # type: ignore[union-attr]
    assert numbers["assignments"] == "2"
    # the grant letter's own number (3.1.2) does not decide the chapter number
    assert numbers["assignment:3.1.2"] == "2.1.2"
    assert numbers["assignment:2.2"] == "2.2"
    assert numbers["appendix:groups"] == "Vedlegg 2"
    assert numbers["appendix:questionnaire"] == ""
    assert numbers["foreword"] == ""


def test_it_resolves_a_cross_reference_to_the_computed_chapter_number():
    report = small_report()
    paragraph = report.sections[0].blocks[0]
    assert isinstance(paragraph, t.Paragraph)
    assert paragraph.plain == "Se kapittel 2.1.2."
    assert not [f for f in report.findings if f.code == "stale_reference"]


def test_it_writes_appendix_references_in_lower_case_inside_a_sentence():
    report = small_report("appendix:groups")
    assert report.sections[0].blocks[0].plain == "Se vedlegg 2."  # type: ignore[union-attr]


def test_a_stale_cross_reference_becomes_a_finding_not_a_crash():
    report = small_report("assignment:9.9")
    paragraph = report.sections[0].blocks[0]
    assert "ukjent henvisning" in paragraph.plain  # type: ignore[union-attr]
    stale = [f for f in report.findings if f.code == "stale_reference"]
    assert len(stale) == 1
    assert stale[0].severity == "error"
    assert "assignment:9.9" in stale[0].message


def test_it_finds_percentages_that_do_not_add_up_to_100():
    report = t.Report(center="x", center_name="X", year=2026, title="T")
    good = t.Table(
        "God",
        ["Form", "Prosent"],
        [["a", 33], ["b", 67], ["Sum", 100]],
        percent_columns=(1,),
        total_rows=1,
    )
    bad = t.Table(
        "Dårlig", ["Form", "Prosent"], [["a", 33], ["b", 33], ["c", 33]], percent_columns=(1,)
    )
    report.sections = [t.Section("s", "S", blocks=[good, bad])]
    t.finish(report)
    found = [f for f in report.findings if f.code == "percentages_not_100"]
    assert len(found) == 1
    assert "Dårlig" in found[0].message and "99" in found[0].message


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30))
def test_largest_remainder_percentages_always_add_up_to_100(counts):
    shares = t.largest_remainder_percentages(counts)
    assert len(shares) == len(counts)
    assert sum(shares) == (100 if sum(counts) else 0)
    total = sum(counts)
    for count, share in zip(counts, shares, strict=True):
        if total:
            assert abs(share - count * 100 / total) < 1


@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(blacklist_characters="[]")),
            st.from_regex(r"[a-z]+:[0-9.]+", fullmatch=True).map(lambda k: f"[[ref:{k}]]"),
        ),
        max_size=6,
    )
)
def test_parse_inline_keeps_the_text_and_finds_every_reference(pieces):
    text = "".join(pieces)
    runs = t.parse_inline(text)
    refs = [run for run in runs if isinstance(run, t.CrossRef)]
    assert len(refs) == sum(1 for p in pieces if p.startswith("[[ref:"))
    rebuilt = "".join(f"[[ref:{r.target}]]" if isinstance(r, t.CrossRef) else r.text for r in runs)
    assert rebuilt == text


def test_to_json_is_deterministic_and_keeps_numbers_as_numbers():
    first = json.dumps(small_report().to_json(), ensure_ascii=False)
    second = json.dumps(small_report().to_json(), ensure_ascii=False)
    assert first == second
    report = t.Report(center="x", center_name="X", year=2026, title="T")
    report.sections = [
        t.Section("s", "S", blocks=[t.Table("T", ["Navn", "Antall"], [["a", 1400]])])
    ]
    table = t.finish(report).to_json()["sections"][0]["blocks"][0]
    assert table == {
        "type": "table",
        "key": "",
        "caption": "T",
        "columns": ["Navn", "Antall"],
        "rows": [["a", 1400]],
        "footnote": "",
        "empty_text": "",
    }


def test_paragraphs_are_split_on_blank_lines():
    paragraphs = t.paragraphs_from_text("Første\nlinje.\n\n  Andre [[ref:focus:a]].  ")
    assert [p.plain for p in paragraphs] == ["Første linje.", "Andre ."]
    assert isinstance(paragraphs[1].runs[1], t.CrossRef)

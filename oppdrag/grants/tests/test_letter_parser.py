"""The grant-letter parser on the real 2026 letter and on letters written for the tests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.grants.letter_parser import (
    GrantDraft,
    find_amounts,
    month_periods,
    parse_amount,
    parse_letter,
    roman_value,
)

from . import letters


@pytest.fixture(scope="module")
def seed_draft(seed_text) -> GrantDraft:
    return parse_letter(seed_text)


def by_number(draft: GrantDraft) -> dict:
    return {node.full_number: node for node in draft.all_assignments()}


def test_it_reads_year_grantor_recipient_and_amount_from_the_seed(seed_draft):
    assert seed_draft.year == 2026
    assert seed_draft.grantor == "Helsedirektoratet"
    assert "(NAPHA)" in seed_draft.recipient
    assert "NAPHA" in seed_draft.scheme
    assert seed_draft.amount_nok == 45_500_000
    assert [(b.chapter, b.post) for b in seed_draft.budget_lines] == [("765", "74")]
    assert seed_draft.application_date == dt.date(2026, 1, 8)
    assert seed_draft.regulation_date == dt.date(2023, 9, 26)
    assert seed_draft.warnings == []
    assert seed_draft.confidence >= 0.9


def test_it_builds_the_assignment_tree_of_the_seed(seed_draft):
    roots = [node.number for node in seed_draft.assignments]
    assert roots == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8"]
    first = seed_draft.assignments[0]
    assert [child.number for child in first.children] == ["2.1.1"]
    letters_ = first.children[0].children
    assert [c.number for c in letters_] == ["A", "B", "C", "D", "E", "F"]
    assert letters_[0].full_number == "2.1.1.A"
    assert letters_[2].title == "Rask psykisk helsehjelp (RPH)"
    assert seed_draft.assignments[1].title == "BrukerPlan"


def test_it_turns_bullets_into_deliverables(seed_draft):
    nodes = by_number(seed_draft)
    assert len(nodes["2.1.1.B"].deliverables) == 5
    assert len(nodes["2.1.1.C"].deliverables) == 7
    # D's list has a blank line in the middle and stays one list of seven.
    assert len(nodes["2.1.1.D"].deliverables) == 7
    assert nodes["2.2"].deliverables == []
    assert nodes["2.1.1.C"].deliverables[3].text.startswith("Arrangere")


def test_every_item_points_to_its_lines_in_the_letter(seed_draft, seed_text):
    lines = seed_text.split("\n")
    for node in seed_draft.all_assignments():
        heading = lines[node.source_start_line - 1]
        assert node.title in heading
        assert node.source_end_line >= node.source_start_line
        for item in node.deliverables:
            assert item.text[:20] in lines[item.source_start_line - 1]
    for material in seed_draft.materials:
        assert lines[material.source_start_line - 1].lstrip().startswith("-")
    for date in seed_draft.dates:
        assert 1 <= date.source_start_line <= date.source_end_line <= len(lines)


def test_it_finds_the_dialogue_meetings_campaigns_and_the_deadline(seed_draft):
    meetings = [d for d in seed_draft.dates if d.kind == "meeting"]
    periods = {(d.period_start, d.period_end) for d in meetings}
    assert (dt.date(2026, 4, 1), dt.date(2026, 5, 31)) in periods
    assert (dt.date(2026, 12, 1), dt.date(2026, 12, 31)) in periods
    assert all(d.assignment is None for d in meetings)
    campaigns = [d for d in seed_draft.dates if d.kind == "campaign"]
    assert [(d.period_start.month, d.assignment) for d in campaigns] == [(5, "2.3"), (9, "2.3")]
    deadlines = [d for d in seed_draft.dates if d.kind == "deadline"]
    assert [(d.date, d.assignment) for d in deadlines] == [(dt.date(2026, 5, 1), "2.7")]


def test_it_groups_the_attachment_by_its_five_headings(seed_draft):
    groups = list(dict.fromkeys(m.group for m in seed_draft.materials))
    assert len(groups) == 5
    assert groups[0].startswith("Meldinger, proposisjoner")
    assert groups[2] == "Rapporteringer og datakilder"
    assert groups[3] == "E-læringsverktøy"
    assert groups[4] == "Annet"
    assert sum(1 for m in seed_draft.materials if m.group == groups[2]) == 4
    first = seed_draft.materials[0]
    assert first.kind == "white_paper" and first.title.startswith("Meld. St. 23")


def test_it_reads_links_and_issuers_of_materials(seed_draft):
    by_title = {m.title: m for m in seed_draft.materials}
    pathway = next(m for m in by_title.values() if m.title.startswith("Nasjonale pasientforløp"))
    assert pathway.link == "https://www.helsedirektoratet.no/tema/psykisk-helse"
    assert pathway.kind == "pathway"
    assert "<" not in pathway.title and "](" not in pathway.title
    assert any(m.issuer == "Bufdir" for m in seed_draft.materials)
    assert sum(1 for m in seed_draft.materials if m.issuer == "Helsedirektoratet") >= 10
    # "(#)" in the letter is a placeholder, not a link.
    assert not any(m.link.endswith("#") for m in seed_draft.materials)


def test_it_reports_what_it_could_not_place(seed_draft):
    texts = [u.text for u in seed_draft.unplaced]
    assert texts, "the closing remarks of the letter are not assignments"
    assert not any("45 500 000" in t for t in texts)
    assert all(u.source_start_line > 0 for u in seed_draft.unplaced)


def test_the_json_has_the_contract_keys(seed_draft):
    data = seed_draft.to_dict()
    for key in ("year", "amount_nok", "budget_lines", "assignments", "dates", "materials",
                "unplaced"):  # fmt: skip
        assert key in data
    assert data["budget_lines"][0] == {
        "chapter": "765", "post": "74", "amount_nok": None,
        "source_start_line": 3, "source_end_line": 3,
    }  # fmt: skip
    node = data["assignments"][0]
    assert set(node) >= {"number", "title", "text", "children"}
    for item in data["dates"]:
        assert ("date" in item) != ("period" in item)
        assert {"kind", "text", "assignment"} <= set(item)
    assert all({"title", "group"} <= set(m) for m in data["materials"])


def test_it_reads_the_decimal_zero_style_and_several_budget_lines():
    draft = parse_letter(letters.DECIMAL_ZERO)
    assert draft.year == 2027
    assert draft.amount_nok == 1_250_000
    assert [(b.chapter, b.post) for b in draft.budget_lines] == [("714", "21"), ("765", "74")]
    assert [(n.number, [c.number for c in n.children]) for n in draft.assignments] == [
        ("2.0", ["2.1", "2.2"]),
        ("3.0", ["3.1"]),
    ]
    assert [d.text for d in by_number(draft)["2.1"].deliverables] == [
        "ett grunnkurs i hver region",
        "ett webinar om året",
    ]
    kinds = {(d.kind, d.date, d.assignment) for d in draft.dates}
    assert ("deadline", dt.date(2027, 10, 15), "2.2") in kinds
    assert ("report_deadline", dt.date(2027, 3, 1), "3.1") in kinds
    assert draft.materials == []  # no attachment


def test_it_reads_roman_numerals_and_millions():
    draft = parse_letter(letters.ROMAN)
    assert draft.amount_nok == 1_250_000
    assert [n.number for n in draft.assignments] == ["II", "III"]  # I and IV are frame
    assert [d.text for d in draft.assignments[1].deliverables] == [
        "lage en plan for samarbeidet",
        "holde to møter med organisasjonene",
    ]
    assert [(d.kind, d.date) for d in draft.dates] == [("report_deadline", dt.date(2028, 3, 1))]


def test_it_reads_oppdrag_headings():
    draft = parse_letter(letters.OPPDRAG)
    assert [(n.number, n.title) for n in draft.assignments] == [
        ("1", "Veiledning av kommuner"),
        ("2", "Kampanje om psykisk helse"),
        ("3", "Oppdrag 3"),
    ]
    assert draft.amount_nok == 2_000_000
    assert draft.application_date == dt.date(2027, 1, 15)
    campaigns = [(d.period_start.month, d.assignment) for d in draft.dates]
    assert campaigns == [(3, "2"), (10, "2")]


def test_a_numbered_list_inside_an_assignment_is_not_a_heading():
    draft = parse_letter(letters.NUMBERED_LIST_INSIDE)
    assert [n.number for n in draft.assignments] == ["2.1", "2.2"]
    assert [d.text for d in draft.assignments[0].deliverables] == [
        "Samling for ledere",
        "Samling for ansatte",
    ]


def test_it_pairs_amounts_with_budget_lines_when_each_has_one():
    text = (
        "Tilskuddsbrev 2027\n\n1. Tilskudd\n\nHelsedirektoratet innvilger kr 1 000 000 over "
        "kap. 714, post 21 og kr 250 000 over kap. 765, post 74.\n\n2. Oppdrag\n\n2.1 Kurs\n\n"
        "Senteret skal holde kurs.\n"
    )
    draft = parse_letter(text)
    assert [(b.chapter, b.post, b.amount_nok) for b in draft.budget_lines] == [
        ("714", "21", 1_000_000),
        ("765", "74", 250_000),
    ]
    assert draft.amount_nok == 1_250_000


def test_it_reads_markdown_headings_and_bullets():
    text = (
        "# Tilskuddsbrev 2027\n\n## 2.1 Kurs\n\nSenteret skal:\n\n"
        "* holde kurs\n* skrive rapport\n\n"
        "## 2.2 **Nettverk**\n\nSenteret skal drive nettverk.\n"
    )
    draft = parse_letter(text)
    assert [(n.number, n.title) for n in draft.assignments] == [
        ("2.1", "Kurs"),
        ("2.2", "Nettverk"),
    ]
    assert len(draft.assignments[0].deliverables) == 2


def test_a_letter_without_numbered_sections_is_refused_clearly():
    with pytest.raises(ValueError, match="Fant ingen nummererte avsnitt"):
        parse_letter(letters.NO_SECTIONS)


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\ufeff"])
def test_an_empty_letter_is_refused(text):
    with pytest.raises(ValueError, match="tomt"):
        parse_letter(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("tilskudd på inntil 45 500 000 kroner til", 45_500_000),
        ("kr 1 250 000,-", 1_250_000),
        ("1,25 mill. kroner", 1_250_000),
        ("2 millioner kroner", 2_000_000),
        ("NOK 300 000", 300_000),
        ("kr. 1.250.000", 1_250_000),
        ("300 000 kr", 300_000),
        ("i 2026 er totalt 45 500 000 kroner", 45_500_000),
        ("over kap. 765 post 74", None),
    ],
)
def test_it_reads_amounts_as_norwegian_letters_write_them(text, amount):
    assert parse_amount(text) == amount


def test_a_year_is_never_read_as_an_amount():
    assert find_amounts("for 2026 er totalt 45 500 000 kroner") == [(19, 45_500_000)]


def test_month_periods_span_a_slash_and_split_on_og():
    assert month_periods("april/mai", 2026) == [(dt.date(2026, 4, 1), dt.date(2026, 5, 31))]
    assert month_periods("i mai og september", 2026) == [
        (dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    ]
    assert month_periods("i desember", 2026) == [(dt.date(2026, 12, 1), dt.date(2026, 12, 31))]


@pytest.mark.parametrize(("text", "value"), [("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14)])
def test_it_reads_roman_numerals(text, value):
    assert roman_value(text) == value


@pytest.mark.parametrize("text", ["IIII", "VV", "IC", "", "A"])
def test_it_refuses_malformed_roman_numerals(text):
    assert roman_value(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_draft_or_a_clear_value_error(text):
    try:
        draft = parse_letter(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert isinstance(draft, GrantDraft)
        draft.to_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_shuffled_and_damaged_seed_lines_never_crash_the_parser(seed_text, data):
    lines = seed_text.split("\n")
    picked = data.draw(st.lists(st.sampled_from(lines), max_size=80))
    noise = data.draw(st.lists(st.text(max_size=40), max_size=10))
    text = "\n".join(picked + noise)
    try:
        draft = parse_letter(text)
    except ValueError as exc:
        assert str(exc)
    else:
        for node in draft.all_assignments():
            assert node.source_start_line <= node.source_end_line
        draft.to_dict()

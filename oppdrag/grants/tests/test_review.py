"""Corrections to a draft before it is saved: rename, renumber, merge, split, move."""

from __future__ import annotations

import json

import pytest

from oppdrag.grants import review
from oppdrag.grants.letter_parser import parse_letter


@pytest.fixture
def draft(seed_text):
    return parse_letter(seed_text)


def numbers(draft):
    return [node.full_number for node in draft.all_assignments()]


def test_the_draft_survives_a_round_trip_through_json(draft):
    data = json.loads(json.dumps(draft.to_dict()))
    again = review.draft_from_dict(data)
    assert again.to_dict() == draft.to_dict()


def test_rename_changes_only_the_title(draft):
    review.rename(draft, "2.2", "BrukerPlan-kartlegging")
    assert review.find(draft, "2.2")[0].title == "BrukerPlan-kartlegging"
    with pytest.raises(review.ReviewError):
        review.rename(draft, "2.2", "   ")


def test_renumbering_carries_children_and_dates_along(draft):
    review.renumber(draft, "2.1.1", "2.1.2")
    assert "2.1.2.C" in numbers(draft) and "2.1.1.C" not in numbers(draft)
    review.renumber(draft, "2.3", "2.9")
    assert {d.assignment for d in draft.dates if d.kind == "campaign"} == {"2.9"}
    with pytest.raises(review.ReviewError, match="brukt to ganger"):
        review.renumber(draft, "2.9", "2.4")


def test_merge_moves_text_deliverables_and_dates(draft):
    before = len(review.find(draft, "2.1.1.B")[0].deliverables)
    review.merge(draft, "2.1.1.B", "2.1.1.C")
    merged = review.find(draft, "2.1.1.B")[0]
    assert len(merged.deliverables) == before + 7
    assert "2.1.1.C" not in numbers(draft)
    review.merge(draft, "2.6", "2.7")
    assert [d.assignment for d in draft.dates if d.kind == "deadline"] == ["2.6"]
    with pytest.raises(review.ReviewError):
        review.merge(draft, "2.1.1", "2.1")


def test_split_makes_a_sibling_from_the_later_deliverables(draft):
    new = review.split(draft, "2.1.1.C", 4, "G", "Nettverk og data for RPH")
    assert new.full_number == "2.1.1.G"
    assert len(review.find(draft, "2.1.1.C")[0].deliverables) == 4
    assert len(new.deliverables) == 3
    assert numbers(draft).index("2.1.1.G") == numbers(draft).index("2.1.1.C") + 1
    with pytest.raises(review.ReviewError):
        review.split(draft, "2.2", 1, "X", "Tom")


def test_move_puts_an_assignment_under_another_or_on_top(draft):
    review.move(draft, "2.1.1.E", None)
    assert "E" in [n.full_number for n in draft.assignments]
    review.move(draft, "E", "2.3")
    assert "2.3.E" in numbers(draft)
    with pytest.raises(review.ReviewError):
        review.move(draft, "2.1", "2.1.1.A")

import contextlib
import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.core.parsing import (
    fold,
    is_valid_organization_number,
    normalize_space,
    parse_count,
    parse_date,
    parse_decimal,
    parse_partial_date,
    parse_yes_no,
    person_name,
    split_list,
    suggest,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 400", 1400), ("1\u00a0400", 1400), ("1\u2009400", 1400), ("0", 0), ("  27 ", 27)],
)
def test_it_reads_counts_with_norwegian_thousands_separators(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["-3", "tolv", "1,5", "", "1 4 0 0 x"])
def test_it_rejects_counts_that_are_negative_fractional_or_not_numbers(text):
    with pytest.raises(ValueError):
        parse_count(text)


def test_it_reads_decimal_commas_and_points():
    assert parse_decimal("21,3") == Decimal("21.3")
    assert parse_decimal("21.3") == Decimal("21.3")
    assert parse_decimal("1 950,5") == Decimal("1950.5")


@given(st.integers(min_value=0, max_value=10**12))
def test_a_count_written_with_thin_spaces_reads_back(n):
    written = f"{n:,}".replace(",", "\u2009")
    assert parse_count(written) == n


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_norwegian_and_iso_dates_read_back(date):
    assert parse_date(date.strftime("%d.%m.%Y")) == date
    assert parse_date(date.isoformat()) == date


@pytest.mark.parametrize("text", ["31.02.2025", "00.01.2025", "2025-13-01", "19.12", "i går"])
def test_it_rejects_impossible_or_incomplete_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_bare_year_is_a_partial_date():
    partial = parse_partial_date("2025")
    assert partial.year == 2025 and partial.date is None
    assert parse_partial_date("07.03.2025").date == dt.date(2025, 3, 7)


@given(st.text(max_size=40))
def test_date_parsing_never_fails_with_anything_but_a_value_error(text):
    with contextlib.suppress(ValueError):
        parse_partial_date(text)


def test_yes_no_accepts_the_usual_spellings_and_refuses_the_rest():
    assert parse_yes_no("Ja") is True
    assert parse_yes_no("nei") is False
    assert parse_yes_no("") is None
    with pytest.raises(ValueError):
        parse_yes_no("kanskje")


def test_it_splits_organiser_lists_on_commas_and_og_but_not_after_a_hyphen():
    assert split_list("NAPHA og NIT, RKBU Vest", also_og=True) == ["NAPHA", "NIT", "RKBU Vest"]
    assert split_list("Arbeids- og velferdsdirektoratet", also_og=True) == [
        "Arbeids- og velferdsdirektoratet"
    ]


def test_it_turns_last_first_names_around():
    assert person_name("Dahle, Petter") == "Petter Dahle"
    assert person_name("Petter Dahle") == "Petter Dahle"


def test_fold_forgives_case_and_accents_but_keeps_norwegian_letters():
    assert fold("  TRONDHEIM ") == fold("trondheim")
    assert fold("Tromsø") != fold("Tromso")
    assert fold("Café\u2011Éva – Ålesund") == "cafe-eva - ålesund"


def _fold_char_by_char(text: str) -> str:
    """``fold`` as first written: one character at a time (the reference)."""
    lowered = normalize_space(text).casefold()
    out = []
    for ch in lowered:
        if ch in "æøå":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out).replace("‐", "-").replace("–", "-")


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_fold_through_its_table_equals_folding_each_character(text):
    assert fold(text) == _fold_char_by_char(text)


def test_suggestions_name_the_closest_known_names():
    assert suggest("Trondhiem", ["Trondheim", "Tromsø", "Bergen"])[0] == "Trondheim"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        # Helsedirektoratet's organisation number, from the public register.
        ("983544622", True),
        ("983544623", False),
        ("98354462", False),
        ("abcdefghi", False),
    ],
)
def test_organisation_numbers_are_checked_with_mod_11(number, valid):
    assert is_valid_organization_number(number) is valid


@given(st.from_regex(r"\d{8}", fullmatch=True))
def test_exactly_one_check_digit_fits_any_eight_digits_or_none_does(prefix):
    fitting = [d for d in "0123456789" if is_valid_organization_number(prefix + d)]
    assert len(fitting) <= 1


def test_an_organisation_with_a_wrong_check_digit_is_invalid(db):
    from django.core.exceptions import ValidationError

    from oppdrag.core.models import Organization

    organization = Organization(name="Testorganisasjon", organization_number="983544623")
    with pytest.raises(ValidationError) as info:
        organization.full_clean()
    assert "organization_number" in info.value.message_dict
    organization.organization_number = "983544622"
    organization.full_clean()

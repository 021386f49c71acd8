"""Parsing a posted answer form: every input gives values or field errors, never an
exception (property-based with hypothesis), and the rules per question type."""

from hypothesis import given, settings
from hypothesis import strategies as st

from oppdrag.evaluations import answers as a
from oppdrag.evaluations.answers import QuestionSpec, parse_number, parse_submission

SPECS = [
    QuestionSpec("q-scale", a.SCALE, required=True),
    QuestionSpec("q-single", a.SINGLE, options=("Ja", "Nei")),
    QuestionSpec("q-multi", a.MULTIPLE, options=("A", "B", "C")),
    QuestionSpec("q-num", a.NUMBER, minimum=0, maximum=100),
    QuestionSpec("q-text", a.TEXT, max_length=50),
    QuestionSpec("q-kommune", a.MUNICIPALITY, options=("11", "12")),
]
NAMES = [s.name for s in SPECS] + ["other"]


@settings(deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(NAMES),
        st.lists(st.one_of(st.text(max_size=80), st.sampled_from(["1", "5", "Ja", "A", "11"]))),
    )
)
def test_any_posted_data_gives_values_or_errors_never_an_exception(data):
    parsed = parse_submission(SPECS, data)
    assert set(parsed.values) | set(parsed.errors) <= {s.name for s in SPECS}
    assert not set(parsed.values) & set(parsed.errors)
    scale = parsed.values.get("q-scale")
    assert scale is None or scale in (1, 2, 3, 4, 5)
    assert parsed.values.get("q-single") in (None, "Ja", "Nei")
    assert set(parsed.values.get("q-multi", ())) <= {"A", "B", "C"}
    number = parsed.values.get("q-num")
    assert number is None or (isinstance(number, float) and 0 <= number <= 100)
    text = parsed.values.get("q-text")
    assert text is None or (0 < len(text) <= 50 and text == text.strip())
    if "q-scale" not in parsed.values:
        assert "q-scale" in parsed.errors


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=99))
def test_numbers_read_with_comma_or_point(whole, fraction):
    text = f"{whole},{fraction:02d}"
    assert parse_number(text) == float(f"{whole}.{fraction:02d}")
    assert parse_number(text.replace(",", ".")) == float(f"{whole}.{fraction:02d}")


def test_it_requires_required_questions_and_names_the_field():
    parsed = parse_submission(SPECS, {})
    assert parsed.errors == {"q-scale": a.FieldError("required")}


def test_it_rejects_options_the_form_did_not_offer():
    parsed = parse_submission(
        SPECS, {"q-scale": ["6"], "q-single": ["Kanskje"], "q-multi": ["A", "D"]}
    )
    assert {k: e.code for k, e in parsed.errors.items()} == {
        "q-scale": "invalid_choice",
        "q-single": "invalid_choice",
        "q-multi": "invalid_choice",
    }


def test_it_rejects_two_values_for_a_single_choice():
    parsed = parse_submission(SPECS, {"q-scale": ["3", "4"]})
    assert parsed.errors["q-scale"].code == "too_many"


def test_multiple_choices_are_deduplicated_in_the_options_order():
    parsed = parse_submission(SPECS, {"q-scale": ["4"], "q-multi": ["C", "A", "C"]})
    assert parsed.values["q-multi"] == ("A", "C")


def test_numbers_outside_the_bounds_or_not_numbers_are_refused():
    for raw, code in [("101", "too_large"), ("-1", "too_small"), ("tolv", "not_a_number"),
                      ("1e5", "not_a_number"), ("nan", "not_a_number")]:  # fmt: skip
        parsed = parse_submission(SPECS, {"q-scale": ["1"], "q-num": [raw]})
        assert parsed.errors["q-num"].code == code, raw
    assert parse_submission(SPECS, {"q-scale": ["1"], "q-num": ["12,5"]}).values["q-num"] == 12.5


def test_over_long_text_is_refused_and_control_characters_dropped():
    too_long = parse_submission(SPECS, {"q-scale": ["1"], "q-text": ["x" * 51]})
    assert too_long.errors["q-text"].code == "too_long"
    cleaned = parse_submission(SPECS, {"q-scale": ["1"], "q-text": ["  hei\x00 der\r\n "]})
    assert cleaned.values["q-text"] == "hei der"

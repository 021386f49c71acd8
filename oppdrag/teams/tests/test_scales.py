"""Scale definitions are data, validated on load."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oppdrag.teams.scales import ScaleError, builtin_scale, check_scores, parse_scale, score


def dacts_data():
    return copy.deepcopy(builtin_scale("dacts")[1])


def test_the_dacts_has_28_items_in_three_subscales():
    scale, _data = builtin_scale("dacts")
    assert [(s.code, len(s.items)) for s in scale.sections] == [("H", 11), ("O", 7), ("S", 10)]
    assert scale.item_codes[:2] == ["H1", "H2"]
    assert scale.item_codes[-1] == "S10"
    assert (scale.minimum, scale.maximum) == (1, 5)
    assert scale.level_for(4.0) == "Høy modelltrohet"
    assert scale.level_for(3.99) == "Moderat modelltrohet"


def test_it_lists_every_problem_of_a_broken_definition():
    data = dacts_data()
    data["score_range"] = {"min": 5, "max": 1}
    data["total"] = "median"
    data["sections"][1]["items"][0]["code"] = "H1"
    del data["sections"][2]["items"][0]["name"]
    with pytest.raises(ScaleError) as excinfo:
        parse_scale(data)
    problems = " ".join(excinfo.value.problems)
    assert "score_range.min må være lavere" in problems
    assert "«total» må være" in problems
    assert "Indikatorkoden «H1» står to ganger." in problems
    assert "«name» mangler" in problems


def test_it_refuses_a_definition_without_sections():
    with pytest.raises(ScaleError, match="minst én seksjon"):
        parse_scale({"key": "x", "name": "X", "version": "1", "score_range": {"min": 1, "max": 5}})


def test_the_total_can_be_the_mean_of_section_means():
    data = dacts_data()
    scale = parse_scale(data)
    scores = {code: 5 for code in scale.item_codes}
    scores.update({code: 1 for code in scale.item_codes if code.startswith("O")})
    assert score(scale, scores).total == pytest.approx((11 * 5 + 7 + 10 * 5) / 28)
    data["total"] = "mean_of_section_means"
    assert score(parse_scale(data), scores).total == pytest.approx((5 + 1 + 5) / 3)


def test_check_scores_names_unknown_and_missing_items():
    scale = parse_scale(dacts_data())
    problems = check_scores(scale, {"H1": 3, "Q1": 2})
    assert any("«Q1»" in p for p in problems)
    assert any(p.startswith("Skår mangler for H2, H3") for p in problems)
    assert check_scores(scale, {"H1": 3}, complete=False) == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.floats(-5, 10) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["key", "name", "version", "code", "items", "min", "max", "label"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "key": json_values,
            "name": json_values,
            "version": json_values,
            "score_range": json_values,
            "anchors": json_values,
            "total": json_values,
            "levels": json_values,
            "sections": json_values,
            "low_score_below": json_values,
        },
    )
)
def test_any_malformed_definition_is_refused_with_scale_error_only(data):
    try:
        scale = parse_scale(data)
    except ScaleError as exc:
        assert exc.problems
    else:
        assert scale.items


def test_a_zero_step_is_refused():
    data = dacts_data()
    data["score_range"]["step"] = 0
    with pytest.raises(ScaleError, match="step må være større enn null"):
        parse_scale(data)

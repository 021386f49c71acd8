"""The report's JSON writer against the standard library's indented output."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.reports.renderers.jsontext import dumps

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(
    scalars,
    lambda children: st.lists(children) | st.tuples(children) | st.dictionaries(keys, children),
    max_leaves=40,
)


@given(values)
def test_it_writes_what_json_dumps_writes_with_indent_2(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_it_refuses_what_json_refuses():
    with pytest.raises(TypeError):
        dumps({"when": object()})
    with pytest.raises(TypeError):
        dumps({(1, 2): "tuple key"})

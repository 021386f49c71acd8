"""Numbers in the interface: decimal comma, thin-space thousands, a real minus sign."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from oppdrag.web.templatetags.oppdrag import THIN_SPACE, desimal, fortegn


def read_back(text: str) -> Decimal:
    """The number a Norwegian reader sees in ``text``."""
    for sign in "+±":
        text = text.removeprefix(sign)
    return Decimal(text.replace(THIN_SPACE, "").replace(",", ".").replace("−", "-"))


def test_examples_as_the_tables_print_them():
    assert desimal(Decimal("27.75"), 1) == "27,8"
    assert desimal(Decimal("1234.5"), 1) == f"1{THIN_SPACE}234,5"
    assert desimal(Decimal("-0.2"), 1) == "−0,2"
    assert desimal(None) == "–"
    assert fortegn(Decimal("-6.00")) == "−6"
    assert fortegn(Decimal("0.1"), 1) == "+0,1"
    assert fortegn(0) == "±0"
    assert desimal("ikke et tall") == "ikke et tall"  # shown as it is, never an error


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4),
    st.integers(min_value=0, max_value=3),
)
def test_the_printed_number_reads_back_as_the_rounded_value(value, places):
    text = desimal(value, places)
    assert read_back(text) == round(value, places)
    assert "." not in text and "-" not in text
    signed = fortegn(value, places)
    assert read_back(signed) == round(value, places)
    assert signed[0] in "+−±"

"""The amount parser: Norwegian formats in, exact kroner and øre out."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.finance.amounts import LIMIT, format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u2009234", "1234"),
        ("1234.5", "1234.5"),
        ("1.234,50", "1234.50"),
        ("1.234.567", "1234567"),
        ("1,234.50", "1234.50"),
        ("−1 234", "-1234"),
        ("-1234", "-1234"),
        ("1234-", "-1234"),
        ("(1 234)", "-1234"),
        ("(−1 234)", "1234"),
        ("kr 1 234,-", "1234"),
        ("1 234 kr", "1234"),
        ("+12,5", "12.5"),
        ("0", "0"),
    ],
)
def test_it_reads_norwegian_amounts(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "abc", "1,234", "12,345", "1 234,567", "1.2.3", "--5", "(5", "5)", "1e5", "NaN"]
)
def test_it_refuses_what_is_not_an_amount_with_a_norwegian_message(text):
    with pytest.raises(ValueError, match="ikke et beløp"):
        parse_amount(text)


def test_it_refuses_an_amount_the_column_cannot_hold():
    with pytest.raises(ValueError, match="for stort"):
        parse_amount("1 000 000 000 000")


amounts = st.decimals(min_value=-LIMIT, max_value=LIMIT, places=2)


def _norwegian(amount: Decimal, style: int) -> str:
    shown = format_amount(amount)  # -1 234,50 with thin spaces
    if style == 0:
        return shown
    if style == 1:
        return shown.replace("\u2009", " ").replace("-", "\u2212")
    if style == 2:
        return f"({shown[1:]})" if amount < 0 else shown
    if style == 3:
        return shown.replace("\u2009", ".")
    return f"{amount:.2f}"


@given(amounts, st.integers(min_value=0, max_value=4))
def test_every_written_form_of_an_amount_reads_back_as_that_amount(amount, style):
    assert parse_amount(_norwegian(amount, style)) == amount


@given(st.text(max_size=40))
def test_any_text_is_an_amount_or_a_value_error(text):
    try:
        amount = parse_amount(text)
    except ValueError as exc:
        assert "beløp" in str(exc)
    else:
        assert isinstance(amount, Decimal) and abs(amount) <= LIMIT
        assert amount == amount.quantize(Decimal("0.01"))

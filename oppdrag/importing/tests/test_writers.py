"""The exports' cell rule: formula-like text gets an apostrophe, numbers stay, and
the apostrophe comes off again exactly."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.importing.writers import neutralise, restore, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tFagdag", "'\tFagdag"),
        ("\rFagdag", "'\rFagdag"),
        ("'=1+1", "''=1+1"),
        ("-5", "-5"),
        ("-2,5", "-2,5"),
        ("Fagdag = 1", "Fagdag = 1"),
        ("'sitat'", "'sitat'"),
        ("", ""),
    ],
)
def test_it_prefixes_formula_like_text_and_leaves_numbers_and_plain_text(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r1,.aA| "), max_size=8) | st.text(max_size=8))
def test_restore_gives_back_exactly_what_neutralise_was_given(text):
    written = neutralise(text)
    assert restore(written) == text
    assert not written.startswith(("=", "+", "@", "\t", "\r"))


def test_csv_cells_are_neutralised_and_numbers_are_not():
    data = write_csv([["Tittel", "Antall"], ["=1+1", -5]]).decode("utf-8-sig")
    assert data == "Tittel;Antall\n'=1+1;-5\n"


def test_xlsx_text_is_a_text_cell_and_numbers_are_number_cells():
    content = write_xlsx("Ark", ["Tittel", "Antall"], [["=1+1", -5], ["-5", 2.5]])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [(c.data_type, c.value) for row in sheet.iter_rows(min_row=2) for c in row]
    assert cells == [("s", "'=1+1"), ("n", -5), ("s", "-5"), ("n", 2.5)]

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.importing.readers import CellRows, FileRejected, decode_text, read_rows
from oppdrag.importing.writers import write_csv

LIMITS = {"max_bytes": 1_000_000, "max_rows": 1000}


def rows(path: Path, **limits):
    return list(read_rows(path, **{**LIMITS, **limits}))


def test_it_reads_semicolon_csv_with_bom(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(write_csv([["Tema", "Hva"], ["Bolig", "Fagdag"]]))
    result = rows(path)
    assert [r.cells for r in result] == [("Tema", "Hva"), ("Bolig", "Fagdag")]
    assert [r.number for r in result] == [1, 2]


def test_it_reads_windows_1252_csv_from_norwegian_excel(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("Tema;Hva\nRåd;Øvre Eiker\n".encode("cp1252"))
    assert rows(path)[1].cells == ("Råd", "Øvre Eiker")


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    with pytest.raises(FileRejected, match="tom"):
        rows(path)


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(FileRejected, match="for stor"):
        rows(path, max_bytes=1000)


def test_it_stops_reading_after_the_row_limit(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"Tema\n" + b"rad\n" * 50)
    with pytest.raises(FileRejected, match="mer enn 10 rader") as info:
        rows(path, max_rows=10)
    assert info.value.row == 12


def test_it_refuses_a_spreadsheet_renamed_to_csv(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Tema"])
    path = tmp_path / "a.csv"
    workbook.save(path)
    with pytest.raises(FileRejected, match="binære data"):
        rows(path)


def test_it_refuses_a_text_file_renamed_to_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("Tema;Hva\n")
    with pytest.raises(FileRejected, match="ikke en Excel-arbeidsbok"):
        rows(path)


def test_it_refuses_a_broken_zip_named_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(FileRejected, match="kan ikke åpnes"):
        rows(path)


def test_it_refuses_unknown_file_types(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(FileRejected, match="Ukjent filtype"):
        rows(path)


def test_it_flags_formulas_and_error_values_in_xlsx_cells(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Arrangement"
    sheet.append(["Tema", "Antall deltakere"])
    sheet.append(["Bolig", "=2+2"])
    sheet.append(["Bolig", "#REF!"])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    result = rows(path)
    assert result[1].sheet == "Arrangement"
    assert result[1].problems[0].column_index == 1
    assert "formel" in result[1].problems[0].message
    assert "#REF!" in result[2].problems[0].message


def test_it_flags_formulas_in_csv_cells(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Tema;Antall\nBolig;=SUM(A1:A3)\n", encoding="utf-8")
    assert "formel" in rows(path)[1].problems[0].message


def test_it_gives_excel_dates_and_numbers_as_text(tmp_path):
    import datetime as dt

    workbook = openpyxl.Workbook()
    workbook.active.append(["Dato", "Antall"])
    # Excel stores naive date-times; that is what the reader meets.
    workbook.active.append([dt.datetime(2025, 3, 19), 1400.0])  # noqa: DTZ001
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    assert rows(path)[1].cells == ("2025-03-19", "1400")


def test_it_names_the_row_where_the_encoding_changes(tmp_path):
    path = tmp_path / "a.csv"
    good = "Tema;Hva\nFørste;Fagdag\n" + "Bolig;Fagdag\n" * 2000
    path.write_bytes(good.encode("utf-8") + "Råd;Ås\n".encode("latin-1"))
    with pytest.raises(FileRejected) as info:
        rows(path, max_rows=5000)
    assert info.value.message == (
        "Filen blander tegnkodinger: linje 2 er UTF-8, men linje 2003 er Windows-1252 "
        "(Latin-1). Lagre hele filen som «CSV UTF-8» og prøv igjen."
    )
    assert info.value.row == 2003


def test_a_latin_1_line_after_a_utf_8_one_is_refused_not_read_as_mojibake(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("Tema;Hva\nRåd;Ås\n".encode("latin-1") + "Første;Fagdag\n".encode())
    with pytest.raises(FileRejected, match=r"linje 2 er Windows-1252 .*, men linje 3 er UTF-8"):
        rows(path)


def test_a_windows_1252_file_is_read_whole_however_far_down_its_first_letter_is(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(("Tema;Hva\n" + "Bolig;Fagdag\n" * 5000 + "Råd;Ås\n").encode("cp1252"))
    assert rows(path, max_rows=6000)[-1].cells == ("Råd", "Ås")


def test_it_reads_utf_16_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("Tema\tHva\r\nRåd\tØvre Eiker\r\n".encode("utf-16"))
    assert [r.cells for r in rows(path)] == [("Tema", "Hva"), ("Råd", "Øvre Eiker")]
    with pytest.raises(FileRejected, match="linje 3 er ikke gyldig UTF-16"):
        path.write_bytes("Tema\nRåd\n".encode("utf-16") + b"\x00\xd8A\x00")
        rows(path)


def test_the_hours_reader_refuses_a_mix_naming_the_line_too(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("Navn;Timer\nØyvind;7,5\n".encode() + "Åse;7,5\n".encode("latin-1"))
    with pytest.raises(FileRejected, match="men linje 3 er Windows-1252") as info:
        CellRows(path, **LIMITS)
    assert info.value.row == 3


# Text as Norwegian files hold it: ASCII letters, digits, punctuation, line ends and
# the letters of Latin-1 (none of which is a byte that could continue UTF-8).
NORWEGIAN = st.text(
    st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ;,.-\"'\t\r\n") + list("æøåÆØÅéüÉÜ")
    ),
    max_size=300,
)


@settings(max_examples=200)
@given(text=NORWEGIAN, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_any_text_wholly_in_one_accepted_encoding_round_trips(text, encoding):
    assert decode_text(text.encode(encoding)) == text


LINE = st.text(st.sampled_from(list("abcxyz ;,0123456789") + list("æøåÆØÅ")), max_size=30)
ASCII_LINE = st.text(st.sampled_from(list("abcxyz ;,0123456789")), max_size=30)


@settings(max_examples=200)
@given(
    before=st.lists(ASCII_LINE, max_size=5),
    between=st.lists(ASCII_LINE, max_size=5),
    utf8_line=LINE.filter(lambda line: not line.isascii()),
    latin_line=LINE.filter(lambda line: not line.isascii()),
    utf8_first=st.booleans(),
)
def test_a_utf_8_line_and_a_latin_1_line_are_refused_naming_the_second(
    before, between, utf8_line, latin_line, utf8_first
):
    utf8, latin = utf8_line.encode("utf-8"), latin_line.encode("latin-1")
    first, second = (utf8, latin) if utf8_first else (latin, utf8)
    lines = [*(line.encode() for line in before), first, *(line.encode() for line in between)]
    lines.append(second)
    with pytest.raises(FileRejected) as info:
        decode_text(b"\n".join(lines) + b"\n")
    first_number = len(before) + 1
    second_number = first_number + len(between) + 1
    names = ("UTF-8", "Windows-1252") if utf8_first else ("Windows-1252", "UTF-8")
    assert info.value.row == second_number
    assert f"linje {first_number} er {names[0]}" in info.value.message
    assert f"men linje {second_number} er {names[1]}" in info.value.message


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_any_bytes_are_read_or_refused_cleanly(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        for _row in read_rows(path, **LIMITS):
            pass
    except FileRejected as exc:
        assert exc.message


def workbook_file(path: Path, cells: dict[str, str]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for ref, value in cells.items():
        sheet[ref] = value
    workbook.save(path)
    return path


def edit_sheet(path: Path, edit) -> Path:
    """Rewrite the first sheet's XML with ``edit(text) -> text``, as a hostile tool would."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = edit(parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part, data in parts.items():
            target.writestr(part, data)
    return path


def declaring(path: Path, ref: str) -> Path:
    return edit_sheet(
        path, lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)
    )


def test_it_refuses_a_sheet_that_declares_an_area_absurd_for_its_size(tmp_path):
    path = declaring(workbook_file(tmp_path / "a.xlsx", {"A1": "Tema", "A2000": "x"}), "A1:XFD2000")
    assert path.stat().st_size < 10_000
    with pytest.raises(FileRejected, match="2000 rader og 16384 kolonner") as info:
        rows(path, max_rows=5000)
    assert info.value.sheet == "Sheet"


def test_the_hours_reader_refuses_the_absurd_sheet_too(tmp_path):
    path = declaring(workbook_file(tmp_path / "a.xlsx", {"A1": "Tema", "A2000": "x"}), "A1:XFD2000")
    with pytest.raises(FileRejected, match="16384 kolonner"):
        CellRows(path, **LIMITS)


def test_empty_rows_count_towards_the_row_limit_of_a_sheet(tmp_path):
    # One cell a million rows down: the reader stops at the limit, not at the cell.
    path = workbook_file(tmp_path / "a.xlsx", {"A1": "Tema", "A2": "Bolig", "A1048576": "x"})
    with pytest.raises(FileRejected, match="tomme rader teller med") as info:
        rows(path, max_rows=1000)
    assert info.value.row == 1002  # the rows touched: the limit, the header and one more


def test_a_sheet_is_read_whole_when_its_dimension_says_less(tmp_path):
    path = workbook_file(tmp_path / "a.xlsx", {"A1": "Tema", "A2": "Bolig", "A5": "Rus"})
    declaring(path, "A1:A2")
    assert [r.cells for r in rows(path)] == [("Tema",), ("Bolig",), ("Rus",)]


def test_it_refuses_a_row_with_a_cell_far_to_the_right(tmp_path):
    path = workbook_file(tmp_path / "a.xlsx", {"A1": "Tema", "A2": "Bolig"})
    edit_sheet(
        path,
        lambda xml: xml.replace(
            "</row></sheetData>",
            '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        ),
    )
    declaring(path, "A1:A2")
    with pytest.raises(FileRejected, match="kolonne 16384") as info:
        rows(path)
    assert info.value.row == 2


def test_it_refuses_a_sheet_that_declares_entities(tmp_path):
    path = workbook_file(tmp_path / "a.xlsx", {"A1": "Tema"})
    entity = '<!DOCTYPE worksheet [<!ENTITY lol "lol">]>'
    edit_sheet(path, lambda xml: entity + xml.replace("<sheetPr>", "<sheetPr>&lol;", 1))
    with pytest.raises(FileRejected, match=r"xl/worksheets/sheet1.xml – den inneholder en DTD"):
        rows(path)


def test_it_refuses_a_sheet_with_broken_xml(tmp_path):
    path = workbook_file(tmp_path / "a.xlsx", {"A1": "Tema", "A2": "Bolig"})
    edit_sheet(path, lambda xml: xml.replace("</sheetData>", "<row><c>"))
    with pytest.raises(FileRejected, match="Excel-filen er skadet"):
        rows(path)

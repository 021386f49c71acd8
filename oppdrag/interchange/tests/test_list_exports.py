"""Every list's CSV export is semicolon-separated UTF-8 with a byte-order mark."""

from __future__ import annotations

import codecs
import csv
import io

import openpyxl
import pytest

from oppdrag.core.models import Membership
from oppdrag.web.registry import KINDS


@pytest.mark.parametrize("slug", list(KINDS))
def test_every_list_exports_csv_for_norwegian_excel_and_xlsx(client, demo, make_user, slug):
    client.force_login(make_user("leser", demo, Membership.Role.READER))
    response = client.get(f"/napha/{slug}/", {"export": "csv"})
    assert response.status_code == 200
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) > 1  # the header split on semicolons
    assert all(len(row) == len(rows[0]) for row in rows)
    xlsx = client.get(f"/napha/{slug}/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [cell for cell in next(sheet.iter_rows(values_only=True))]
    assert header == rows[0]
    assert sheet.max_row == len(rows)

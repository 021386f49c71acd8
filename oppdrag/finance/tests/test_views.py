"""The finance pages: what readers and editors see and do, bad input, exports, and a
fixed number of queries whatever the size of the ledger."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oppdrag.finance import services
from oppdrag.finance.models import (
    AuditorConfirmation,
    BudgetRevision,
    CostType,
    LedgerLine,
    Source,
)
from oppdrag.grants.models import Assignment

PAGES = ["overview", "budget", "ledger", "mappings", "grantor"]


def url(name, year=2025, **kwargs):
    from django.urls import reverse

    return reverse(f"finance:{name}", kwargs={"center": "napha", "year": year, **kwargs})


@pytest.fixture
def reader(center, make_user):
    return make_user("leser", center, "reader")


@pytest.fixture
def editor(center, make_user):
    return make_user("redaktor", center, "editor")


def test_a_reader_sees_every_page_and_no_form(client, books, reader):
    client.force_login(reader)
    for name in PAGES:
        response = client.get(url(name))
        assert response.status_code == 200, name
        assert 'enctype="multipart/form-data"' not in response.content.decode()
    assert client.get(url("revise")).status_code == 403
    assert (
        client.post(url("mappings"), {"form": "account", "account-account": "1"}).status_code == 404
    )


def test_an_editor_enters_a_budget_version_in_the_form(client, books, editor):
    client.force_login(editor)
    a311 = books["a311"]
    data = {
        "item-TOTAL_FORMS": "2",
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "0",
        "item-MAX_NUM_FORMS": "1000",
        "item-0-source": "grant",
        "item-0-funding": "",
        "item-0-assignment": str(a311.pk),
        "item-0-cost_type": "salaries",
        "item-0-amount": "1 234,50",
        "item-1-source": "own",
        "item-1-cost_type": "travel",
        "item-1-amount": "",
        "note": "Første",
    }
    response = client.post(url("revise"), data)
    assert response.status_code == 302
    revision = BudgetRevision.objects.get()
    (item,) = revision.items.all()
    assert item.amount == Decimal("1234.50") and item.funding == books["funding"]
    assert revision.history.first().history_user == editor


def test_a_bad_amount_in_the_budget_form_is_named_and_nothing_is_saved(client, books, editor):
    client.force_login(editor)
    data = {
        "item-TOTAL_FORMS": "1",
        "item-INITIAL_FORMS": "0",
        "item-0-source": "grant",
        "item-0-cost_type": "salaries",
        "item-0-amount": "tolv",
    }
    response = client.post(url("revise"), data)
    assert response.status_code == 400
    assert "ikke et beløp" in response.content.decode()
    assert not BudgetRevision.objects.exists()


def test_an_editor_uploads_a_ledger_and_a_bad_one_changes_nothing(client, books, editor):
    client.force_login(editor)
    good = "Dato;Konto;Prosjekt;Tekst;Beløp\n05.01.2025;5000;;Lønn;1 000\n".encode()
    response = client.post(
        url("ledger"),
        {"file": SimpleUploadedFile("hb.csv", good), "start": "01.01.2025", "end": "31.12.2025"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bad = "Dato;Konto;Prosjekt;Tekst;Beløp\n05.01.2025;9999;;x;1\n".encode()
    response = client.post(
        url("ledger"),
        {"file": SimpleUploadedFile("hb2.csv", bad), "start": "01.01.2025", "end": "31.12.2025"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "hb2.csv, rad 2" in page and "«9999»" in page
    assert LedgerLine.objects.count() == 1


def test_an_editor_uploads_a_budget_spreadsheet_and_a_bad_one_is_explained(client, books, editor):
    client.force_login(editor)
    good = "Oppdrag;Kostnadstype;Beløp\n3.1.1;Lønn;500 000\n".encode()
    response = client.post(url("budget_upload"), {"file": SimpleUploadedFile("b.csv", good)})
    assert response.status_code == 302
    assert BudgetRevision.objects.get().items.get().amount == Decimal(500_000)
    bad = "Oppdrag;Kostnadstype;Beløp\n3.1.1;Mat;500 000\n".encode()
    response = client.post(url("budget_upload"), {"file": SimpleUploadedFile("c.csv", bad)})
    page = response.content.decode()
    assert response.status_code == 400 and "c.csv, rad 2" in page and "«Mat»" in page
    assert BudgetRevision.objects.count() == 1


def test_a_period_outside_the_grant_year_is_refused_by_the_form(client, books, editor):
    client.force_login(editor)
    response = client.post(
        url("ledger"),
        {"file": SimpleUploadedFile("hb.csv", b"x"), "start": "01.12.2024", "end": "31.12.2025"},
    )
    assert response.status_code == 400 and "tilskuddsåret 2025" in response.content.decode()


def test_the_grantor_workbook_and_pdf_carry_the_totals(client, books, editor):
    client.force_login(editor)
    response = client.get(url("grantor_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tilskudd", "Budsjettpost", "Tilskudd mottatt")
    assert rows[1][:3] == ("Helsedirektoratet", "kap. 765 post 74", 1_000_000)
    assert rows[-1][:2] == ("Revisorbekreftelse", "Ikke registrert")
    pdf = client.get(url("grantor_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_auditor_confirmation_is_uploaded_as_a_pdf_only(client, books, editor):
    client.force_login(editor)
    response = client.post(
        url("auditor"),
        {
            "status": "received",
            "engagement": "isa805",
            "document": SimpleUploadedFile("r.txt", b"hei"),
        },
    )
    assert response.status_code == 400 and "PDF" in response.content.decode()
    assert not AuditorConfirmation.objects.exists()
    response = client.post(
        url("auditor"),
        {
            "status": "received",
            "engagement": "isa805",
            "document": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x"),
        },
    )
    assert response.status_code == 302
    assert client.get(url("auditor_document")).content == b"%PDF-1.4 x"
    page = client.get(url("grantor")).content.decode()
    assert "Mottatt" in page and "krever at regnskapet bekreftes av revisor" in page


def _fill(center, funding, assignments, lines):
    services.revise_budget(
        center=center,
        year=2025,
        items=[
            services.ItemSpec(CostType.SALARIES, Decimal(1000), Source.GRANT, a, funding)
            for a in assignments
        ],
    )
    for a in assignments:
        services.map_project(center=center, year=2025, code=f"X{a.number}", assignment=a)
    services.replace_ledger_period(
        center=center,
        year=2025,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        file_name="f.csv",
        sha256=str(lines),
        lines=[
            (
                dt.date(2025, 1, 1 + i % 28),
                "6800",
                f"X{assignments[i % len(assignments)].number}",
                "t",
                Decimal(i),
            )
            for i in range(lines)
        ],
    )


def count_queries(client, django_assert_max_num_queries, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["overview", "grantor", "budget", "ledger", "mappings"])
def test_the_pages_take_the_same_queries_for_one_line_and_for_many(
    client, books, editor, name, django_assert_max_num_queries
):
    center, funding = books["center"], books["funding"]
    client.force_login(editor)
    _fill(center, funding, [books["a311"]], 1)
    few = count_queries(client, django_assert_max_num_queries, url(name))
    more = [
        Assignment.objects.create(center=center, year=2025, number=f"4.{n}", title=f"Oppdrag {n}")
        for n in range(1, 15)
    ]
    _fill(center, funding, [books["a311"], books["a314"], *more], 400)
    assert count_queries(client, django_assert_max_num_queries, url(name)) == few


def test_the_pages_answer_in_norwegian_whatever_the_browser_asks(client, books, reader):
    client.force_login(reader)
    page = client.get(url("overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Budsjett mot regnskap" in page and "Slik er tallene regnet" in page

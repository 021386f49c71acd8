"""The ledger import: mappings checked, Norwegian amounts, all or nothing, the same
file known again, a period replaced; the budget import."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.finance.amounts import format_amount
from oppdrag.finance.importers import BudgetImporter
from oppdrag.finance.models import BudgetRevision, LedgerImport, LedgerLine
from tests.files import write_table


def stored():
    return sorted(LedgerLine.objects.values_list("date", "account", "project", "amount"))


def test_it_reads_norwegian_amounts_and_keeps_the_lines(books, import_ledger):
    result = import_ledger(
        books["center"],
        [
            ["05.01.2025", "5000", "", "Lønn januar", "1 234,50"],
            ["2025-02-01", "6800", "P1", "Kontorrekvisita", "(1 234)"],
            ["03.02.2025", "7140", "P2", "Reise", "−200"],
        ],
    )
    assert result.ok, result.problems
    assert stored() == [
        (dt.date(2025, 1, 5), "5000", "", Decimal("1234.50")),
        (dt.date(2025, 2, 1), "6800", "P1", Decimal("-1234")),
        (dt.date(2025, 2, 3), "7140", "P2", Decimal("-200")),
    ]
    batch = LedgerImport.objects.get()
    assert batch.rows == 3 and batch.total == Decimal("-199.50") and len(batch.sha256) == 64


def test_debit_and_credit_columns_make_a_signed_amount(books, import_ledger):
    result = import_ledger(
        books["center"],
        [
            ["05.01.2025", "5000", "", "Lønn", "1 000", ""],
            ["06.01.2025", "5000", "", "Retur", "", "250,50"],
        ],
        header=["Dato", "Konto", "Avdeling", "Tekst", "Debet", "Kredit"],
    )
    assert result.ok, result.problems
    assert [row[3] for row in stored()] == [Decimal(1000), Decimal("-250.50")]


def test_unknown_accounts_and_projects_are_listed_once_with_suggestions_and_nothing_is_saved(
    books, import_ledger
):
    result = import_ledger(
        books["center"],
        [
            ["05.01.2025", "5001", "P1", "", "10"],
            ["06.01.2025", "5001", "P1", "", "11"],
            ["07.01.2025", "5000", "ADM2", "", "12"],
        ],
    )
    assert not result.ok
    messages = [str(p) for p in result.problems]
    assert len(messages) == 2
    assert "«5001»" in messages[0] and "rad 2, 3" in messages[0] and "«5000»" in messages[0]
    assert "kolonne «Konto»" in messages[0]
    assert "«ADM2»" in messages[1] and "rad 4" in messages[1] and "«ADM»" in messages[1]
    assert LedgerLine.objects.count() == 0 and LedgerImport.objects.count() == 0


def test_a_bad_amount_or_a_date_outside_the_period_names_row_and_column(books, import_ledger):
    result = import_ledger(
        books["center"],
        [["05.01.2025", "5000", "", "", "12,345"], ["05.01.2024", "5000", "", "", "1"]],
    )
    messages = [str(p) for p in result.problems]
    assert any("rad 2" in m and "«Beløp»" in m and "ikke et beløp" in m for m in messages)
    assert any("rad 3" in m and "«Dato»" in m and "utenfor perioden" in m for m in messages)
    assert LedgerLine.objects.count() == 0


def test_the_same_file_is_recognised_by_its_hash_and_refused(books, import_ledger, tmp_path):
    rows = [["05.01.2025", "5000", "", "", "100"]]
    assert import_ledger(books["center"], rows, name="a.csv").ok
    again = import_ledger(books["center"], rows, name="b.csv")
    assert not again.ok and "ble lest inn" in str(again.problems[0])
    assert LedgerLine.objects.count() == 1


def test_reimporting_a_period_replaces_its_lines_and_keeps_the_rest(books, import_ledger):
    center = books["center"]
    assert import_ledger(
        center, [["05.01.2025", "5000", "", "jan", "100"], ["05.02.2025", "5000", "", "feb", "200"]]
    ).ok
    result = import_ledger(
        center,
        [["06.02.2025", "5000", "", "feb rettet", "250"]],
        start=dt.date(2025, 2, 1),
        end=dt.date(2025, 2, 28),
    )
    assert result.ok, result.problems
    assert [(row[0].month, row[3]) for row in stored()] == [(1, Decimal(100)), (2, Decimal(250))]
    assert LedgerImport.objects.order_by("created_at").last().rows_replaced == 1


def test_the_xlsx_export_of_a_ledger_reads_the_same(books, import_ledger):
    result = import_ledger(
        books["center"],
        [[dt.date(2025, 3, 1), "5000", "P1", "Lønn", 1234.5]],
        name="ledger.xlsx",
    )
    assert result.ok, result.problems
    assert stored() == [(dt.date(2025, 3, 1), "5000", "P1", Decimal("1234.50"))]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2025, 12, 31)),
            st.sampled_from(["5000", "6800", "7140", "3000"]),
            st.sampled_from(["", "P1", "P2", "ADM"]),
            st.decimals(min_value=-(10**9), max_value=10**9, places=2),
            st.booleans(),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_any_valid_ledger_is_stored_exactly_and_replacing_it_twice_is_the_same(
    books, import_ledger, lines
):
    LedgerLine.objects.all().delete()
    LedgerImport.objects.all().delete()
    rows = [
        [
            date.strftime("%d.%m.%Y") if dotted else date.isoformat(),
            account,
            project,
            "x",
            format_amount(amount),
        ]
        for date, account, project, amount, dotted in lines
    ]
    assert import_ledger(books["center"], rows).ok
    expected = sorted((d, a, p, amount) for d, a, p, amount, _dotted in lines)
    assert stored() == expected
    assert import_ledger(books["center"], [*rows, rows[0]]).ok  # another file, same period
    assert len(stored()) == len(expected) + 1


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=12), min_size=5, max_size=5))
def test_any_row_of_text_is_imported_or_refused_without_saving_anything(
    books, import_ledger, cells
):
    LedgerLine.objects.all().delete()
    LedgerImport.objects.all().delete()
    result = import_ledger(books["center"], [cells])
    if not result.ok:
        assert LedgerLine.objects.count() == 0 and LedgerImport.objects.count() == 0
        assert all(p.message for p in result.problems)
    else:
        assert LedgerLine.objects.count() == 1


def test_a_budget_file_becomes_a_new_version(books, tmp_path):
    path = write_table(
        tmp_path,
        "budsjett.csv",
        [
            ["Oppdrag", "Kostnadstype", "Finansiering", "Budsjettpost", "Beløp"],
            ["3.1.1", "Lønn", "Tilskudd", "765 74", "600 000"],
            ["3.1.4", "Drift", "Tilskudd", "", "400 000"],
            ["", "Lønn", "Egenfinansiering", "", "50 000"],
        ],
    )
    result = BudgetImporter(books["center"], 2025).run(path)
    assert result.ok, result.problems
    revision = BudgetRevision.objects.get()
    assert revision.number == 1
    assert sorted(revision.items.values_list("source", "amount")) == [
        ("grant", Decimal(400000)),
        ("grant", Decimal(600000)),
        ("own", Decimal(50000)),
    ]


def test_a_budget_file_with_an_unknown_assignment_names_it_and_saves_nothing(books, tmp_path):
    path = write_table(
        tmp_path,
        "budsjett.csv",
        [["Oppdrag", "Kostnadstype", "Beløp"], ["3.1.5", "Lønn", "10"]],
    )
    result = BudgetImporter(books["center"], 2025).run(path)
    assert "Oppdrag 3.1.5 finnes ikke" in str(result.problems[0])
    assert "rad 2" in str(result.problems[0])
    assert BudgetRevision.objects.count() == 0

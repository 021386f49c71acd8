"""Hours per month and assignment: summed by SQL from the entries, shown on the hours page."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.hours.importers import HoursImporter
from oppdrag.hours.models import TimeProject
from oppdrag.hours.tables import hours_per_month, month_hours
from tests.files import write_table

HEADER = ["Person", "Prosjektnummer", "Periode", "Timer"]
# Kari: a day and a week over the end of March (one day in March, six in April) on
# project 100 (assignment 3.1.1); Ola: a week in March on project 200, which serves
# 3.1.1 with weight 3 and 3.1.4 with weight 1; both: May on project 100.
ROWS = [
    ["Kari Nordmann", "100", "03.03.2025", "7"],
    ["Kari Nordmann", "100", "2025-W14", "14"],
    ["Ola Hansen", "200", "2025-W10", "8"],
    ["Kari Nordmann", "100", "2025-05", "700"],
    ["Ola Hansen", "100", "2025-05", "700"],
]


def imported(center, tmp_path, rows, name="hours.csv"):
    result = HoursImporter(center, 2025).run(write_table(tmp_path, name, [HEADER, *rows]))
    assert result.ok, result.problems


def test_an_entry_over_several_months_is_split_by_its_days(setup, tmp_path):
    # 730 hours for the whole year and no person: two hours a day.
    imported(setup, tmp_path, [["", "100", "2025", "730"], ["Ola Hansen", "100", "2025-W14", "7"]])
    project = TimeProject.objects.get(center=setup, number="100")
    days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    expected = [Fraction(2 * d) for d in days]
    expected[2] += 1  # 31 March, one day of the week
    expected[3] += 6
    assert month_hours(setup, 2025)[project.pk] == expected


def test_hours_per_month_split_projects_between_their_assignments(setup, tmp_path):
    imported(setup, tmp_path, ROWS)
    table = hours_per_month(setup, 2025)
    months = {row.number: row.months for row in table.rows}
    zero = Decimal(0)
    assert months["3.1.1"] == [zero, zero, 15, 12, 1400, *[zero] * 7]  # 7 + 1 + 6 (¾ of 8)
    assert months["3.1.4"] == [zero, zero, 2, *[zero] * 9]
    assert [row.total for row in table.rows] == [1427, 2]
    assert table.month_totals[2:5] == [17, 12, 1400] and table.total == 1429


def test_the_hours_page_shows_the_months_in_norwegian_with_constant_queries(
    setup, tmp_path, client, make_user
):
    client.force_login(make_user("leser", setup))
    url = reverse("web:hours", kwargs={"center": setup.slug, "year": 2025})
    imported(setup, tmp_path, ROWS[:1])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    imported(setup, tmp_path, ROWS, "all.csv")  # replaces the first file's period
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert len(more) == len(few)
    assert "Timer per måned og oppdrag" in page
    assert '<abbr title="mai">mai</abbr>' in page and '<abbr title="desember">des</abbr>' in page
    cells = "".join(f'<td class="num">{v}</td>' for v in ["0", "0", "15", "12", "1\u2009400"])
    assert f'<th scope="row">3.1.1 ACT</th>{cells}' in page
    assert '<td class="num">1\u2009427</td></tr>' in page  # the year, thin-space thousands

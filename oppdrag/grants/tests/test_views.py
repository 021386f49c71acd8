"""The year's assignments page: the tree from the grant letter, readable in the interface."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.core.models import Membership
from oppdrag.grants.models import Assignment, Deliverable, Grant, GrantDate


@pytest.fixture
def reader(center, make_user):
    return make_user("leser", center, Membership.Role.READER)


def assignments(center, count):
    grant = Grant.objects.create(center=center, year=2026, amount_nok=45_500_000)
    for index in range(1, count + 1):
        top = Assignment.objects.create(
            center=center, year=2026, number=f"2.{index}", title=f"Oppdrag {index}", text="Tekst"
        )
        child = Assignment.objects.create(
            center=center, year=2026, number=f"2.{index}.1", title=f"Under {index}", parent=top
        )
        leaf = Assignment.objects.create(
            center=center, year=2026, number=f"2.{index}.1 A", title=f"Del {index}", parent=child
        )
        Deliverable.objects.create(center=center, assignment=child, text=f"Leveranse {index}")
        GrantDate.objects.create(
            center=center,
            grant=grant,
            kind=GrantDate.Kind.DEADLINE,
            title=f"Frist {index}",
            date=dt.date(2026, 6, index),
            assignment=leaf,
        )
    GrantDate.objects.create(
        center=center,
        grant=grant,
        kind=GrantDate.Kind.MEETING,
        title="Dialogmøte",
        date=dt.date(2026, 12, 1),
    )
    return grant


def test_the_page_shows_the_tree_with_deliverables_and_dates(client, center, reader):
    assignments(center, 2)
    Assignment.objects.create(center=center, year=2025, number="9.9", title="Fjorårets")
    client.force_login(reader)
    page = client.get("/napha/oppdrag/2026/").content.decode()
    assert "Oppdrag 2026" in page and "45\u2009500\u2009000 kr" in page
    # Depth sets the heading level: 2.1 is h2, 2.1.1 h3, 2.1.1 A h4.
    assert '<h2 class="ds-heading" data-size="md" id="oppdrag-' in page
    order = [
        page.index(t) for t in ("2.1 Oppdrag 1", "2.1.1 Under 1", "2.1.1 A Del 1", "2.2 Oppdrag 2")
    ]
    assert order == sorted(order)
    assert page.count("<h3 ") == 2 and page.count("<h4 ") == 2
    assert "Leveranse 1" in page and "01.06.2026: Frist 1" in page
    assert "01.12.2026: Dialogmøte" in page
    assert "Fjorårets" not in page


def test_a_year_without_a_letter_says_so(client, center, reader):
    client.force_login(reader)
    page = client.get("/napha/oppdrag/2024/").content.decode()
    assert "Det er ikke lest inn noe tilskuddsbrev for 2024." in page
    assert "Ingen oppdrag er registrert for 2024." in page


def test_another_centres_assignments_are_not_shown(client, center, other_center, reader):
    assignments(other_center, 1)
    client.force_login(reader)
    page = client.get("/napha/oppdrag/2026/").content.decode()
    assert "Oppdrag 1" not in page and "Frist 1" not in page


def test_the_page_takes_the_same_queries_for_ten_times_the_assignments(client, center, reader):
    client.force_login(reader)
    assignments(center, 2)
    client.get("/napha/oppdrag/2026/")  # the year switcher's list cached
    with CaptureQueriesContext(connection) as small:
        assert client.get("/napha/oppdrag/2026/").status_code == 200
    Assignment.objects.filter(center=center).delete()
    Grant.objects.filter(center=center).delete()
    assignments(center, 20)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/napha/oppdrag/2026/").status_code == 200
    assert len(large) == len(small) <= 10, [q["sql"] for q in large]

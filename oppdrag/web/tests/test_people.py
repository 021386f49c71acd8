"""The centre's people: staff with their positions, other contributors, users and roles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.core.models import Membership, Person
from oppdrag.hours.models import StaffMember


@pytest.fixture
def reader(center, make_user):
    return make_user("leser", center, Membership.Role.READER)


def people(center, count):
    for index in range(count):
        person = Person.objects.create(center=center, name=f"Ansatt {index:03d}")
        StaffMember.objects.create(
            center=center, person=person, role="Fagrådgiver", department="Bolig"
        )
        Person.objects.create(center=center, name=f"Forfatter {index:03d}", affiliation="UiO")
    external = Person.objects.create(center=center, name="Ekstern Eva")
    StaffMember.objects.create(center=center, person=external, is_external=True)


def test_staff_are_listed_with_position_and_others_apart(client, center, other_center, reader):
    people(center, 2)
    Person.objects.create(center=other_center, name="Hemmelig Hansen")
    client.force_login(reader)
    page = client.get("/napha/personer/").content.decode()
    staff = page[page.index('id="ansatte"') : page.index('id="bidragsytere"')]
    assert "Ansatt 000" in staff and "Fagrådgiver" in staff and "Bolig" in staff
    assert "Ekstern Eva" in staff and "Ekstern samarbeidspartner" in staff
    assert "Forfatter" not in staff
    others = page[page.index('id="bidragsytere"') : page.index('id="brukere"')]
    assert "2 personer er nevnt" in others and "Forfatter 001 (UiO)" in others
    users = page[page.index('id="brukere"') :]
    assert "leser" in users and "Leser" in users
    assert "Hemmelig" not in page


def test_the_page_takes_the_same_queries_for_ten_times_the_people(client, center, reader):
    client.force_login(reader)
    people(center, 2)
    client.get("/napha/personer/")  # the year switcher's list cached
    with CaptureQueriesContext(connection) as small:
        assert client.get("/napha/personer/").status_code == 200
    people_more = 20
    Person.objects.filter(center=center).delete()
    people(center, people_more)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/napha/personer/").status_code == 200
    assert len(large) == len(small) <= 10, [q["sql"] for q in large]

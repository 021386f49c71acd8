"""The search-as-you-type endpoints behind the municipality and organisation fields."""

import pytest

from oppdrag.core.models import Membership, Municipality


@pytest.fixture
def reader(center, make_user):
    return make_user("leser", center, Membership.Role.READER)


def labels(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [row["label"] for row in response.json()["results"]]


def test_municipalities_that_start_with_the_text_come_first(client, reader):
    client.force_login(reader)
    found = labels(client.get("/napha/sok/kommuner/", {"q": "bod"}))
    assert found[0] == "Bodø"
    found = labels(client.get("/napha/sok/kommuner/", {"q": "os"}))
    starts = [name for name in found if name.lower().startswith("os")]
    assert found[: len(starts)] == starts and "Oslo" in starts
    assert len(found) > len(starts)  # then names that merely contain «os»


def test_norwegian_letters_match_in_either_case(client, reader):
    client.force_login(reader)
    assert labels(client.get("/napha/sok/kommuner/", {"q": "ørland"})) == ["Ørland"]
    assert labels(client.get("/napha/sok/kommuner/", {"q": "ØRSTA"})) == ["Ørsta"]


def test_only_current_municipalities_are_offered_with_number_and_county(client, reader):
    client.force_login(reader)
    bodo = Municipality.objects.get(name="Bodø", valid_to__isnull=True)
    rows = client.get("/napha/sok/kommuner/", {"q": "Bodø"}).json()["results"]
    assert rows == [{"id": bodo.pk, "label": "Bodø", "detail": f"{bodo.number} Nordland"}]


def test_organisations_are_found_by_name_and_by_alias(client, reader):
    client.force_login(reader)
    assert labels(client.get("/napha/sok/organisasjoner/", {"q": "hdir"}))[0] == (
        "Helsedirektoratet"
    )
    assert "Barne- og familiedirektoratet" in labels(
        client.get("/napha/sok/organisasjoner/", {"q": "bufdir"})
    )


def test_bad_and_empty_input_answers_an_empty_list(client, reader):
    client.force_login(reader)
    assert labels(client.get("/napha/sok/kommuner/")) == []
    assert labels(client.get("/napha/sok/kommuner/", {"q": "   "})) == []
    assert labels(client.get("/napha/sok/kommuner/", {"q": "x" * 5000})) == []
    assert labels(client.get("/napha/sok/organisasjoner/", {"q": "%_'\";--"})) == []


def test_at_most_twenty_answers_in_a_fixed_number_of_queries(
    client, reader, django_assert_max_num_queries
):
    client.force_login(reader)
    client.get("/napha/sok/kommuner/", {"q": "a"})
    with django_assert_max_num_queries(4):
        assert len(labels(client.get("/napha/sok/kommuner/", {"q": "a"}))) == 20


def test_the_endpoints_answer_only_members_of_the_centre(client, center, make_center, make_user):
    make_center("korus-oslo")
    client.force_login(make_user("fremmed", center=None))
    assert client.get("/napha/sok/kommuner/", {"q": "bod"}).status_code == 404
    client.force_login(make_user("partner", center, Membership.Role.PARTNER))
    assert client.get("/napha/sok/organisasjoner/", {"q": "h"}).status_code == 403
    client.logout()
    assert client.get("/napha/sok/kommuner/", {"q": "bod"}).status_code == 302

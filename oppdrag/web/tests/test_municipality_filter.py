"""The lists' municipality filter: a typed name or number, resolved on the server."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Municipality
from oppdrag.web.municipality_field import MAX_CHARS, Place, Unresolved, resolve


def municipality(name, number=None):
    found = Municipality.objects.filter(name=name, valid_to__isnull=True)
    return found.get(number=number) if number else found.get()


@pytest.fixture
def reader(make_center, make_user):
    center = make_center("napha")
    user = make_user("leser", center, "reader")
    bodo = m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Dag i Bodø")
    bodo.municipalities.add(municipality("Bodø"))
    heroy = m.Event.objects.create(center=center, year=2025, theme="Rus", title="Dag på Herøy")
    heroy.municipalities.add(municipality("Herøy", "1818"))
    m.Event.objects.create(center=center, year=2025, theme="Rus", title="Dag uten sted")
    return user


def titles(client, **params):
    response = client.get("/napha/arrangementer/", params)
    return response, sorted(event.title for event, _cells in response.context["rows"])


@pytest.mark.parametrize("typed", ["Bodø", "bodø", " BODØ ", "1804", "Bodø (1804)", "bod"])
def test_a_typed_municipality_filters_the_list(client, reader, typed):
    client.force_login(reader)
    response, found = titles(client, municipality=typed)
    assert response.context["filter"].is_valid()
    assert found == ["Dag i Bodø"]
    # The typed text stays in the input, so the reader sees what the list is filtered by.
    assert f'value="{typed}"' in response.content.decode()


def test_the_filter_is_a_text_input_with_suggestions_not_a_select_of_every_municipality(
    client, reader
):
    client.force_login(reader)
    page = client.get("/napha/arrangementer/").content.decode()
    assert 'name="municipality"' in page and '<select name="municipality"' not in page
    assert 'list="id_municipality-forslag"' in page
    assert '<datalist id="id_municipality-forslag"></datalist>' in page
    assert 'data-lookup-url="/napha/sok/kommuner/"' in page
    assert "web/lookup_input" in page and "<option" not in page.split("municipality")[1][:300]


def test_an_unknown_municipality_is_named_in_a_message_and_filters_nothing(client, reader):
    client.force_login(reader)
    response, found = titles(client, municipality="Bodøø")
    filterset = response.context["filter"]
    assert not filterset.is_valid()
    [message] = filterset.errors["municipality"]
    assert message.startswith("Ingen kommune heter «Bodøø».")
    assert "Mente du «Bodø»" in message
    page = response.content.decode()
    assert "Ingen kommune heter «Bodøø»" in page
    assert found == []  # no rows rather than the unfiltered list under a filter that failed


def test_two_municipalities_of_the_same_name_ask_for_the_number(client, reader):
    client.force_login(reader)
    response, found = titles(client, municipality="herøy")
    [message] = response.context["filter"].errors["municipality"]
    assert message == (
        "Flere kommuner heter Herøy: 1515 i Møre og Romsdal, 1818 i Nordland. "
        "Skriv nummeret, som «Herøy (1515)»."
    )
    _response, found = titles(client, municipality="Herøy (1818)")
    assert found == ["Dag på Herøy"]
    _response, found = titles(client, municipality="Herøy (1515)")
    assert found == []


def test_a_part_of_several_names_lists_them_and_a_wrong_number_says_whose_it_is(client, reader):
    client.force_login(reader)
    response, _found = titles(client, municipality="ber")
    [message] = response.context["filter"].errors["municipality"]
    assert message.startswith("«ber» passer flere kommuner:") and "til." in message
    response, _found = titles(client, municipality="Oslo 1804")
    [message] = response.context["filter"].errors["municipality"]
    assert message == "Kommunenummer 1804 er Bodø, ikke «Oslo»."
    response, _found = titles(client, municipality="9999")
    assert response.context["filter"].errors["municipality"] == ["Ingen kommune har nummeret 9999."]


def test_the_advice_requests_list_takes_the_same_typed_municipality(client, reader):
    client.force_login(reader)
    center = Center.objects.get(slug="napha")
    m.AdviceRequest.objects.create(center=center, year=2025, topic="Bolig",
                                   municipality=municipality("Bodø"))  # fmt: skip
    m.AdviceRequest.objects.create(center=center, year=2025, topic="Rus",
                                   municipality=municipality("Oslo"))  # fmt: skip
    response = client.get("/napha/henvendelser/", {"municipality": "oslo"})
    assert [request.topic for request, _cells in response.context["rows"]] == ["Rus"]


# The resolver itself, over a small made-up list: what it returns is always one of the
# places, and every place is reached by its number and (when unique) its name.
PLACES = [
    Place(1, "Bodø", "1804", "Nordland", True),
    Place(2, "Herøy", "1515", "Møre og Romsdal", True),
    Place(3, "Herøy", "1818", "Nordland", True),
    Place(4, "Os", "4630", "Vestland", True),
    Place(5, "Oslo", "0301", "Oslo", True),
    Place(6, "Os", "1243", "Hordaland", False),
    Place(7, "Tysfjord", "1850", "Nordland", False),
]


@given(st.text(max_size=MAX_CHARS + 20))
def test_any_text_resolves_to_one_place_or_says_why(text):
    try:
        place = resolve(text, PLACES)
    except Unresolved as problem:
        assert str(problem)
    else:
        assert place in PLACES


@given(st.sampled_from(PLACES), st.sampled_from([str.lower, str.upper, str.title, str]))
def test_every_place_is_found_by_number_and_a_unique_name_by_name(place, case):
    if place.current or all(p.number != place.number or p is place for p in PLACES):
        assert resolve(place.number, PLACES) == place
        assert resolve(f"{case(place.name)} ({place.number})", PLACES) == place
    namesakes = [p for p in PLACES if p.name == place.name]
    current = [p for p in namesakes if p.current]
    if namesakes == [place] or current == [place]:
        assert resolve(case(place.name), PLACES) == place


def test_a_current_municipality_comes_before_a_former_one_of_the_same_name():
    assert resolve("os", PLACES).pk == 4  # not the former Os in Hordaland
    assert resolve("Tysfjord", PLACES).pk == 7  # a former one when no current one has the name
    with pytest.raises(Unresolved, match="for langt"):
        resolve("x" * (MAX_CHARS + 1), PLACES)


def test_a_list_filtered_by_a_typed_municipality_takes_the_same_queries_for_more_rows(
    client, reader
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reader)
    center = Center.objects.get(slug="napha")
    bodo = municipality("Bodø")
    client.get("/napha/arrangementer/", {"municipality": "bodø"})
    with CaptureQueriesContext(connection) as small:
        titles(client, municipality="bodø")
    for n in range(60):
        event = m.Event.objects.create(center=center, year=2024, theme="Bolig", title=f"Dag {n}")
        event.municipalities.add(bodo, municipality("Oslo"))
    with CaptureQueriesContext(connection) as large:
        response, found = titles(client, municipality="bodø")
    assert response.context["page"].paginator.count == 61 and len(found) == 50
    assert len(large) == len(small)

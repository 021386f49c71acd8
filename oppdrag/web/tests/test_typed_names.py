"""A municipality or organisation typed but not chosen from the list is never lost:
the form takes the one record the text names, or refuses with the field named."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.activities import models as m
from oppdrag.core.models import Membership, Municipality, Organization
from oppdrag.web.lookups import NAMED_CANDIDATES, TYPED_LOOKUPS


@pytest.fixture
def editor(center, make_user):
    return make_user("redaktor", center, Membership.Role.EDITOR)


def create_url():
    return reverse("activities:event_create", kwargs={"center": "napha"})


def event_data(**extra):
    return {"year": "2025", "theme": "Bolig", "title": "Fagdag med skrevet kommune",
            "date_start": "2025-10-02", "participants": "20", **extra}  # fmt: skip


def test_a_typed_name_that_is_exactly_one_municipality_is_taken(client, editor):
    client.force_login(editor)
    response = client.post(create_url(), event_data(**{"municipalities-tekst": "bodø"}))
    assert response.status_code == 302
    event = m.Event.objects.get(title="Fagdag med skrevet kommune")
    assert [mu.name for mu in event.municipalities.all()] == ["Bodø"]


def test_a_typed_name_is_added_to_those_chosen_from_the_list(client, editor):
    client.force_login(editor)
    oslo = Municipality.objects.get(name="Oslo", valid_to__isnull=True)
    typed = {"municipalities-tekst": "Tromsø", "organizers-tekst": "Helsedirektoratet"}
    data = event_data(municipalities=[oslo.pk], **typed)
    assert client.post(create_url(), data).status_code == 302
    event = m.Event.objects.get(title="Fagdag med skrevet kommune")
    assert sorted(mu.name for mu in event.municipalities.all()) == ["Oslo", "Tromsø"]
    assert [o.name for o in event.organizers.all()] == ["Helsedirektoratet"]


def test_a_name_that_fits_several_is_refused_naming_the_field_and_keeping_the_input(client, editor):
    client.force_login(editor)
    response = client.post(create_url(), event_data(**{"municipalities-tekst": "Herøy"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kommuner nådd: «Herøy» passer til flere: Herøy (1515), Herøy (1818)." in page
    assert 'value="Fagdag med skrevet kommune"' in page  # the rest of the input is kept
    assert 'data-typed="Herøy"' in page  # and the typed name goes back in the search field
    assert not m.Event.objects.filter(title="Fagdag med skrevet kommune").exists()


def test_a_name_that_fits_nothing_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    response = client.post(create_url(), event_data(**{"organizers-tekst": "Atlantis kommune"}))
    page = response.content.decode()
    assert "Arrangører: Fant ingen organisasjon som passer til «Atlantis kommune»." in page
    assert not m.Event.objects.filter(title="Fagdag med skrevet kommune").exists()


def test_a_typed_name_is_resolved_again_when_the_form_fails_for_another_reason(client, editor):
    client.force_login(editor)
    response = client.post(create_url(), event_data(title="", **{"municipalities-tekst": "Bodø"}))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-typed="Bodø"' in page


def test_an_overlong_typed_text_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(create_url(), event_data(**{"municipalities-tekst": "a" * 5000}))
    assert "Søketeksten er lengre enn 100 tegn" in response.content.decode()
    assert not m.Event.objects.filter(title="Fagdag med skrevet kommune").exists()


def test_a_municipality_number_names_it(db):
    found, _ = TYPED_LOOKUPS["web:lookup_municipalities"].resolve("1818")
    assert (found.name, found.number) == ("Herøy", "1818")


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=100))
def test_any_text_resolves_to_one_record_or_is_refused_with_the_candidates(text):
    for key, model in (
        ("web:lookup_municipalities", Municipality),
        ("web:lookup_organizations", Organization),
    ):
        lookup = TYPED_LOOKUPS[key]
        found, candidates = lookup.resolve(text)
        if found is not None:
            assert candidates == [] and isinstance(found, model)
        else:
            assert len(candidates) != 1 and len(candidates) <= NAMED_CANDIDATES + 1
            assert lookup.refusal(text, candidates)

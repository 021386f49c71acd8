"""Names typed in the search fields, in a real browser: Enter chooses and never submits,
and a name typed but not chosen is resolved or refused, never dropped."""

import pytest

from oppdrag.activities import models as m
from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["browser_page"]  # the fixture, used by name


def open_form(page, title):
    sign_in(page)
    page.goto(page.base + "/napha/arrangementer/ny/")
    page.locator("#id_year").fill("2025")
    page.locator("#id_theme").fill("Boligsosialt arbeid")
    page.locator("#id_title").fill(title)
    page.get_by_label("Dato", exact=True).fill("02.10.2025")
    return page.get_by_role("combobox", name="Kommuner")


def test_enter_in_the_search_field_chooses_the_named_one_and_does_not_submit(browser_page):
    page = browser_page
    municipalities = open_form(page, "Fagdag med Enter")
    municipalities.fill("tromsø")
    municipalities.press("Enter")  # before the list has even opened
    page.get_by_role("button", name="Fjern Tromsø").wait_for()
    assert page.url.endswith("/arrangementer/ny/")
    assert municipalities.input_value() == ""
    # A name that fits two municipalities: Enter says so on screen, and submits nothing.
    municipalities.fill("Herøy")
    municipalities.press("Enter")
    note = page.locator("#id_municipalities-merknad")
    note.wait_for()
    assert note.inner_text() == "2 treff. Velg ett med piltastene."
    assert page.url.endswith("/arrangementer/ny/")
    assert not m.Event.objects.filter(title="Fagdag med Enter").exists()
    assert axe_violations(page) == []


def test_a_name_typed_but_not_chosen_is_saved_when_it_names_one(browser_page):
    page = browser_page
    municipalities = open_form(page, "Fagdag med skrevet navn")
    municipalities.fill("Bodø")  # typed, never chosen from the list
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fagdag med skrevet navn"
    event = m.Event.objects.get(title="Fagdag med skrevet navn")
    assert [mu.name for mu in event.municipalities.all()] == ["Bodø"]


def test_a_name_that_fits_several_is_refused_visibly_and_nothing_is_lost(browser_page):
    page = browser_page
    municipalities = open_form(page, "Fagdag med tvetydig navn")
    municipalities.fill("Herøy")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.get_by_role("heading", name="Skjemaet har feil").wait_for()
    message = "«Herøy» passer til flere: Herøy (1515), Herøy (1818)."
    assert page.get_by_text(message).first.is_visible()
    assert page.locator("#id_title").input_value() == "Fagdag med tvetydig navn"
    assert page.get_by_role("combobox", name="Kommuner").input_value() == "Herøy"
    # The error summary's link leads to the search field, the one the user types in.
    page.get_by_role("link", name="Kommuner nådd: «Herøy» passer til flere").click()
    assert page.evaluate("document.activeElement.id") == "id_municipalities-sok"
    assert not m.Event.objects.filter(title="Fagdag med tvetydig navn").exists()
    assert axe_violations(page) == []

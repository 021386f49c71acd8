"""The lists' municipality filter in a real browser: suggestions while typing, the
typed name resolved on submit, a clear message otherwise, axe-clean, phone width."""

import pytest

from oppdrag.activities import models as m
from oppdrag.core.models import Municipality

from .test_browser import axe_violations, browser_page, sign_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_municipality_is_typed_with_suggestions_and_filters_the_list(browser_page):  # noqa: F811
    page = browser_page
    # A municipality the demo's events name, and no other current one is called.
    links = m.Event.municipalities.through.objects.filter(event__center__slug="napha")
    named = {link.municipality.name for link in links.select_related("municipality")}
    name = next(
        n for n in sorted(named) if Municipality.objects.filter(name=n, valid_to=None).count() == 1
    )
    expected = m.Event.objects.filter(center__slug="napha", municipalities__name=name).count()
    sign_in(page)
    page.goto(page.base + "/napha/arrangementer/")
    field = page.get_by_label("Kommune")
    field.focus()
    page.keyboard.type(name.lower())
    # The script fills the input's datalist from the lookup endpoint.
    page.wait_for_function(
        "name => [...document.querySelectorAll('#id_municipality-forslag option')]"
        ".some(o => o.value === name)",
        arg=name,
    )
    field.fill(name)
    page.keyboard.press("Enter")  # a plain input: Enter submits the filter form
    page.wait_for_url("**/arrangementer/?*municipality=*")
    word = "arrangement" if expected == 1 else "arrangementer"
    assert f"{expected} {word}" in page.get_by_role("status").inner_text()
    assert axe_violations(page) == []

    field = page.get_by_label("Kommune")
    field.fill("Bodøø")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**municipality=Bod%C3%B8%C3%B8*")
    assert page.get_by_text("Ingen kommune heter «Bodøø».").is_visible()
    # The list is empty now: it says so without a table, so no empty scroll box.
    assert page.get_by_text("Ingen arrangementer passer filteret.").is_visible()
    assert page.locator(".table-scroll").count() == 0
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "/napha/arrangementer/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

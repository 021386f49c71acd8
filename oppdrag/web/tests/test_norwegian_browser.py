"""Bokmål in a real browser that asks for English: Debian's Chromium driven by Playwright.

Texts, messages and dates: a date field shows and takes dd.mm.åååå, not the
browser's mm/dd/yyyy."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from oppdrag.activities import models as m
from oppdrag.core.demo import load_demo

from .test_browser import ARGS, CHROMIUM, axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def english_browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        browser.base = live_server.url  # type: ignore[attr-defined]
        yield browser
        browser.close()


def test_an_english_browser_is_told_in_bokmal_that_a_field_is_required(english_browser):
    load_demo(registries_only=True)
    page = english_browser.new_page(locale="en-US")
    page.base = english_browser.base
    sign_in(page)
    page.goto(page.base + "/napha/arrangementer/ny/")
    page.locator("#id_title").fill("")
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", name="Skjemaet har feil").is_visible()
    summary = page.locator(".ds-error-summary").inner_text()
    assert "Hva: Dette feltet er påkrevd." in summary
    assert "This field" not in page.content()


@pytest.mark.parametrize("name", WIDTHS)
def test_the_404_page_fits_the_screen_and_passes_axe(english_browser, name):
    # bypass_csp only so the test can inject axe-core; the app itself stays strict.
    viewport = {"width": WIDTHS[name], "height": 800}
    page = english_browser.new_page(locale="en-US", viewport=viewport, bypass_csp=True)
    response = page.goto(english_browser.base + "/finnes/ikke/her/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Fant ikke siden"
    assert page.get_by_role("link", name="Til forsiden").is_visible()
    page.screenshot(path=f"/tmp/404-{name}.png", full_page=True)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert axe_violations(page) == []


def test_an_english_browser_shows_and_takes_dates_as_dd_mm_yyyy(english_browser):
    load_demo(registries_only=True)
    event = (
        m.Event.objects.filter(center__slug="napha", year=2025, date_start__isnull=False)
        .filter(date_end__isnull=True)
        .order_by("date_start", "id")
        .first()
    )
    assert event is not None and event.date_start != dt.date(2025, 3, 15)
    # bypass_csp only so the test can inject axe-core; the app itself stays strict.
    context = english_browser.new_context(
        locale="en-US", extra_http_headers={"Accept-Language": "en-US"}, bypass_csp=True
    )
    page = context.new_page()
    page.base = english_browser.base
    sign_in(page)
    edit = f"{page.base}/napha/arrangementer/{event.uid}/endre/"
    page.goto(edit)
    assert page.evaluate("navigator.language") == "en-US"  # the browser does ask for English
    field = page.get_by_label("Dato", exact=True)
    assert field.input_value() == event.date_start.strftime("%d.%m.%Y")
    assert field.get_attribute("type") == "text"
    hint = page.locator("#" + field.get_attribute("aria-describedby").split()[-1])
    assert hint.is_visible() and hint.inner_text() == "dd.mm.åååå"
    assert axe_violations(page) == []

    title = page.locator("#id_title").input_value()
    field.fill("31.02.2025")
    page.get_by_role("button", name="Lagre", exact=True).click()
    summary = page.locator(".ds-error-summary").inner_text()
    assert "Dato: Oppgi en gyldig dato." in summary  # Norwegian, naming the field
    assert page.get_by_label("Dato", exact=True).input_value() == "31.02.2025"
    assert page.locator("#id_title").input_value() == title  # the rest is kept
    assert axe_violations(page) == []
    event.refresh_from_db()
    assert event.date_start != dt.date(2025, 2, 28)

    page.get_by_label("Dato", exact=True).fill("15.03.2025")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**/arrangementer/{event.uid}/")
    event.refresh_from_db()
    assert event.date_start == dt.date(2025, 3, 15)
    assert "15.03.2025" in page.locator("main").inner_text()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(edit)
    assert page.get_by_label("Dato", exact=True).input_value() == "15.03.2025"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert axe_violations(page) == []
    context.close()

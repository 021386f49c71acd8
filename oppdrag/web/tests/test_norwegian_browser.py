"""Bokmål in a real browser that asks for English: Debian's Chromium driven by Playwright."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

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

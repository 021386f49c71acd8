"""The staff interface on a 390 px wide phone: no sideways page scroll, a menu behind a
disclosure button that works by keyboard, and axe-clean pages in both widths."""

import pytest
from playwright.sync_api import Page

from oppdrag.web.registry import KINDS
from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in

__all__ = ["browser_page"]  # the fixture, used by name

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LISTS = [
    "/napha/",
    "/napha/?year=2025",
    "/napha/arrangementer/?year=2025",
    *(f"/napha/{slug}/?year=2025" for slug in KINDS if slug != "arrangementer"),
    "/napha/timer/2025/",
    "/napha/kommuner/?year=2025",
    "/napha/tilskudd/",
    "/napha/rapport/2025/",
    "/napha/evalueringer/",
    "/napha/personer/",
    "/napha/oppdrag/2025/",
]


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_dashboard_and_every_list_fit_a_390_px_phone(browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page)
    too_wide = {}
    for path in LISTS:
        page.goto(page.base + path)
        assert page.locator("main h1").count() == 1, path
        if page_width(page) > PHONE["width"]:
            too_wide[path] = page_width(page)
    assert too_wide == {}
    # A table wider than the phone scrolls inside its own box, which takes the keyboard.
    page.goto(page.base + "/napha/timer/2025/")
    box = page.locator(".table-scroll[aria-labelledby=vedlegg7]")
    assert box.first.evaluate("b => b.scrollWidth > b.clientWidth")
    assert box.first.get_attribute("tabindex") == "0"
    # The check can fail: a wide element outside a scroll box widens the page.
    page.evaluate(
        "document.querySelector('main').append(Object.assign(document.createElement('div'),"
        " {textContent: 'x'.repeat(400)}))"
    )
    assert page_width(page) > PHONE["width"]


def test_on_a_phone_the_menu_folds_behind_a_button_that_works_by_keyboard(browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page)
    menu = page.get_by_role("navigation", name="Hovedmeny")
    toggle = page.locator("summary", has_text="Meny")
    assert toggle.is_visible() and not menu.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Oversikt"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert not menu.is_visible()


def test_on_a_wide_screen_the_menu_is_open_without_a_button(browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    sign_in(page)
    assert page.get_by_role("navigation", name="Hovedmeny").is_visible()
    assert not page.locator("summary", has_text="Meny").is_visible()
    assert page.get_by_role("link", name="Oversikt").is_visible()


def test_the_year_switcher_works_by_keyboard_without_javascript_help(browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    sign_in(page)
    page.goto(page.base + "/napha/presentasjoner/")
    page.locator("#year-switch-year").select_option("2025")
    page.get_by_role("button", name="Vis året").press("Enter")
    page.wait_for_url("**/napha/presentasjoner/")
    assert page.locator("#year-switch-year").input_value() == "2025"
    page.goto(page.base + "/napha/")
    assert page.get_by_role("heading", level=1).inner_text() == "NAPHA – året 2025"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_shell_and_new_pages_pass_axe_in_both_widths(browser_page, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page)
    found = {}
    for path in [
        "/napha/?year=2025",
        "/napha/personer/",
        "/napha/oppdrag/2025/",
        "/napha/timer/2025/",
    ]:
        page.goto(page.base + path)
        found[path] = axe_violations(page)
    page.goto(page.base + "/napha/")
    if viewport is PHONE:
        page.locator("summary", has_text="Meny").click()
    found["menu open"] = axe_violations(page)
    assert found == {path: [] for path in found}

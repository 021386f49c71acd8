"""The key-figures pages in a real browser: axe-clean and fitting a 390 px phone, and the
choice made with the keyboard alone."""

import os
from pathlib import Path

import pytest

from oppdrag.figures.selection import selection_for
from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in

__all__ = ["browser_page"]  # the fixture, used by name

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = ["/napha/nokkeltall/2025/", "/napha/nokkeltall/2025/velg/"]
# Screenshots for a person to look at, only when asked for.
SHOTS = os.environ.get("OPPDRAG_SCREENSHOTS")


def test_the_pages_fit_a_phone_are_axe_clean_and_the_choice_works_by_keyboard(browser_page):
    from oppdrag.core.models import Center

    page = browser_page
    sign_in(page)
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in PAGES:
            page.goto(page.base + path)
            assert page.locator("main h1").count() == 1, path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
            found[(path, width)] = axe_violations(page)
            if SHOTS:
                name = path.strip("/").replace("/", "-")
                page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    assert all(v == [] for v in found.values()), found

    # Keyboard only: untick the first figure (networks) and save with Enter.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base + PAGES[1])
    box = page.locator("#id_show_networks")
    assert box.is_checked()
    box.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to its place field
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/nokkeltall/2025/")
    keys = selection_for(Center.objects.get(slug="napha"), 2025).keys
    assert "networks" not in keys and keys[0] == "networks_team_models"

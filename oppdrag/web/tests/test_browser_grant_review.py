"""The grant review in a real browser: dates as sentences, corrected with the keyboard,
axe-clean, a phone's width, and the draft found again after signing in anew."""

import pytest

from oppdrag.grants.models import GrantDate
from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["browser_page"]  # the fixture, used by name


def test_a_date_is_corrected_with_the_keyboard_and_the_draft_outlives_the_session(
    browser_page, reference_grant_letter
):
    page = browser_page
    sign_in(page)
    page.goto(page.base + "/napha/tilskudd/")
    page.set_input_files("#id_letter", str(reference_grant_letter))
    page.get_by_role("button", name="Les brevet").click()
    page.wait_for_url("**/tilskudd/utkast/**")
    review_url = page.url
    dates = page.locator("#datoer + p + ol > li")
    assert "Møte i april–mai 2026: Dialogmøte om måloppnåelse" in dates.nth(1).inner_text()
    summary = page.get_by_text("Endre eller fjern dato 2", exact=True)
    summary.focus()
    page.keyboard.press("Enter")  # opens the details
    page.get_by_label("Dato (eller periode under)").nth(1).fill("29.04.2026")
    page.get_by_label("Periode fra").nth(1).fill("")
    page.get_by_label("Periode til").nth(1).fill("")
    found = {"open": axe_violations(page)}
    page.get_by_role("button", name="Lagre dato 2").click()
    page.get_by_text("Møte 29.04.2026: Dialogmøte om måloppnåelse").wait_for()
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/entry-grant-review-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/entry-grant-review-1280.png", full_page=True)

    page.get_by_role("button", name="Logg ut").click()
    sign_in(page)
    page.goto(page.base + "/napha/tilskudd/")
    found["list"] = axe_violations(page)
    page.get_by_role("link", name=reference_grant_letter.name).click()
    assert page.url == review_url
    assert page.get_by_text("Møte 29.04.2026: Dialogmøte om måloppnåelse").is_visible()
    page.get_by_role("button", name="Lagre som årets tilskudd").click()
    page.wait_for_url("**/tilskudd/2026/")
    assert GrantDate.objects.filter(date__month=4, date__day=29, kind="meeting").exists()
    assert found == {"open": [], "list": []}

"""The lockout page in a real browser: what a person locked out reads, and axe-core on it."""

import pytest
from playwright.sync_api import expect

from oppdrag.web.tests.test_browser import axe_violations, browser_page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_person_locked_out_reads_in_norwegian_how_long_to_wait(browser_page):  # noqa: F811
    page = browser_page
    for _ in range(5):
        page.goto(page.base + "/logg-inn/")
        page.get_by_label("Brukernavn").fill("demo")
        page.get_by_label("Passord").fill("feil passord")
        page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="For mange mislykkede forsøk")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Vent 15 minutter før du prøver igjen.")
    assert axe_violations(page) == []

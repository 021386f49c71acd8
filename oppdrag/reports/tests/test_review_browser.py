"""The review, delivery and Word pages in Chromium: axe-clean, a 390 px phone without
sideways scroll, and a text approved with the keyboard by another user than its author."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, sync_playwright

from oppdrag.core.demo import load_demo
from oppdrag.core.models import Center, Membership
from oppdrag.core.services import add_member
from oppdrag.reports.models import AssessmentBlock
from oppdrag.web.tests.test_browser import ARGS, CHROMIUM, axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = {
    "slot_review": "/napha/rapport/2025/gjennomgang/foreword/",
    "slot_review_assignment": None,  # filled in with an assignment's slot key
    "submit": "/napha/rapport/2025/lever/",
    "word": "/napha/rapport/2025/word/last-opp/",
    "overview": "/napha/rapport/2025/",
    "dashboard": "/napha/?year=2025",
}


@pytest.fixture
def browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo(registries_only=True)
    from oppdrag.reports.demo import load_reports_demo

    napha = Center.objects.get(slug="napha")
    load_reports_demo(napha, get_user_model().objects.get(username="demo"))
    leader = get_user_model().objects.create_user(username="leder", password="leder-passord")
    add_member(center=napha, user=leader, role=Membership.Role.ADMIN)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        chromium.base = live_server.url  # type: ignore[attr-defined]
        yield chromium
        chromium.close()


def signed_in_page(browser, username: str, password: str) -> Page:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="nb-NO", bypass_csp=True)
    page.base = browser.base  # type: ignore[attr-defined]
    page.goto(page.base + "/logg-inn/")  # type: ignore[attr-defined]
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/napha/")
    return page


def widest(page: Page) -> list[str]:
    """The elements that reach past the window's right edge (to say what is too wide)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
          .filter(e => !e.closest('.table-scroll'))
          .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
    )


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_review_pages_pass_axe_and_fit_a_phone(browser):
    block = AssessmentBlock.objects.filter(center__slug="napha", assignment__isnull=False).first()
    pages = dict(PAGES)
    pages["slot_review_assignment"] = (
        f"/napha/rapport/2025/gjennomgang/assignment:{block.assignment.uid}:{block.kind}/"
    )
    page = signed_in_page(browser, "leder", "leder-passord")
    violations, too_wide = {}, []
    for name, path in pages.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(page.base + path)  # type: ignore[attr-defined]
        assert page.locator("h1").count() == 1, name
        violations[name] = axe_violations(page)
        page.set_viewport_size({"width": 390, "height": 844})
        if name == "dashboard":
            # The dashboard's other sections are other pages' work: its progress section fits.
            section = page.locator("section[aria-labelledby=rapporttekster]")
            if section.evaluate("e => e.getBoundingClientRect().right") > 390:
                too_wide.append((name, widest(page)))
        elif not no_sideways_scroll(page):
            too_wide.append((name, widest(page)))
            page.screenshot(path=f"/tmp/review-{name}-390.png", full_page=True)
    assert {name: found for name, found in violations.items() if found} == {}
    assert too_wide == [], repr(too_wide)


def test_another_user_approves_a_ready_text_with_the_keyboard(browser):
    foreword = AssessmentBlock.objects.get(center__slug="napha", section_key="foreword")
    assert foreword.status == "ready" and foreword.author.username == "demo"
    author = signed_in_page(browser, "demo", "demo")
    author.goto(author.base + PAGES["slot_review"])  # type: ignore[attr-defined]
    assert author.get_by_role("button", name="Godkjenn").count() == 0
    assert "kan ikke godkjenne den selv" in author.content()

    page = signed_in_page(browser, "leder", "leder-passord")
    page.goto(page.base + PAGES["slot_review"])  # type: ignore[attr-defined]
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Godkjenn":
            break
    else:
        pytest.fail("The approve button is not reached with the Tab key")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Status er satt til «Godkjent»." in page.content()
    foreword.refresh_from_db()
    assert foreword.status == "approved"

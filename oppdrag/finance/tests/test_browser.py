"""The finance pages in Chromium: axe-core clean, no sideways scroll on a 390 px phone,
Norwegian, and the ledger upload reached and used with the keyboard."""

import pytest
from playwright.sync_api import sync_playwright

from oppdrag.core.demo import load_demo
from oppdrag.core.models import Center
from oppdrag.finance.demo import load_finance_demo
from oppdrag.web.tests.test_browser import ARGS, CHROMIUM, axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = [
    "",
    "budsjett/",
    "budsjett/ny/",
    "budsjett/last-opp/",
    "regnskap/",
    "koblinger/",
    "tilskuddsgiver/",
    "revisor/",
    "innstillinger/",
]


@pytest.fixture
def pages(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo(registries_only=True)
    load_finance_demo(Center.objects.get(slug="napha"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        made = []

        def page(width):
            context = browser.new_context(
                locale="en-GB", viewport={"width": width, "height": 900}, bypass_csp=True
            )
            made.append(context)
            new = context.new_page()
            new.base = live_server.url  # type: ignore[attr-defined]
            return new

        yield page
        for context in made:
            context.close()
        browser.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_every_finance_page_passes_axe_and_fits_the_screen(pages, width):
    page = pages(width)
    sign_in(page)
    problems = {}
    for path in PAGES:
        page.goto(f"{page.base}/napha/okonomi/2025/{path}")
        violations = axe_violations(page)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if violations or overflow > 0:
            problems[path] = (violations, overflow)
    assert problems == {}
    page.goto(f"{page.base}/napha/okonomi/2025/")
    assert "Eksempeldata" in page.content()  # the demo's money is marked as generated
    assert page.get_by_role("heading", level=1).inner_text() == "Budsjett mot regnskap 2025"


def test_the_ledger_form_is_reached_and_sent_with_the_keyboard(pages, tmp_path):
    page = pages(1280)
    sign_in(page)
    page.goto(f"{page.base}/napha/okonomi/2025/regnskap/")
    path = tmp_path / "hovedbok.csv"
    path.write_text("Dato;Konto;Prosjekt;Tekst;Beløp\n05.03.2025;9999;;x;1\n", encoding="utf-8")
    page.get_by_label("Fil fra regnskapssystemet (CSV eller XLSX)").set_input_files(str(path))
    page.get_by_label("Perioden fra").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_end"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    alert = page.get_by_role("alert").inner_text()
    assert "rad 2" in alert and "«9999»" in alert and "Ingenting er lagret" in alert

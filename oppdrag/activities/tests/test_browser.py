"""Every kind in a real browser: register (after a bad value), change, delete, restore.

Runs Debian's Chromium through Playwright against the live server with the NAPHA
demo, checks each new page with axe-core, and counts what registering an advice
request costs a practised user in keystrokes and page loads.
"""

from typing import Any

import pytest
from playwright.sync_api import Page

from oppdrag.activities import models as m
from oppdrag.web.registry import KINDS
from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in

__all__ = ["browser_page"]  # the fixture, imported for the tests below

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Per kind: the fields to fill (by id; selects by value), the field given a bad
# value first with the bad and the good value, and the text the detail page's
# heading shows.
FILLS = {
    "arrangementer": (
        {"theme": "Rus", "title": "Nettleserdag", "participants": "12", "format": "Digital"},
        ("date_start", "05.05.2024", "05.05.2025"),
        "Nettleserdag",
    ),
    "presentasjoner": (
        {"title": "Nettleserforedrag", "kind": "Foredrag", "contributors": "Kari Nordmann"},
        ("date", "05.05.2024", "05.05.2025"),
        "Nettleserforedrag",
    ),
    "kronikker": (
        {"title": "Nettleserkronikk", "kind": "Kronikk", "outlet": "Avisa"},
        ("date", "05.05.2024", "05.05.2025"),
        "Nettleserkronikk",
    ),
    "horingsinnspill": (
        {"title": "Nettleserhøring"},
        ("date", "05.05.2024", "05.05.2025"),
        "Nettleserhøring",
    ),
    "produkter": (
        {"title": "Nettleserrapport", "kind": "Rapport"},
        ("date", "05.05.2024", "05.05.2025"),
        "Nettleserrapport",
    ),
    "medieoppslag": (
        {"person": "Kari Nordmann", "title": "Nettleserintervju", "outlet": "NRK"},
        ("date", "05.05.2024", "05.05.2025"),
        "Nettleserintervju",
    ),
    "grupper": (
        {"kind": "nettverk", "role": "leder"},
        ("name", "", "Nettlesernettverket"),
        "Nettlesernettverket",
    ),
    "nettsaker": (
        {"title": "Nettlesersak", "category": "nyhet", "visits": "5"},
        ("date", "05.05.2024", "05.05.2025"),
        "Nettlesersak",
    ),
    "henvendelser": (
        {"topic": "Nettleserspørsmål", "channel": "telefon", "minutes": "15"},
        ("date", "05.05.2024", "05.05.2025"),
        "Nettleserspørsmål",
    ),
    "temasider": (
        {"name": "Nettlesertema", "url": "https://napha.no/tema/nettleser"},
        ("visits", "-5", "1200"),
        "Nettlesertema",
    ),
}
# The field changed on the edit form: the centre's number, or the link of a topic page
# (which has none).
EDITS = {"temasider": ("url", "https://napha.no/tema/endret")}


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = page.locator(f"#id_{name}")
        if field.evaluate("node => node.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_kind_is_registered_changed_deleted_and_restored_in_the_browser(browser_page, kind):
    page = browser_page
    sign_in(page)
    values, (bad_field, bad, good), title = FILLS[kind]
    page.goto(f"{page.base}/napha/{kind}/ny/?year=2025")
    violations = {"form": axe_violations(page)}
    page.locator("#id_year").fill("2025")
    fill(page, {**values, bad_field: bad})
    page.get_by_role("button", name="Lagre", exact=True).click()

    summary = page.locator(".ds-error-summary").inner_text()
    label = page.locator(f"label[for=id_{bad_field}]").inner_text().rstrip(" *")
    assert label in summary  # the message names the field …
    kept = next(iter(values))
    assert page.locator(f"#id_{kept}").input_value() == values[kept]  # … and keeps the rest
    violations["form_with_errors"] = axe_violations(page)
    fill(page, {bad_field: good})
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert heading(page) == title
    violations["detail"] = axe_violations(page)
    model = KINDS[kind].model
    uid = page.url.rstrip("/").rsplit("/", 1)[-1]
    record: Any = model._default_manager.get(center__slug="napha", uid=uid)

    edited, value = EDITS.get(kind, ("ref", "B-1"))
    page.get_by_role("link", name="Endre", exact=True).click()
    violations["edit"] = axe_violations(page)
    page.locator(f"#id_{edited}").fill(value)
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert heading(page) == title
    record.refresh_from_db()
    assert getattr(record, edited) == value

    page.get_by_role("link", name="Slett", exact=True).click()
    assert heading(page) == f"Slette «{title}»?"
    violations["delete"] = axe_violations(page)
    page.get_by_role("button", name="Slett", exact=True).click()
    assert f"«{title}» er slettet" in page.get_by_role("status").first.inner_text()
    assert not model._default_manager.filter(pk=record.pk).exists()

    page.get_by_role("link", name="Slettede", exact=True).click()
    violations["deleted"] = axe_violations(page)
    page.get_by_role("button", name=f"Gjenopprett «{title}»").click()
    assert heading(page) == title
    restored: Any = model._default_manager.get(uid=record.uid)
    assert getattr(restored, edited) == value
    assert violations == {name: [] for name in violations}


class Counted:
    """A keyboard that counts the keys pressed."""

    def __init__(self, page: Page):
        self.page, self.keys = page, 0

    def press(self, key: str) -> None:
        self.keys += 1
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.keys += len(text)
        self.page.keyboard.type(text, delay=20)


# Keystroke-level model (Card, Moran & Newell): a practised typist's keystroke,
# a moment of thought before each field, and a page load on a busy office network.
KEYSTROKE_SECONDS, THINK_SECONDS, LOAD_SECONDS = 0.28, 1.35, 2.0


def test_an_advice_request_takes_a_practised_user_under_30_seconds(browser_page):
    page = browser_page
    sign_in(page)
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    page.goto(f"{page.base}/napha/henvendelser/")
    page.get_by_role("link", name="Registrer henvendelse").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "id_asker_kind"
    keyboard = Counted(page)
    # Who asked, the municipality, the topic, the channel, the minutes; the date
    # starts as today. Letters typed on a select choose the option they begin.
    answers = ["kom", "bod", "ACT", "t", "20"]
    for position, text in enumerate(answers):
        if position:
            keyboard.press("Tab")
        keyboard.type(text)
    keyboard.press("Enter")
    page.wait_for_url("**/henvendelser/*-*/")

    request = m.AdviceRequest.objects.get(center__slug="napha", topic="ACT")
    assert (request.asker_kind, request.municipality.name, request.channel) == (
        "kommune",
        "Bodø",
        "telefon",
    )
    assert request.minutes == 20 and request.date is not None
    page_loads = len(loads) - 1  # the list page a user starts from
    seconds = (
        keyboard.keys * KEYSTROKE_SECONDS + len(answers) * THINK_SECONDS + page_loads * LOAD_SECONDS
    )
    assert (keyboard.keys, page_loads) == (17, 2)
    assert seconds < 30


def test_the_forms_fit_a_phone_without_sideways_scrolling(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    widths = {}
    for kind in ("arrangementer", "henvendelser", "presentasjoner"):
        page.goto(f"{page.base}/napha/{kind}/ny/")
        widths[kind] = page.evaluate("document.documentElement.scrollWidth")
    page.goto(f"{page.base}/napha/presentasjoner/slettede/")
    widths["deleted"] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == {name: 390 for name in widths}

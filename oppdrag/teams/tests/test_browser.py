"""The team pages in a real browser (Debian's Chromium driven by Playwright): a fidelity
review registered through the form shows the same scores in the team's chart as in
``oppdrag figures --json``; every page passes axe-core, fits a 390 px phone and works
from the keyboard."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from oppdrag.core.models import Center
from oppdrag.teams import services
from oppdrag.teams.models import FidelityReview, PilotProject
from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in

from .factories import all_items, dacts, model_type, municipality, team

__all__ = ["browser_page"]  # the fixture, shared with the web app's browser tests

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READY = {"agreement_signed_on": dt.date(2025, 3, 1), "dpo_approved_on": dt.date(2025, 4, 1)}


def napha() -> Center:
    return Center.objects.get(slug="napha")


def figures_json(year: int) -> dict:
    out = io.StringIO()
    call_command("figures", str(year), "--center", "napha", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_review_registered_in_the_browser_has_the_same_scores_in_the_chart_and_figures(
    browser_page,
):
    page = browser_page
    center = napha()
    version = dacts(center)
    codes = version.parsed().item_codes
    team(center, "FACT Salten", municipalities=("Bodø", "Saltdal"))
    sign_in(page)

    page.get_by_role("link", name="Team", exact=True).first.click()
    page.get_by_role("link", name="FACT Salten").click()
    page.get_by_role("link", name="Registrer fidelitymåling").click()
    page.locator("#id_date").fill("15.09.2025")
    page.locator("#id_status").select_option("completed")
    page.locator("#id_agreement_signed_on").fill("01.06.2025")
    page.locator("#id_dpo_approved_on").fill("15.06.2025")
    page.locator("#id_r1_name").fill("Kari Bedømmer")
    page.locator("#id_r2_name").fill("Ola Bedømmer")
    consensus = {}
    for index, code in enumerate(codes):
        page.get_by_label(re.compile(rf"^{code} .*, bedømmer 1$")).fill(str(1 + index % 5))
        page.get_by_label(re.compile(rf"^{code} .*, bedømmer 2$")).fill(str(1 + (index + 1) % 5))
        value = 1 + (index + 2) % 5
        page.get_by_label(re.compile(rf"^{code} .*, konsensus$")).fill(str(value))
        consensus[code] = float(value)
    page.get_by_label(re.compile(r"^H1 .*, kommentar$")).fill("Godt i gang")
    page.get_by_role("button", name="Lagre målingen").click()
    page.wait_for_url("**/malinger/*/")
    assert "Fidelitymålingen er registrert." in page.get_by_role("status").inner_text()

    review = FidelityReview.objects.get(team__name="FACT Salten")
    [figured] = [s for s in figures_json(2025)["teams"]["fidelity_reviews"]["scores"]]
    assert figured["items"] == consensus
    assert figured["date"] == "2025-09-15" and review.raters.count() == 2

    page.get_by_role("link", name="FACT Salten").click()
    chart_total = page.locator("svg .chart-total").all_text_contents()
    assert chart_total == [f"{figured['total']:g}".replace(".", ",")]
    page.get_by_text("Vis tallene som tabell").click()
    for code, value in figured["items"].items():
        cell = page.locator(f'tr[data-item="{code}"] td').inner_text()
        assert cell == f"{value:g}".replace(".", ","), code
    total = page.locator("tr.total td").inner_text()
    assert total == f"{figured['total']:g}".replace(".", ",")


def test_every_team_page_passes_axe_and_fits_a_phone(browser_page):
    page = browser_page
    center = napha()
    salten = team(center, "FACT Salten", municipalities=("Bodø", "Saltdal"))
    version = dacts(center)
    partner = Center.objects.create(slug="rvts-ost", name="RVTS Øst")
    for day, value, shared in ((dt.date(2023, 5, 1), 3, []), (dt.date(2025, 5, 1), 4, [partner])):
        services.record_review(
            center=center,
            team=salten,
            date=day,
            scale_version=version,
            consensus=all_items(version, value),
            raters=[services.RaterInput("Kari", scores=all_items(version, value))],
            status="completed",
            shared_with=shared,
            **READY,
        )
    pilot = services.register_pilot(
        center=center,
        data=services.PilotData(
            model_type=model_type("fact"),
            name="Forprosjekt Lofoten",
            grant_years=[2025],
            municipalities=[municipality("Vågan")],
        ),
    )
    review = salten.reviews.order_by("-date").first()
    sign_in(page)
    paths = {
        "team_list": "/napha/team/",
        "team_detail": f"/napha/team/{salten.uid}/",
        "team_form": "/napha/team/ny/",
        "team_edit": f"/napha/team/{salten.uid}/endre/",
        "review_form": f"/napha/team/{salten.uid}/ny-maling/",
        "review_detail": f"/napha/malinger/{review.uid}/",
        "review_edit": f"/napha/malinger/{review.uid}/endre/",
        "review_delete": f"/napha/malinger/{review.uid}/slett/",
        "reviews_deleted": "/napha/malinger/slettede/",
        "pilot_list": "/napha/pilotprosjekter/",
        "pilot_detail": f"/napha/pilotprosjekter/{pilot.uid}/",
        "pilot_form": "/napha/pilotprosjekter/ny/",
    }
    violations, too_wide = {}, {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in paths.items():
            page.goto(page.base + path)  # type: ignore[attr-defined]
            assert page.locator("html").get_attribute("lang") == "nb"
            if width == 1280:
                found = axe_violations(page)
                if found:
                    violations[name] = found
            else:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > 390:
                    too_wide[name] = scroll
    assert violations == {}
    assert too_wide == {}
    # A refused form is a page too: its error summary must pass as well.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base + paths["review_form"])  # type: ignore[attr-defined]
    page.locator("#id_date").fill("01.01.2019")
    page.get_by_role("button", name="Lagre målingen").click()
    assert "før teamet startet" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []
    assert PilotProject.objects.count() == 1 and salten.reviews.count() == 2


def test_a_team_is_registered_and_closed_with_the_keyboard_alone(browser_page):
    page: Page = browser_page
    sign_in(page)
    page.goto(page.base + "/napha/team/ny/")  # type: ignore[attr-defined]
    page.locator("#id_model_type").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("FACT Tastatur")
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_start_date"
    page.locator("#id_start_date").fill("01.01.2024")
    page.locator("#id_start_date").press("Enter")  # submits the form from a field
    page.wait_for_url(re.compile(r".*/team/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "FACT Tastatur"

    page.locator("#id_status_status").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_status_valid_from"
    page.locator("#id_status_status").select_option("closed")
    page.locator("#id_status_valid_from").fill("30.06.2025")
    page.locator("#id_status_note").focus()
    page.keyboard.type("Lagt ned etter vedtak")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Registrer status"
    # The form posts to the page it is on: wait for the new page, not the old one's state.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Statusen er registrert." in page.get_by_role("status").inner_text()
    assert "Avviklet" in page.locator("#statushistorikk + div table").inner_text()

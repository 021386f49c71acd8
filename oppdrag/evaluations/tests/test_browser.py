"""The public answer page and the staff pages in Chromium (Playwright).

A participant answers on a phone-sized viewport, with and without JavaScript; axe-core
(WCAG 2.1 A and AA) runs on every template this app adds.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, sync_playwright

from oppdrag.activities.models import Event
from oppdrag.core.demo import load_demo
from oppdrag.core.models import Center
from oppdrag.evaluations import services
from oppdrag.evaluations.models import Response, Survey
from oppdrag.teams.models import ServiceTeam, TeamModelType
from oppdrag.web.tests.test_browser import ARGS, AXE, CHROMIUM, sign_in

from .test_figures import answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 375, "height": 740}


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert result["passes"], "axe-core ran no checks"
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


@pytest.fixture
def setup(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium")
    load_demo(registries_only=True)
    center = Center.objects.get(slug="napha")
    event = Event.objects.filter(center=center, year=2025).order_by("id").first()
    survey = services.attach_evaluation(
        center=center,
        questionnaire=services.standard_questionnaire(),
        event=event,
        closes_on=timezone.localdate() + dt.timedelta(days=30),
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser, live_server.url, survey
        browser.close()


def answer_on_phone(page: Page, base: str, survey: Survey) -> None:
    page.goto(f"{base}/svar/{survey.token}/")
    assert page.get_by_role("heading", level=1).inner_text() == survey.title
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Send svar").click()
    assert page.get_by_role("alert").is_visible()
    assert "Svar på dette spørsmålet." in page.get_by_role("alert").inner_text()
    page.get_by_label("4 – Relevant", exact=True).check()
    page.get_by_label("5 – Svært nyttig").check()
    page.get_by_label("4 – God", exact=True).check()
    page.get_by_label("5 – Absolutt", exact=True).check()
    page.get_by_label("Hva bør vi endre eller gjøre bedre?").fill("Lengre pauser.")
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_url("**/takk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Takk for svaret!"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_participant_answers_on_a_phone(setup, javascript):
    browser, base, survey = setup
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="nb-NO",
        java_script_enabled=javascript, bypass_csp=True,
    )  # fmt: skip
    page = context.new_page()
    answer_on_phone(page, base, survey)
    assert Response.objects.filter(survey=survey).count() == 1
    values = sorted(
        Response.objects.get(survey=survey).answers.values_list("number", flat=True),
        key=lambda v: (v is None, v),
    )
    assert values == [4.0, 4.0, 5.0, 5.0, None]
    # The same device is told it has answered.
    page.goto(f"{base}/svar/{survey.token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Du har allerede svart"
    context.close()


def test_axe_finds_no_violations_on_the_evaluation_pages(setup):
    browser, base, survey = setup
    center = survey.center
    for _ in range(6):
        answer(survey, {"relevance": 4, "usefulness": 5, "quality": 3, "recommend": 4})
    rph = TeamModelType.objects.get(code="rph")
    ServiceTeam.objects.create(center=center, model_type=rph, name="RPH Testby")
    team = services.send_team_survey(
        center=center, questionnaire=services.standard_questionnaire(), team_type=rph,
        year=2025, title="RPH 2025",
    )  # fmt: skip
    pages: dict[str, list] = {}
    phone = browser.new_context(viewport=PHONE, locale="nb-NO", bypass_csp=True).new_page()
    phone.goto(f"{base}/svar/{survey.token}/")
    pages["public_form"] = axe_violations(phone)
    phone.get_by_role("button", name="Send svar").click()
    pages["public_form_with_errors"] = axe_violations(phone)
    phone.goto(f"{base}/svar/finnes-ikke/")
    pages["public_message"] = axe_violations(phone)

    page = browser.new_page(locale="nb-NO", bypass_csp=True)
    page.base = base  # type: ignore[attr-defined]
    sign_in(page)
    page.get_by_role("link", name="Evalueringer").click()
    urls = {
        "list": "/napha/evalueringer/?ar=2025",
        "survey": f"/napha/evalueringer/{survey.uid}/",
        "team_survey": f"/napha/evalueringer/{team.uid}/",
        "results": "/napha/evalueringer/resultater/2025/",
        "attach_form": "/napha/evalueringer/ny/?ar=2025",
        "questionnaire": f"/napha/evalueringer/skjema/{services.standard_questionnaire().uid}/",
        "questionnaire_form": "/napha/evalueringer/skjema/ny/",
    }
    for name, url in urls.items():
        page.goto(base + url)
        pages[name] = axe_violations(page)
    page.goto(base + urls["survey"])
    assert page.locator("figure.chart svg").count() >= 2
    assert page.locator(".qr img").evaluate("img => img.naturalWidth") > 0
    assert {name: v for name, v in pages.items() if v} == {}

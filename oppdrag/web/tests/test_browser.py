"""The staff interface in a real browser: Debian's Chromium driven by Playwright.

Signs in, registers an event, filters the list, downloads the export, runs axe-core
(WCAG 2.1 A and AA rules) on every page template, moves through a page with the
keyboard alone, and saves one event from two sessions.
"""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, sync_playwright

from oppdrag.activities import models as m
from oppdrag.core.demo import load_demo
from oppdrag.grants.tests import letters

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[3] / "tests" / "vendor" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# The live server needs committed data; serialized rollback restores the reference
# data (loaded by a migration) after each test's flush, for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses
    # to run inside one unless told the test knows what it is doing.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium")
    load_demo(registries_only=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # bypass_csp only so the test can inject axe-core; the app itself stays strict.
        page = browser.new_page(locale="nb-NO", accept_downloads=True, bypass_csp=True)
        page.base = live_server.url  # type: ignore[attr-defined]
        yield page
        browser.close()


def sign_in(page: Page) -> None:
    page.goto(page.base + "/logg-inn/")  # type: ignore[attr-defined]
    page.get_by_label("Brukernavn").fill("demo")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/napha/")


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


def test_a_user_signs_in_registers_filters_and_downloads(browser_page, tmp_path):
    page = browser_page
    sign_in(page)
    # The dashboard opens at the year in view: this year until another is chosen.
    this_year = timezone.localdate().year
    assert page.get_by_role("heading", level=1).inner_text() == f"NAPHA – året {this_year}"

    page.get_by_role("link", name="Arrangementer").first.click()
    page.get_by_role("link", name="Registrer arrangement").click()
    # Required fields' labels end in a star, so fields are found by their ids.
    page.locator("#id_year").fill("2025")
    page.locator("#id_theme").fill("Boligsosialt arbeid")
    page.locator("#id_title").fill("Fagdag i nettleseren")
    page.get_by_label("Dato", exact=True).fill("20.11.2025")
    page.get_by_label("Antall deltakere").fill("42")
    page.get_by_label("Fysisk/digital").select_option("Digital")
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fagdag i nettleseren"
    assert m.Event.objects.filter(title="Fagdag i nettleseren", participants=42).exists()

    page.get_by_role("link", name="Arrangementer").first.click()
    page.get_by_label("Søk").fill("nettleseren")
    page.get_by_role("button", name="Filtrer").click()
    assert "1 arrangement" in page.get_by_role("status").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "eksport.csv"
    download_info.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Nr;Tema;Hva")
    assert "Fagdag i nettleseren" in text and len(text.splitlines()) == 2


def test_every_page_template_passes_axe_wcag_21_aa(browser_page, tmp_path):
    page = browser_page
    page.goto(page.base + "/logg-inn/")
    pages = {"login": axe_violations(page)}
    page.goto(page.base + "/glemt-passord/")
    pages["password_reset"] = axe_violations(page)
    sign_in(page)
    event = m.Event.objects.filter(center__slug="napha").first()
    group = m.Group.objects.filter(center__slug="napha").first()
    for name, path in {
        "dashboard": "/napha/",
        "event_list": "/napha/arrangementer/",
        "event_form": "/napha/arrangementer/ny/",
        "event_detail": f"/napha/arrangementer/{event.uid}/",
        "kind_list": "/napha/presentasjoner/",
        "kind_detail": f"/napha/grupper/{group.uid}/",
        "upload": "/napha/horingsinnspill/last-opp/",
        "grant_list": "/napha/tilskudd/",
        "report_overview": "/napha/rapport/2025/",
        "reach": "/napha/kommuner/",
        "hours": "/napha/timer/2025/",
    }.items():
        page.goto(page.base + path)
        pages[name] = axe_violations(page)
    # The grant review page, with a letter read into a draft.
    page.goto(page.base + "/napha/tilskudd/")
    page.set_input_files("#id_letter", str(letters.write(tmp_path)))
    page.get_by_role("button", name="Les brevet").click()
    page.wait_for_url("**/tilskudd/utkast/**")
    pages["grant_review"] = axe_violations(page)
    page.get_by_role("button", name="Lagre som årets tilskudd").click()
    page.wait_for_url("**/tilskudd/2027/")
    pages["grant_detail"] = axe_violations(page)
    page.goto(page.base + "/napha/kommuner/")
    page.screenshot(path="/tmp/reach.png", full_page=False)
    page.goto(page.base + "/napha/tilskudd/2027/videreforing/")
    pages["grant_carry_forward"] = axe_violations(page)
    page.screenshot(path="/tmp/grant-detail.png", full_page=True)
    assert pages == {name: [] for name in pages}
    # The check can fail: an image without a text alternative is reported.
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]


def test_the_skip_link_is_the_first_stop_for_the_keyboard(browser_page):
    page = browser_page
    sign_in(page)
    page.goto(page.base + "/napha/arrangementer/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innhold"


def sign_in_as(page: Page, username: str, landing: str) -> None:
    page.goto(page.base + "/logg-inn/")  # type: ignore[attr-defined]
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(username)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**" + landing)


def test_submission_grantor_and_partner_pages_work_and_pass_axe(browser_page):
    """The centre admin delivers the report; the grantor and a partner read their pages."""
    import datetime as dt

    from oppdrag.core.models import Center
    from oppdrag.teams import services as team_services
    from oppdrag.teams.tests.factories import all_items, dacts, team

    napha = Center.objects.get(slug="napha")
    version = dacts(napha)
    review = team_services.record_review(
        center=napha,
        team=team(napha, "FACT Bodø"),
        date=dt.date(2025, 5, 10),
        scale_version=version,
        consensus=all_items(version, 4),
        status="completed",
        agreement_signed_on=dt.date(2025, 3, 1),
        dpo_approved_on=dt.date(2025, 4, 1),
        shared_with=[Center.objects.get(slug="korus-ost")],
    )
    page = browser_page
    pages = {}
    sign_in(page)
    page.goto(page.base + "/napha/rapport/2025/")
    # Delivery asks for a confirmation on a page of its own first.
    page.get_by_role("link", name="Lever rapport").click()
    pages["report_submit_confirmation"] = axe_violations(page)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Lever rapport").click()
    assert "Årsrapporten for 2025 er levert (versjon 1)." in page.get_by_role("status").inner_text()
    pages["report_overview_submitted"] = axe_violations(page)
    page.goto(page.base + "/napha/delt/")
    pages["shared_list_empty"] = axe_violations(page)
    page.get_by_role("button", name="Logg ut demo").click()

    sign_in_as(page, "demo-hdir", "/hdir/innsendte/")
    pages["submitted_list"] = axe_violations(page)
    page.get_by_role("link", name="Sammenlign nøkkeltall").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nøkkeltall i innsendte rapporter"
    assert "NAPHA" in page.locator("tbody").inner_text()
    pages["submitted_comparison"] = axe_violations(page)
    page.get_by_role("link", name="Innsendte rapporter").first.click()
    page.get_by_role("link", name="Les NAPHA 2025").click()
    assert "Årsrapport" in page.get_by_role("heading", level=1).inner_text()
    page.goto(page.base + "/hdir/innsendte/")
    page.get_by_role("button", name="Logg ut demo-hdir").click()

    sign_in_as(page, "demo-partner", "/korus-ost/delt/")
    pages["shared_list"] = axe_violations(page)
    page.get_by_role("link", name="FACT Bodø").click()
    assert "Fidelitymåling av FACT Bodø" in page.get_by_role("heading", level=1).inner_text()
    pages["shared_review"] = axe_violations(page)
    page.get_by_role("link", name="Delt med oss").first.click()
    group = page.locator("tbody").nth(1).get_by_role("link").first
    group.click()
    assert page.get_by_role("heading", level=1).inner_text()
    pages["shared_group"] = axe_violations(page)
    # Everything else of the centre is closed to the partner.
    assert page.goto(page.base + "/korus-ost/").status == 403
    assert page.goto(page.base + f"/napha/delt/malinger/{review.uid}/").status == 404
    assert pages == {name: [] for name in pages}


def test_municipalities_and_organisers_are_chosen_by_typing_and_the_keyboard(browser_page):
    page = browser_page
    sign_in(page)
    page.goto(page.base + "/napha/arrangementer/ny/")  # type: ignore[attr-defined]
    page.locator("#id_year").fill("2025")
    page.locator("#id_theme").fill("Boligsosialt arbeid")
    page.locator("#id_title").fill("Fagdag med kommunesøk")
    page.get_by_label("Dato", exact=True).fill("02.10.2025")
    # The label now names the search field; the select is hidden but still submitted.
    municipalities = page.get_by_role("combobox", name="Kommuner")
    assert page.locator("#id_municipalities").is_hidden()
    municipalities.press_sequentially("bod", delay=50)
    listbox = page.get_by_role("listbox", name="Kommuner")
    listbox.get_by_role("option").first.wait_for()
    assert municipalities.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    active = municipalities.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").inner_text().startswith("Bodø")
    page.keyboard.press("Enter")  # chooses, does not submit
    assert page.get_by_role("button", name="Fjern Bodø").is_visible()
    assert municipalities.input_value() == ""
    # Escape closes an open list without choosing.
    municipalities.press_sequentially("tromsø", delay=50)
    listbox.get_by_role("option").first.wait_for()
    axe_open = axe_violations(page)
    page.keyboard.press("Escape")
    assert municipalities.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("button", name="Fjern Tromsø").count()
    # Text left in the field would be taken on saving (typed names are never dropped);
    # a second Escape empties it.
    page.keyboard.press("Escape")
    assert municipalities.input_value() == ""

    organizers = page.get_by_role("combobox", name="Arrangører")
    organizers.press_sequentially("bufdir", delay=50)
    page.get_by_role("listbox", name="Arrangører").get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Fjern Barne- og familiedirektoratet").is_visible()
    axe_form = axe_violations(page)
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fagdag med kommunesøk"
    event = m.Event.objects.get(title="Fagdag med kommunesøk")
    assert [mu.name for mu in event.municipalities.all()] == ["Bodø"]
    assert [o.name for o in event.organizers.all()] == ["Barne- og familiedirektoratet"]
    assert axe_open == [] and axe_form == []


def test_without_javascript_a_municipality_typed_by_name_registers(browser_page):
    """The search-as-you-type select holds only the chosen options; without script a
    text field takes a name, which the form resolves."""
    page = browser_page
    context = page.context.browser.new_context(java_script_enabled=False, locale="nb-NO")
    plain = context.new_page()
    plain.base = page.base  # type: ignore[attr-defined]
    sign_in(plain)
    plain.goto(plain.base + "/napha/arrangementer/ny/")  # type: ignore[attr-defined]
    assert plain.get_by_role("combobox", name="Kommuner").count() == 0
    plain.locator("#id_year").fill("2025")
    plain.locator("#id_theme").fill("Rus")
    plain.locator("#id_title").fill("Fagdag uten skript")
    plain.get_by_label("Dato", exact=True).fill("03.10.2025")
    assert plain.locator("#id_municipalities option").count() == 0
    plain.locator("#id_municipalities-uten-skript").fill("Bodø")
    plain.get_by_role("button", name="Lagre", exact=True).click()
    event = m.Event.objects.get(title="Fagdag uten skript")
    assert [mu.name for mu in event.municipalities.all()] == ["Bodø"]
    context.close()


def test_two_editors_saving_one_event_see_each_others_change(browser_page):
    """Two browser sessions edit one event: the second save shows the first's change."""
    event = m.Event.objects.filter(center__slug="napha", participants__isnull=False).first()
    edit = f"{browser_page.base}/napha/arrangementer/{event.uid}/endre/"
    first = browser_page
    second = first.context.browser.new_page(locale="nb-NO")
    second.base = first.base  # type: ignore[attr-defined]
    for page in (first, second):
        sign_in(page)
        page.goto(edit)

    first.locator("#id_title").fill("Ny tittel fra den første")
    first.get_by_role("button", name="Lagre", exact=True).click()
    assert first.get_by_role("heading", level=1).inner_text() == "Ny tittel fra den første"
    second.get_by_label("Antall deltakere").fill("321")
    second.get_by_role("button", name="Lagre", exact=True).click()

    summary = second.get_by_role("alert").inner_text()
    assert "Noen andre har lagret endringer" in summary
    assert "Hva: «Ny tittel fra den første»" in summary
    assert second.get_by_label("Antall deltakere").input_value() == "321"  # kept
    event.refresh_from_db()
    assert event.title == "Ny tittel fra den første" and event.participants != 321

    second.locator("#id_title").fill("Ny tittel fra den første")  # takes the change in
    second.get_by_role("button", name="Lagre", exact=True).click()
    assert second.get_by_role("heading", level=1).inner_text() == "Ny tittel fra den første"
    event.refresh_from_db()
    assert (event.title, event.participants) == ("Ny tittel fra den første", 321)
    second.context.close()

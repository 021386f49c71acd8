"""Group meetings and the upload preview in a real browser: axe-clean, keyboard-operable,
and a 390 px wide phone without sideways page scroll."""

import pytest

from oppdrag.activities import models as m
from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in
from tests.files import write_table

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["browser_page"]  # the fixture, used by name


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_meeting_is_registered_changed_and_deleted_from_the_group_page(browser_page):
    page = browser_page
    sign_in(page)
    group = m.Group.objects.filter(center__slug="napha").first()
    group_url = f"{page.base}/napha/grupper/{group.uid}/"
    page.goto(group_url)
    page.get_by_role("link", name="Registrer møte").click()
    found = {"form": axe_violations(page)}
    page.get_by_label("Dato").fill(f"04.03.{group.year}")
    page.get_by_label("Fysisk/digital").select_option("Digital")
    page.get_by_label("Antall deltakere").fill("12")
    page.get_by_label("Antall deltakere").press("Enter")  # a plain form: Enter submits
    page.wait_for_url(group_url)
    assert page.get_by_text(f"04.03.{group.year}").first.is_visible()
    found["group"] = axe_violations(page)
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path="/tmp/entry-group-390.png", full_page=True)
    assert no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=f"Endre møtet 04.03.{group.year}").click()
    page.get_by_label("Antall deltakere").fill("14")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(group_url)
    assert m.GroupMeeting.objects.get(group=group, date__month=3, date__day=4).participants == 14
    page.get_by_role("link", name=f"Slett møtet 04.03.{group.year}").click()
    found["delete"] = axe_violations(page)
    page.get_by_role("button", name="Slett møtet").click()
    page.wait_for_url(group_url)
    assert not m.GroupMeeting.objects.filter(group=group, date__month=3, date__day=4).exists()
    assert found == {"form": [], "group": [], "delete": []}


def test_the_upload_preview_filters_to_flagged_rows_and_fits_a_phone(browser_page, tmp_path):
    page = browser_page
    sign_in(page)
    page.goto(page.base + "/napha/horingsinnspill/last-opp/")
    table = [["Dato", "Tittel"]] + [[f"{n:02d}.12.2025", f"Innspill {n}"] for n in range(1, 9)]
    table.append(["31.11.2025", "Feil dato"])
    page.set_input_files("#id_file", str(write_table(tmp_path, "innspill.csv", table)))
    page.locator("#id_year").fill("2025")
    page.get_by_role("button", name="Kontroller filen").click()
    page.get_by_role("heading", name="innspill.csv har 1 problem. Ingenting er lagret.").wait_for()
    assert page.locator("#rad-2").is_visible() and page.locator("#rad-10").is_visible()
    box = page.get_by_label("Vis bare rader med problemer eller merknader (1 rad)")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    assert page.locator("#rad-2").is_hidden() and page.locator("#rad-10").is_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 800})
    assert no_sideways_scroll(page)
    page.screenshot(path="/tmp/entry-upload-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/entry-upload-1280.png", full_page=True)

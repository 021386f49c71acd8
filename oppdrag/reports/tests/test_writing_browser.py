"""The writing page and editor in Chromium: every structure through to all four formats.

A slot is written with the toolbar and by hand (a heading, both kinds of list, bold,
italic, a link, a quotation and a table), with a live figure and a reference inserted
from the side panel; set ready and approved by another user, the same text, the figure's
current value and the reference's current chapter number are found in the HTML, DOCX,
PDF and JSON. Two
sessions editing one slot both keep their text. Pages pass axe and fit a phone.
"""

from __future__ import annotations

import io
import json
import re
from html import unescape

import docx
import pypdf
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, sync_playwright

from oppdrag.core.demo import load_demo
from oppdrag.core.models import Center, Membership
from oppdrag.core.services import add_member
from oppdrag.grants.models import Assignment
from oppdrag.reports.builder import build_report
from oppdrag.reports.models import AssessmentBlock
from oppdrag.reports.renderers.docx import render_docx
from oppdrag.reports.renderers.html import render_html
from oppdrag.reports.renderers.pdf import render_pdf
from oppdrag.web.tests.test_browser import ARGS, CHROMIUM, axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo(registries_only=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        chromium.base = live_server.url  # type: ignore[attr-defined]
        yield chromium
        chromium.close()


def new_page(browser) -> Page:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="nb-NO", bypass_csp=True)
    page.base = browser.base  # type: ignore[attr-defined]
    return page


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def editor_url(page: Page, key: str) -> str:
    return f"{page.base}/napha/rapport/2025/skriv/{key}/"  # type: ignore[attr-defined]


def test_a_slot_written_with_every_structure_reads_the_same_in_all_four_formats(browser):
    napha = Center.objects.get(slug="napha")
    assignment = Assignment.objects.get(center=napha, year=2025, number="3.1.1")
    page = new_page(browser)
    sign_in(page)
    page.goto(page.base + "/napha/rapport/2025/skriv/")  # type: ignore[attr-defined]
    violations = {"writing": axe_violations(page)}
    page.get_by_role("link", name=re.compile(r"^3\.1\.1 .* – Resultater")).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("3.1.1")
    violations["write"] = axe_violations(page)

    text = page.get_by_label("Tekst", exact=True)
    text.fill("Deltakerne ga kurset gode tilbakemeldinger, og ")
    page.get_by_label("Tall", exact=True).select_option(
        f"count:events:assignment:{assignment.number}"
    )
    page.get_by_role("button", name="Sett inn tallet").click()
    text.press("End")
    text.press_sequentially(" arrangementer ble holdt. Se også ")
    page.get_by_label("Kapittel eller vedlegg", exact=True).select_option("assignment:3.4")
    page.get_by_role("button", name="Sett inn henvisningen").click()
    text.press_sequentially(". Vi la vekt på ")
    page.get_by_role("button", name="Fet").click()
    text.press_sequentially("brukermedvirkning")
    text.press("End")
    text.press_sequentially(" og ")
    page.get_by_role("button", name="Kursiv").click()
    text.press_sequentially("samskaping")
    text.press("End")
    text.press_sequentially(
        ".\n\n## Hva vi lærte\n\n- Korte kurs virker\n- Oppfølging trengs\n\n"
        "1. Planlegge\n2. Gjennomføre\n\n> Dette var det beste kurset jeg har tatt.\n\n"
        "Les mer på [nettsiden](https://www.napha.no/).\n"
    )
    page.get_by_role("button", name="Tabell").click()
    page.get_by_label("Status", exact=True).select_option("ready")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.get_by_text("Teksten er lagret.").wait_for()
    page.set_viewport_size({"width": 390, "height": 800})
    assert no_sideways_scroll(page)
    page.goto(page.base + "/napha/rapport/2025/skriv/")  # type: ignore[attr-defined]
    assert no_sideways_scroll(page)
    assert violations == {"writing": [], "write": []}

    block = AssessmentBlock.objects.get(center=napha, assignment=assignment, kind="results")
    assert block.status == "ready"
    assert f"[[figur:count:events:assignment:{assignment.number}]]" in block.text
    assert "[[ref:assignment:3.4]]" in block.text

    # Another user, with the role the centre names (administrators by default), approves it.
    leader = get_user_model().objects.create_user(username="leder", password="leder-passord")
    add_member(center=napha, user=leader, role=Membership.Role.ADMIN)
    approver = new_page(browser)
    approver.goto(approver.base + "/logg-inn/")  # type: ignore[attr-defined]
    approver.get_by_label("Brukernavn").fill("leder")
    approver.get_by_label("Passord").fill("leder-passord")
    approver.get_by_role("button", name="Logg inn").click()
    approver.wait_for_url("**/napha/")
    review = f"/napha/rapport/2025/gjennomgang/assignment:{assignment.uid}:results/"
    approver.goto(approver.base + review)  # type: ignore[attr-defined]
    with approver.expect_navigation():
        approver.get_by_role("button", name="Godkjenn").click()
    block.refresh_from_db()
    assert block.status == "approved"

    report = build_report(napha, 2025)
    events = report.section(f"assignment:{assignment.number}")
    moved = report.section("assignment:3.4")
    assert events is not None and moved is not None
    figure = next(
        b for b in events.blocks if getattr(b, "key", "") == f"{assignment.number}/results"
    )
    value = next(
        r.text for p in figure.content for runs in _runs(p) for r in runs if hasattr(r, "key")
    )
    reference = f"kapittel {moved.number}"
    expected = [
        "Deltakerne ga kurset gode tilbakemeldinger",
        f"{value} arrangementer ble holdt",
        f"Se også {reference}",
        "brukermedvirkning",
        "samskaping",
        "Hva vi lærte",
        "Korte kurs virker",
        "Gjennomføre",
        "Dette var det beste kurset jeg har tatt.",
        "nettsiden",
        "Kolonne 1",
    ]
    html = render_html(report)
    html_text = unescape(re.sub(r"<[^>]+>", "", html))
    assert [e for e in expected if e not in html_text] == []
    assert "<strong>brukermedvirkning</strong>" in html and "<em>samskaping</em>" in html
    assert "<blockquote>" in html and "<ol>" in html and '<th scope="col">Kolonne 1' in html
    document = docx.Document(io.BytesIO(render_docx(report)))
    words = "\n".join(p.text for p in document.paragraphs)
    words += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert [e for e in expected if e not in words] == []
    styles = {p.style.name for p in document.paragraphs if p.text == "Korte kurs virker"}
    assert styles == {"List Bullet"}
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    layer = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert [e for e in expected if e not in layer] == []
    data = json.dumps(report.to_json(), ensure_ascii=False)
    assert [e for e in expected if e not in data] == []
    assert f'"type": "live_figure", "key": "count:events:assignment:{assignment.number}"' in data


def _runs(block):  # type: ignore[no-untyped-def]
    from oppdrag.reports import tree as t

    return t.prose_runs(block)


def test_two_sessions_editing_one_slot_both_keep_their_text(browser):
    from django.contrib.auth import get_user_model

    from oppdrag.core.models import Membership
    from oppdrag.core.services import add_member

    napha = Center.objects.get(slug="napha")
    colleague = get_user_model().objects.create_user(username="kollega", password="kollega")
    add_member(center=napha, user=colleague, role=Membership.Role.EDITOR)
    mine, theirs = new_page(browser), new_page(browser)  # a context (session) each
    sign_in(mine)
    theirs.goto(theirs.base + "/logg-inn/")  # type: ignore[attr-defined]
    theirs.get_by_label("Brukernavn").fill("kollega")
    theirs.get_by_label("Passord").fill("kollega")
    theirs.get_by_role("button", name="Logg inn").click()
    for page in (mine, theirs):
        page.goto(editor_url(page, "overall:c:text"))
    theirs.get_by_label("Tekst", exact=True).fill("Kollegaens avsnitt om behovene.")
    theirs.get_by_role("button", name="Lagre", exact=True).click()
    theirs.get_by_text("Teksten er lagret.").wait_for()

    text = mine.get_by_label("Tekst", exact=True)
    text.press_sequentially("Mitt avsnitt om oppfølging.")
    # Autosave finds the colleague's text: shown, and both kept in the editor.
    mine.get_by_text("Kollegaens avsnitt om behovene.").first.wait_for()
    merged = text.input_value()
    assert "Mitt avsnitt om oppfølging." in merged and "Kollegaens avsnitt om behovene." in merged
    mine.get_by_role("button", name="Lagre", exact=True).click()
    mine.get_by_text("Teksten er lagret.").wait_for()
    block = AssessmentBlock.objects.get(center=napha, section_key="overall:c")
    assert "Mitt avsnitt om oppfølging." in block.text
    assert "Kollegaens avsnitt om behovene." in block.text


def test_the_toolbar_works_from_the_keyboard_and_autosave_refreshes_the_preview(browser):
    page = new_page(browser)
    sign_in(page)
    page.goto(editor_url(page, "overall:b:text"))
    text = page.get_by_label("Tekst", exact=True)
    text.focus()
    page.keyboard.type("Vi nådde målgruppene.")
    # The toolbar sits just before the text area: one Shift+Tab reaches its last button.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Tabell"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_text"
    assert "| Kolonne 1 | Kolonne 2 |" in text.input_value()
    page.get_by_text("Lagret automatisk").wait_for()
    preview = page.locator("#preview-section")
    preview.get_by_role("columnheader", name="Kolonne 1").wait_for()
    assert "Vi nådde målgruppene." in preview.inner_text()
    assert axe_violations(page) == []

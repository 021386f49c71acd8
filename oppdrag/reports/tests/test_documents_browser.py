"""A report file made in the background, as a user meets it in Chromium: the download
link leads to a progress page, which passes axe and fits a phone, and the file arrives
by itself once the worker has made it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from oppdrag.web.tests.test_browser import axe_violations, browser_page, sign_in  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=QUEUE)
def test_the_pdf_link_shows_progress_and_the_file_follows_when_the_worker_is_done(
    browser_page,  # noqa: F811
):
    page = browser_page
    sign_in(page)
    page.goto(page.base + "/napha/rapport/2025/")
    page.get_by_role("link", name="PDF").click()
    page.wait_for_url("**/rapport/2025/dokument/**")
    assert page.get_by_text("Bestillingen står i kø.").is_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/report-progress-desktop.png")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/report-progress-phone.png")
    with page.expect_download(timeout=120_000) as download_info:
        # The worker sets signal handlers, so it runs here; the page polls meanwhile.
        call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())
    assert download_info.value.suggested_filename == "arsrapport-napha-2025.pdf"

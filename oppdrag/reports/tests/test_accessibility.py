"""The HTML report checked by axe-core (WCAG 2.1 A and AA) in Debian's Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from oppdrag.reports.builder import build_report
from oppdrag.reports.renderers import RENDERERS

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[3] / "tests" / "vendor" / "axe.min.js"


def test_the_html_report_has_no_wcag_violations(demo, monkeypatch):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for this test: apt-get install chromium")
    _name, _mimetype, data = RENDERERS["html"].render(build_report(demo, 2025))
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(locale="nb-NO")
            page.set_content(data.decode())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            )
        finally:
            browser.close()
    assert result["passes"], "axe-core ran no checks"
    violations = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
    assert violations == []

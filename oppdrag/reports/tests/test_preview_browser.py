"""The report preview in Chromium under the site's Content-Security-Policy.

The report document carries its own stylesheet (so a downloaded file looks the same);
the preview's policy lets exactly that stylesheet through by hash, nothing else.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from oppdrag.core.demo import load_demo
from oppdrag.web.tests.test_browser import ARGS, CHROMIUM, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_preview_is_styled_and_breaks_no_content_security_rule(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium")
    load_demo(registries_only=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="nb-NO")  # no bypass: the real policy applies
        page.base = live_server.url  # type: ignore[attr-defined]
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        sign_in(page)
        response = page.goto(live_server.url + "/napha/rapport/2025/forhandsvisning/")
        assert response is not None and response.status == 200
        policy = response.headers["content-security-policy"]
        # The skip link sits off-screen only when the report's stylesheet applied.
        skip_left = page.locator("a.skip").evaluate("e => getComputedStyle(e).left")
        collapse = page.locator("table").first.evaluate("e => getComputedStyle(e).borderCollapse")
        browser.close()
    assert "'sha256-" in policy and "unsafe-inline" not in policy
    assert "script-src 'self';" in policy
    assert skip_left == "-999px"
    assert collapse == "collapse"
    assert not [m for m in messages if "Content Security Policy" in m], messages

"""The OpenAPI description and its interactive docs, under the site's strict CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright
from rest_framework.test import APIClient

from oppdrag.web.tests.test_browser import ARGS, CHROMIUM


def test_the_schema_is_openapi_3_and_lists_every_resource(db):
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/{center}/events/" in document["paths"]
    assert "tokenAuth" in document["components"]["securitySchemes"]


def test_the_docs_page_has_no_inline_code_and_loads_only_local_assets(db):
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(not a.startswith(("http:", "https:", "//")) for a in assets), assets
    script = APIClient().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_swagger_ui_renders_in_chromium_without_csp_violations(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        external: list[str] = []
        page.on(
            "request",
            lambda request: (
                external.append(request.url)
                if not request.url.startswith((live_server.url, "data:"))
                else None
            ),
        )
        page.goto(live_server.url + "/api/v1/docs/")
        page.wait_for_selector(".opblock-tag", timeout=20_000)
        tags = page.locator(".opblock-tag").all_inner_texts()
        browser.close()
    assert any("events" in tag for tag in tags), tags
    violations = [m for m in messages if "Content Security Policy" in m]
    assert not violations, violations
    assert not external, external

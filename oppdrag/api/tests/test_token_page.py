"""The page where a signed-in user makes and revokes their own API tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from rest_framework.test import APIClient

from oppdrag.api.models import ApiToken
from oppdrag.api.tokens import hash_key
from oppdrag.web.tests.test_browser import ARGS, CHROMIUM, axe_violations


def test_the_page_shows_a_new_key_once_and_stores_its_hash(client, center, make_user):
    user = make_user("side", center, "reader")
    client.force_login(user)
    page = client.post("/api/v1/tokens/", {"name": "Rapportskript"}).content.decode()
    key = re.search(r'<code id="new-key">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hash_key(key) and token.name == "Rapportskript"
    again = client.get("/api/v1/tokens/").content.decode()
    assert key not in again and token.prefix in again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/napha/events/").status_code == 200
    client.post("/api/v1/tokens/", {"revoke": token.pk})
    assert api.get("/api/v1/napha/events/").status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(client, center, make_user):
    owner = make_user("eier", center, "editor")
    client.post("/api/v1/tokens/")  # signed out: sent to sign in, nothing made
    assert not ApiToken.objects.exists()
    client.force_login(owner)
    client.post("/api/v1/tokens/", {"name": "eiers"})
    token = ApiToken.objects.get(user=owner)
    client.force_login(make_user("annen", center, "admin"))
    client.post("/api/v1/tokens/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.active


def test_the_page_needs_sign_in(client, db):
    response = client.get("/api/v1/tokens/")
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_token_page_passes_axe(live_server, make_center, make_user, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium")
    make_user("nettleser", make_center("napha"), "editor")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="nb-NO", bypass_csp=True)  # only to inject axe
        page.goto(live_server.url + "/logg-inn/?next=/api/v1/tokens/")
        page.get_by_label("Brukernavn").fill("nettleser")
        page.get_by_label("Passord").fill("pw-nettleser")
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url("**/api/v1/tokens/")
        page.get_by_label("Hva skal nøkkelen brukes til?").fill("Eksport")
        page.get_by_role("button", name="Lag ny nøkkel").click()
        assert page.locator("#new-key").inner_text().strip()
        violations = axe_violations(page)
        browser.close()
    assert not violations, violations


@pytest.mark.parametrize("revoke", ["abc", "²", "-1", "99999999999999999999", ""])
def test_revoking_a_key_that_is_not_a_number_says_so_and_changes_nothing(
    client, center, make_user, revoke
):
    user = make_user("side", center, "reader")
    client.force_login(user)
    client.post("/api/v1/tokens/", {"name": "Rapportskript"})
    response = client.post("/api/v1/tokens/", {"revoke": revoke}, follow=True)
    assert response.status_code == 200
    assert "Fant ingen aktiv nøkkel å trekke tilbake." in response.content.decode()
    assert ApiToken.objects.get(user=user).active

"""Single sign-on against a real OpenID Connect provider running on this machine.

The provider is panva's oidc-provider (Node.js, from the npm registry, installed by
the test script into tests/oidc/), started for the test with a client for this
application; Chromium signs in through its login and consent pages, and the
application exchanges the code, checks the ID token's signature against the
provider's keys, and signs the matching user in.
"""

import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import sync_playwright

from oppdrag.core.models import Membership

from .test_browser import ARGS, CHROMIUM

PROVIDER_DIR = Path(__file__).resolve().parents[3] / "tests" / "oidc"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def provider(live_server, settings):
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        pytest.fail("The OIDC test needs Node.js and `npm install --prefix tests/oidc`.")
    port = free_port()
    process = subprocess.Popen(
        [node, str(PROVIDER_DIR / "provider.mjs"), str(port), f"{live_server.url}/oidc/callback/"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = []
    for line in process.stdout:  # warnings (e.g. on the Node.js version) come first
        output.append(line.strip())
        if line.strip() == "ready" or len(output) > 20:
            break
    assert output and output[-1] == "ready", output
    issuer = f"http://127.0.0.1:{port}"
    settings.OIDC_RP_CLIENT_ID = "oppdrag"
    settings.OIDC_RP_CLIENT_SECRET = "test-secret-not-for-production"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def test_a_member_signs_in_through_the_identity_provider(
    provider, live_server, make_center, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    center = make_center("napha")
    kari = get_user_model().objects.create_user("kari", email="kari.nordmann@example.org")
    Membership.objects.create(user=kari, center=center, role=Membership.Role.EDITOR)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="nb-NO")
        page.goto(live_server.url + "/logg-inn/")
        page.get_by_role("link", name="Logg inn med ID-porten").click()
        page.wait_for_url(f"{provider}/**")
        page.fill("input[name=login]", "kari.nordmann")
        page.fill("input[name=password]", "hva-som-helst")
        page.locator("button[type=submit]").click()
        page.locator("button[type=submit]").click()  # the provider's consent page
        page.wait_for_url(f"{live_server.url}/napha/")
        heading = page.get_by_role("heading", level=1).inner_text()
        signed_in_as = page.get_by_role("button", name="Logg ut").inner_text()
        browser.close()
    assert heading.startswith("NAPHA – året")
    assert signed_in_as == "Logg ut kari"
    assert get_user_model().objects.count() == 1  # matched by e-mail, no new account


def test_sign_in_without_configuration_shows_no_single_sign_on(client, db):
    body = client.get("/logg-inn/").content.decode()
    assert "Logg inn med" not in body

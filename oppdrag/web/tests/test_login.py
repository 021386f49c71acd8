from django.contrib.auth import get_user_model
from django.urls import reverse


def test_passwords_are_hashed_with_argon2(make_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("kari")
    user.set_password("et-langt-passord")
    assert user.password.startswith("argon2")


def test_sign_in_leads_to_the_users_centre(client, center, make_user):
    make_user("kari", center)
    response = client.post(reverse("web:login"), {"username": "kari", "password": "pw-kari"})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse(
        "web:dashboard", kwargs={"center": "napha"}
    )


def test_signing_out_ends_the_session(client, center, make_user):
    user = make_user("kari", center)
    client.force_login(user)
    client.post(reverse("web:logout"))
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.filter(username="kari").exists()


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, center, make_user):
    import re

    from django.core import mail

    user = make_user("kari", center)
    user.email = "kari@example.org"
    user.save()
    response = client.post(reverse("web:password_reset"), {"email": "kari@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/nytt-passord/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "Et-nytt-og-langt-passord-42",
            "new_password2": "Et-nytt-og-langt-passord-42",
        },
    )
    user.refresh_from_db()
    assert user.check_password("Et-nytt-og-langt-passord-42")


def test_single_sign_on_is_not_found_while_it_is_not_configured(client, settings, db):
    settings.OIDC_RP_CLIENT_ID = ""
    for url in ("/oidc/authenticate/", "/oidc/callback/?code=x&state=y"):
        assert client.get(url).status_code == 404


def test_single_sign_on_starts_at_the_provider_once_configured(client, settings, db):
    settings.OIDC_RP_CLIENT_ID = "oppdrag"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/auth"
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.example/auth?")

"""Tenancy and roles, walked over every page of the staff interface."""

import pytest
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership


@pytest.fixture
def two_centres(make_center, make_user):
    own = make_center("napha")
    other = make_center("korus-oslo")
    own_event = m.Event.objects.create(center=own, year=2025, theme="Bolig", title="Egen samling")
    other_event = m.Event.objects.create(
        center=other, year=2025, theme="Hemmelig", title="Andres samling"
    )
    users: dict[str, object] = {
        str(role): make_user(f"u-{role}", own, role)
        for role in (Membership.Role.READER, Membership.Role.EDITOR, Membership.Role.ADMIN)
    }
    users["outsider"] = make_user("u-outsider", other, Membership.Role.ADMIN)
    return {
        "own": own,
        "other": other,
        "own_event": own_event,
        "other_event": other_event,
        "users": users,
    }


def pages(center, event):
    slug = center.slug
    return {
        "dashboard": reverse("web:dashboard", kwargs={"center": slug}),
        "event_list": reverse("web:event_list", kwargs={"center": slug}),
        "event_export": reverse("web:event_list", kwargs={"center": slug}) + "?export=csv",
        "event_create": reverse("web:event_create", kwargs={"center": slug}),
        "event_detail": reverse("web:event_detail", kwargs={"center": slug, "uid": event.uid}),
        "event_edit": reverse("web:event_edit", kwargs={"center": slug, "uid": event.uid}),
    }


EDITOR_ONLY = {"event_create", "event_edit"}


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_members_reach_their_centre_within_their_role(client, two_centres, role):
    client.force_login(two_centres["users"][role])
    for name, url in pages(two_centres["own"], two_centres["own_event"]).items():
        status = client.get(url).status_code
        expected = 403 if (role == "reader" and name in EDITOR_ONLY) else 200
        assert status == expected, (name, status)


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_no_role_ever_sees_another_centre(client, two_centres, role):
    client.force_login(two_centres["users"][role])
    for name, url in pages(two_centres["other"], two_centres["other_event"]).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"title": "x"}).status_code == 404, name


def test_another_centres_record_is_not_found_under_ones_own_centre(client, two_centres):
    client.force_login(two_centres["users"]["admin"])
    for name, url in pages(two_centres["own"], two_centres["other_event"]).items():
        if name in {"event_detail", "event_edit"}:
            assert client.get(url).status_code == 404, name


def test_signed_out_visitors_are_sent_to_sign_in(client, two_centres):
    for url in pages(two_centres["own"], two_centres["own_event"]).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_a_reader_cannot_register_by_posting(client, two_centres):
    client.force_login(two_centres["users"]["reader"])
    url = reverse("web:event_create", kwargs={"center": "napha"})
    response = client.post(url, {"year": 2025, "theme": "T", "title": "Ny"})
    assert response.status_code == 403
    assert not m.Event.objects.filter(title="Ny").exists()


def test_pages_carry_a_strict_content_security_policy(client, two_centres):
    client.force_login(two_centres["users"]["admin"])
    response = client.get(reverse("web:dashboard", kwargs={"center": "napha"}))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script" not in response.content.decode()


def test_a_member_of_two_centres_switches_between_them(client, two_centres):
    user = two_centres["users"]["editor"]
    Membership.objects.create(user=user, center=two_centres["other"], role="reader")
    client.force_login(user)
    page = client.get(reverse("web:dashboard", kwargs={"center": "napha"})).content.decode()
    switch = reverse("web:dashboard", kwargs={"center": "korus-oslo"})
    assert f'href="{switch}"' in page
    assert client.get(switch).status_code == 200
    assert client.get(reverse("web:home")).status_code == 200  # lists both centres

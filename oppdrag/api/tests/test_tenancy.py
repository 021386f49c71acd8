"""Tenancy and roles, walked over every endpoint the OpenAPI description lists.

The walk takes its endpoints from the generated schema, so an endpoint added later is
walked without a change here. Every role of one centre tries to read, change and delete
the other centre's records, both under the other centre's slug and under its own:
the answer is 404 or 403 every time, nothing changes, and no body names the other
centre's records.
"""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from oppdrag.api.resources import RESOURCES
from oppdrag.core.models import Membership

WRITES = ("post", "put", "patch", "delete")


def endpoints() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in {"get", *WRITES}:
                found.append((path, method))
    return found


def fill(path: str, center: str, records: dict[str, Any]) -> str:
    slug = path.split("/")[4] if path.count("/") > 4 else ""
    url = path.replace("{center}", center).replace("{year}", "2025")
    if "{uid}" in url:
        url = url.replace("{uid}", str(records[slug].uid))
    return url


def snapshot(records: dict[str, Any]) -> dict[str, Any]:
    return {
        slug: type(record).objects.filter(pk=record.pk).values().first()
        for slug, record in records.items()
    }


def test_the_walk_covers_every_resource_and_the_year_endpoints():
    paths = {path for path, _method in endpoints()}
    for slug in RESOURCES:
        assert f"/api/v1/{{center}}/{slug}/" in paths
        assert f"/api/v1/{{center}}/{slug}/{{uid}}/" in paths
    assert "/api/v1/{center}/years/{year}/figures" in paths
    assert "/api/v1/{center}/years/{year}/report" in paths


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_no_role_reaches_another_centre(two_centres, role):
    client = two_centres["clients"][role]
    theirs = two_centres["theirs"]
    before = snapshot(theirs)
    secrets = [str(record.uid) for record in theirs.values()]
    for path, method in endpoints():
        if "{center}" not in path:
            continue
        for center in ("korus-oslo", "napha"):
            if center == "napha" and "{uid}" not in path:
                continue  # one's own lists are checked for leaks below
            url = fill(path, center, theirs)
            response = getattr(client, method)(url, {"title": "x", "name": "x"}, format="json")
            allowed = {404} if center == "korus-oslo" else {403, 404}
            assert response.status_code in allowed, (role, method, url, response.status_code)
            body = response.content.decode()
            assert not any(uid in body for uid in secrets), (method, url)
    assert snapshot(theirs) == before


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_own_lists_and_records_never_show_another_centres(two_centres, role):
    client = two_centres["clients"][role]
    mine, theirs = two_centres["mine"], two_centres["theirs"]
    secrets = [str(record.uid) for record in theirs.values()]
    for slug in RESOURCES:
        listing = client.get(f"/api/v1/napha/{slug}/")
        assert listing.status_code == 200, slug
        uids = [row["uid"] for row in listing.json()["results"]]
        assert uids == [str(mine[slug].uid)], slug
        detail = client.get(f"/api/v1/napha/{slug}/{mine[slug].uid}/")
        assert detail.status_code == 200
        body = listing.content.decode() + detail.content.decode()
        assert not any(uid in body for uid in secrets), slug
    for kind in ("figures", "report"):
        response = client.get(f"/api/v1/napha/years/2025/{kind}")
        assert response.status_code == 200, kind
        assert "andres" not in response.content.decode()


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_members_write_within_their_role(two_centres, role):
    client = two_centres["clients"][role]
    mine = two_centres["mine"]
    can_write = role != Membership.Role.READER
    for slug, resource in RESOURCES.items():
        url = f"/api/v1/napha/{slug}/{mine[slug].uid}/"
        response = client.patch(url, {}, format="json")
        expected = (200 if can_write else 403) if resource.writable else (405 if can_write else 403)
        assert response.status_code == expected, (slug, response.status_code)


def test_another_centres_related_records_cannot_be_linked(two_centres):
    client = two_centres["clients"]["editor"]
    theirs = two_centres["theirs"]
    response = client.post(
        "/api/v1/napha/events/",
        {
            "year": 2025,
            "theme": "Bolig",
            "title": "Lenket",
            "assignments": [str(theirs["assignment"].uid)],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "assignments" in response.json()
    response = client.post(
        "/api/v1/napha/media-appearances/",
        {
            "year": 2025,
            "title": "Intervju",
            "outlet": "NRK",
            "person": str(theirs["people"].uid),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "person" in response.json()


def test_a_shared_fidelity_review_is_visible_to_the_partner_only(two_centres):
    client = two_centres["clients"]["reader"]
    review = two_centres["theirs"]["fidelity-reviews"]
    url = f"/api/v1/napha/fidelity-reviews/{review.uid}/"
    assert client.get(url).status_code == 404
    review.shared_with.add(two_centres["own"])
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["owner"] == "korus-oslo"
    listed = [row["uid"] for row in client.get("/api/v1/napha/fidelity-reviews/").json()["results"]]
    assert str(review.uid) in listed


def test_a_non_member_with_a_session_gets_404(two_centres, client, make_user):
    outsider = make_user("utenfor", two_centres["other"], "admin")
    client.force_login(outsider)
    for slug in RESOURCES:
        assert client.get(f"/api/v1/napha/{slug}/").status_code == 404

"""Every list endpoint takes the same number of queries for a page at two data sizes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.api.resources import RESOURCES
from oppdrag.api.tests.conftest import one_of_each


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_pages_take_constant_queries_as_the_data_grows(
    two_centres, django_assert_max_num_queries
):
    client = two_centres["clients"]["reader"]
    own = two_centres["own"]
    client.get("/api/v1/napha/events/")  # the token's first use is recorded once
    small = {slug: count(client, f"/api/v1/napha/{slug}/") for slug in RESOURCES}
    for i in range(60):
        records = one_of_each(own, f"r{i}", grant_year=1900 + i)
        records["events"].regions.set([1, 2])
        records["fidelity-reviews"].shared_with.add(two_centres["other"])
    for slug in RESOURCES:
        url = f"/api/v1/napha/{slug}/"
        assert len(client.get(url).json()["results"]) == 50, slug  # a full page now
        with django_assert_max_num_queries(small[slug]):
            client.get(url)
        assert count(client, url) == small[slug], slug

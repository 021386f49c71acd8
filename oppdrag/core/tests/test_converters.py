"""Years in URLs: only those the registry can hold match, so no view sees year 0."""

from __future__ import annotations

import pytest

from oppdrag.core.converters import MAX_YEAR, MIN_YEAR, YearConverter

ABSURD = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        "timer/0/",
        "rapport/0/forhandsvisning/",
        f"rapport/{ABSURD}/",
        f"evalueringer/resultater/{ABSURD}/",
        "timer/1989/",
        "tilskudd/2101/",
        "rapport/0999/",
    ],
)
def test_a_year_out_of_range_in_a_url_is_not_found(client, center, make_user, path):
    client.force_login(make_user("leder", center, "admin"))
    assert client.get(f"/napha/{path}").status_code == 404


def test_the_years_in_range_still_reach_the_pages(client, center, make_user):
    client.force_login(make_user("leder", center, "admin"))
    for path in (f"timer/{MIN_YEAR}/", f"rapport/{MAX_YEAR}/forhandsvisning/"):
        assert client.get(f"/napha/{path}").status_code == 200, path


def test_the_converter_takes_four_digits_from_1990_to_2100():
    converter = YearConverter()
    assert converter.to_python("2025") == 2025
    for text in ("1989", "2101", "0000", "２０２５"):
        with pytest.raises(ValueError):
            converter.to_python(text)


def test_pages_that_link_a_year_from_their_query_or_data_stay_in_range(client, center, make_user):
    from oppdrag.activities import models as m

    client.force_login(make_user("leder", center, "admin"))
    assert client.get("/napha/", {"year": "1950"}).status_code == 404
    assert client.get("/napha/", {"year": "²⁰²⁵"}).status_code == 404
    m.Event.objects.create(center=center, year=3000, theme="Feil", title="Feilført år")
    assert client.get("/napha/").status_code == 200  # the latest year in range
    for ar in ("5", "abc", "99999999999999999999"):
        assert client.get("/napha/evalueringer/", {"ar": ar}).status_code == 200, ar

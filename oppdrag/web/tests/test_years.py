"""The year in view: the header's switcher, kept per session, and the pages that follow it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from oppdrag.grants.models import Grant
from oppdrag.web.filters import EventFilter
from oppdrag.web.years import SESSION_KEY, years_with_data


@pytest.fixture
def reader(center, make_user):
    return make_user("leser", center, Membership.Role.READER)


def switch(client, year, back="/napha/"):
    return client.post("/napha/aar/", {"year": year, "neste": back})


def offered_years(html: str) -> list[str]:
    select = html[html.index('id="year-switch-year"') :]
    select = select[: select.index("</select>")]
    return [part.split('"')[0] for part in select.split('<option value="')[1:]]


def test_the_switcher_offers_the_years_with_a_grant_or_records_and_this_year(
    client, center, reader
):
    Grant.objects.create(center=center, year=2019)
    m.Event.objects.create(center=center, year=2023, theme="Bolig", title="Samling")
    m.Presentation.objects.create(center=center, year=2021, title="Foredrag", kind="Foredrag")
    client.force_login(reader)
    page = client.get("/napha/").content.decode()
    this_year = timezone.localdate().year
    assert offered_years(page) == [str(y) for y in (this_year, 2023, 2021, 2019)]
    assert f'<option value="{this_year}" selected>' in page


def test_the_years_of_a_centre_take_one_query_and_not_another_centres(
    center, other_center, django_assert_num_queries
):
    m.Event.objects.create(center=other_center, year=2011, theme="X", title="Andres")
    m.WebArticle.objects.create(center=center, year=2024, title="Nyhet", category="nyhet")
    m.Group.objects.create(center=center, year=2022, name="Nettverk", role="leder")
    with django_assert_num_queries(1):
        assert years_with_data(center) == [2024, 2022]


def test_choosing_a_year_keeps_it_and_returns_to_the_same_page_for_that_year(
    client, center, reader
):
    client.force_login(reader)
    response = switch(client, "2023", back="/napha/presentasjoner/?q=bolig&year=2020&page=3")
    # The page's own ?year= and page number belonged to the old year.
    assert response.status_code == 302
    assert response["Location"] == "/napha/presentasjoner/?q=bolig"
    assert client.session[SESSION_KEY] == 2023
    assert "NAPHA – året 2023" in client.get("/napha/").content.decode()
    # A page with the year in its address comes back with the chosen year in it.
    response = switch(client, "2022", back="/napha/timer/2023/")
    assert response["Location"] == "/napha/timer/2022/"
    assert client.session[SESSION_KEY] == 2022


def test_a_year_in_the_address_wins_for_that_page_without_changing_the_choice(
    client, center, reader
):
    client.force_login(reader)
    switch(client, "2023")
    assert "NAPHA – året 2021" in client.get("/napha/", {"year": 2021}).content.decode()
    assert client.session[SESSION_KEY] == 2023


@pytest.mark.parametrize("bad", ["", "abc", "20x5", "1900", "99999", "٢٠٢٥"])
def test_a_bad_year_changes_nothing_and_says_so_in_norwegian(client, center, reader, bad):
    client.force_login(reader)
    switch(client, "2023")
    response = switch(client, bad, back="/napha/presentasjoner/")
    assert response["Location"] == "/napha/presentasjoner/"
    assert client.session[SESSION_KEY] == 2023
    page = client.get(response["Location"]).content.decode()
    assert "er ikke et årstall. Velg et år i listen" in page
    assert 'role="alert"' in page


@pytest.mark.parametrize(
    "back", ["https://evil.example/napha/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_a_return_address_off_the_site_goes_to_the_dashboard(client, center, reader, back):
    client.force_login(reader)
    assert switch(client, "2023", back=back)["Location"] == "/napha/"


def test_the_switcher_only_answers_a_post(client, center, reader):
    client.force_login(reader)
    assert client.get("/napha/aar/", {"year": 2023}).status_code == 405
    assert SESSION_KEY not in client.session


def test_the_switcher_is_a_form_that_works_without_javascript(client, center, reader):
    client.force_login(reader)
    page = client.get("/napha/presentasjoner/?q=x").content.decode()
    form = page[page.index('class="year-switch"') - 80 : page.index("</form>")]
    assert 'method="post" action="/napha/aar/"' in form
    assert '<label for="year-switch-year">År</label>' in form
    assert 'name="neste" value="/napha/presentasjoner/?q=x"' in form
    assert 'type="submit"' in form


def test_partners_see_no_switcher(client, center, make_user):
    partner = make_user("partner", center, Membership.Role.PARTNER)
    client.force_login(partner)
    page = client.get(reverse("web:shared_list", kwargs={"center": "napha"})).content.decode()
    assert "year-switch" not in page


def test_the_menus_yearly_pages_open_at_the_year_in_view(client, center, reader):
    client.force_login(reader)
    switch(client, "2023")
    page = client.get("/napha/").content.decode()
    assert 'href="/napha/timer/2023/"' in page
    assert 'href="/napha/rapport/2023/"' in page
    assert 'href="/napha/oppdrag/2023/"' in page


def test_the_list_filters_default_to_the_year_given_and_an_empty_year_means_all(center):
    m.Event.objects.create(center=center, year=2023, theme="Bolig", title="I år")
    m.Event.objects.create(center=center, year=2022, theme="Bolig", title="I fjor")
    events = m.Event.objects.filter(center=center)

    def titles(data):
        found = EventFilter(data, queryset=events, center=center, year=2023).qs
        return sorted(e.title for e in found)

    assert titles(None) == ["I år"]
    assert titles({"q": "bolig"}) == ["I år"]
    assert titles({"year": "2022"}) == ["I fjor"]
    assert titles({"year": ""}) == ["I fjor", "I år"]
    # Without a year given, the filter set behaves as before: all years.
    assert EventFilter(None, queryset=events, center=center).qs.count() == 2


def test_a_page_with_the_year_in_its_address_shows_that_year_in_the_switcher(
    client, center, reader
):
    client.force_login(reader)
    switch(client, "2023")
    page = client.get("/napha/oppdrag/2021/").content.decode()
    assert '<option value="2021" selected>' in page
    assert client.session[SESSION_KEY] == 2023


def test_uploads_and_evaluations_open_at_the_year_in_view(client, center, make_user):
    editor = make_user("redaktor", center, Membership.Role.EDITOR)
    client.force_login(editor)
    this_year = timezone.localdate().year
    upload = client.get("/napha/presentasjoner/last-opp/").content.decode()
    assert f'name="year" id="id_year" value="{this_year}"' in upload
    assert f"Evalueringer {this_year}" in client.get("/napha/evalueringer/").content.decode()
    switch(client, "2023")
    upload = client.get("/napha/presentasjoner/last-opp/").content.decode()
    assert 'name="year" id="id_year" value="2023"' in upload
    assert "Evalueringer 2023" in client.get("/napha/evalueringer/").content.decode()
    # The evaluations' own ?ar= still wins for its page.
    assert "Evalueringer 2021" in client.get("/napha/evalueringer/?ar=2021").content.decode()

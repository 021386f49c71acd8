"""The key-figures page and the page a centre chooses them on."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from oppdrag.figures.models import KeyFigureSelection
from oppdrag.figures.selection import choose_key_figures, selection_for


def page(center, year=2025):
    return reverse("figures:key_figures", kwargs={"center": center.slug, "year": year})


def choose(center, year=2025):
    return reverse("figures:choose", kwargs={"center": center.slug, "year": year})


def test_it_shows_each_figure_with_its_source_and_missing_ones_as_not_registered(
    client, center, make_user
):
    m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Fagdag", format="Fysisk")
    client.force_login(make_user("leser", center, Membership.Role.READER))
    html = client.get(page(center)).content.decode()
    assert "Arrangementer (vedlegg 1)" in html  # the events' source beside their count
    assert "Nettstatistikk (import av nettstedets besøkstall)" in html
    assert "Ikke registrert" in html  # no web statistics imported: not 0
    assert "Velg nøkkeltall og rekkefølge" not in html  # readers do not choose


def test_another_centres_user_gets_404(client, center, other_center, make_user):
    client.force_login(make_user("fremmed", other_center, Membership.Role.ADMIN))
    assert client.get(page(center)).status_code == 404
    assert client.get(choose(center)).status_code == 404
    assert client.post(choose(center), {"reach_counting": "districts"}).status_code == 404
    assert not KeyFigureSelection.objects.exists()


def test_only_a_centre_administrator_chooses(client, center, make_user):
    client.force_login(make_user("redaktor", center, Membership.Role.EDITOR))
    assert client.get(choose(center)).status_code == 403
    assert client.post(choose(center), {"reach_counting": "districts"}).status_code == 403


def form_data(**places):
    data = {"reach_counting": "municipalities"}
    for index, key in enumerate(
        ["events", "presentations", "networks", "web_visits", "municipalities_reached"]
    ):
        data[f"place_{key}"] = str(index + 1)
    from oppdrag.figures.catalogue import CATALOGUE

    for index, spec in enumerate(CATALOGUE):
        data.setdefault(f"place_{spec.key}", str(20 + index))
    for key, place in places.items():
        data[f"show_{key}"] = "on"
        data[f"place_{key}"] = str(place)
    return data


def test_the_chosen_figures_and_order_carry_to_the_next_year(client, center, make_user):
    client.force_login(make_user("leder", center, Membership.Role.ADMIN))
    response = client.post(choose(center), form_data(presentations=2, events=1, networks=3))
    assert response.status_code == 302
    assert selection_for(center, 2026).keys == ["events", "presentations", "networks"]
    assert selection_for(center, 2026).reach_counting == "municipalities"
    assert selection_for(center, 2024).is_default
    html = client.get(page(center, 2026)).content.decode()
    assert html.index("Arrangementer") < html.index("Presentasjoner") < html.index("Nettverk")


def test_each_choice_is_kept_in_the_history_with_who_made_it(center, make_user):
    first, second = make_user("leder", center), make_user("nestleder", center)
    for user, keys in ((first, ["events"]), (second, ["presentations", "events"])):
        choose_key_figures(
            center=center, user=user, year=2025, keys=keys, reach_counting="districts"
        )
    selection = KeyFigureSelection.objects.get(center=center, year=2025)
    assert selection.keys == ["presentations", "events"]
    history = selection.history.order_by("history_date", "history_id")
    assert [(h.history_type, h.history_user, h.keys) for h in history] == [
        ("+", first, ["events"]),
        ("~", second, ["presentations", "events"]),
    ]


def test_a_bad_place_is_named_and_nothing_is_saved(client, center, make_user):
    client.force_login(make_user("leder", center, Membership.Role.ADMIN))
    data = form_data(events=1)
    data["place_events"] = "null"
    response = client.post(choose(center), data)
    assert response.status_code == 200
    assert "Plassen for «Arrangementer» må være et helt tall." in response.content.decode()
    nothing = client.post(choose(center), form_data())
    assert "Velg minst ett nøkkeltall." in nothing.content.decode()
    assert not KeyFigureSelection.objects.exists()


def test_the_pages_take_the_same_number_of_queries_with_more_records(client, center, make_user):
    client.force_login(make_user("leder", center, Membership.Role.ADMIN))

    def counted(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = [counted(page(center)), counted(choose(center))]
    for index in range(12):
        event = m.Event.objects.create(
            center=center, year=2025, theme="T", title=f"E{index}", format="Digital"
        )
        event.municipalities.add(index + 1)
        m.Group.objects.create(
            center=center, year=2025, name=f"FACT-nettverk {index}", kind="nettverk", role="leder"
        )
        m.Publication.objects.create(center=center, year=2025, title=f"Film {index}", kind="Film")
    assert [counted(page(center)), counted(choose(center))] == before

"""The team pages through the test client: lists with filters, details, the forms'
writes and refusals, roles, the feedback download, and fixed query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.core.models import Membership
from oppdrag.teams import services
from oppdrag.teams.figures import team_figures
from oppdrag.teams.models import FidelityReview, PilotProject, ServiceTeam

from .factories import all_items, dacts, model_type, municipality, team

READY = {"agreement_signed_on": dt.date(2025, 3, 1), "dpo_approved_on": dt.date(2025, 4, 1)}


@pytest.fixture
def napha(make_center):
    return make_center("napha")


@pytest.fixture
def editor(client, napha, make_user):
    client.force_login(make_user("redaktor", napha, Membership.Role.EDITOR))
    return client


@pytest.fixture
def reader(client, napha, make_user):
    client.force_login(make_user("leser", napha, Membership.Role.READER))
    return client


def review(center, on_team, day, value=3, **kwargs):
    version = dacts(center)
    return services.record_review(
        center=center,
        team=on_team,
        date=day,
        scale_version=version,
        consensus=all_items(version, value),
        raters=[
            services.RaterInput("Kari", scores=all_items(version, value)),
            services.RaterInput("Ola", scores=all_items(version, value)),
        ],
        status="completed",
        **READY,
        **kwargs,
    )


def queries(client, url) -> int:
    # Warm first: the year switcher keeps the centre's years for a minute, and growing
    # the data can take longer than that on a busy machine.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(center, n, start=0):
    """n more teams, each with owners, statuses, a pilot project and two reviews."""
    for index in range(start, start + n):
        created = team(center, f"FACT Vekst {index}", municipalities=("Bodø", "Saltdal"))
        services.change_team_status(team=created, status="paused", valid_from=dt.date(2024, 1, 1))
        review(center, created, dt.date(2023, 5, 1) + dt.timedelta(days=index))
        review(center, created, dt.date(2024, 5, 1) + dt.timedelta(days=index), value=4)
        services.register_pilot(
            center=center,
            data=services.PilotData(
                model_type=model_type("fact"),
                name=f"Forprosjekt {index}",
                grant_years=[2024],
                municipalities=[municipality("Bodø")],
            ),
        )


# One team (and its reviews) against twenty: the same queries on every page (the header's
# year switcher reads the centre's years with every page: one of each count).
MAX_QUERIES = {
    "team_list": 13,
    "team_detail": 16,
    "pilot_list": 9,
    "pilot_detail": 8,
    "review_detail": 10,
    "review_form": 9,
}


def test_every_page_takes_the_same_few_queries_for_one_and_many_teams(editor, napha):
    grow(napha, 1)
    first = ServiceTeam.objects.get(name="FACT Vekst 0")
    first_review = first.reviews.first()
    pilot = PilotProject.objects.get(name="Forprosjekt 0")
    urls = {
        "team_list": "/napha/team/",
        "team_detail": f"/napha/team/{first.uid}/",
        "pilot_list": "/napha/pilotprosjekter/",
        "pilot_detail": f"/napha/pilotprosjekter/{pilot.uid}/",
        "review_detail": f"/napha/malinger/{first_review.uid}/",
        "review_form": f"/napha/team/{first.uid}/ny-maling/",
    }
    small = {name: queries(editor, url) for name, url in urls.items()}
    grow(napha, 20, start=1)
    for index in range(6):  # the first team reviewed many times over
        review(napha, first, dt.date(2020, 1, index + 1))
    large = {name: queries(editor, url) for name, url in urls.items()}
    assert large == small
    assert all(small[name] <= MAX_QUERIES[name] for name in small), small


def test_the_list_filters_by_model_county_status_and_owner(reader, napha):
    team(napha, "FACT Bodø", municipalities=("Bodø",))
    team(napha, "ACT Oslo", code="act", municipalities=("Oslo",))
    closed = team(napha, "FACT Tromsø", municipalities=("Tromsø",))
    services.close_team(team=closed, closed_on=dt.date(2024, 6, 30))
    bodo = municipality("Bodø")

    def names(**params) -> set[str]:
        page = reader.get("/napha/team/", params).content.decode()
        return set(re.findall(r'href="/napha/team/[0-9a-f-]{36}/">([^<]+)<', page))

    assert names() == {"FACT Bodø", "ACT Oslo", "FACT Tromsø"}
    assert names(model_type=model_type("act").pk) == {"ACT Oslo"}
    assert names(county=bodo.county_id) == {"FACT Bodø"}
    assert names(status="closed") == {"FACT Tromsø"}
    assert names(status="established") == {"FACT Bodø", "ACT Oslo"}
    assert names(municipality=bodo.pk) == {"FACT Bodø"}


def test_a_bad_filter_value_is_answered_in_norwegian_and_lists_nothing_wrong(reader, napha):
    team(napha, "FACT Bodø")
    page = reader.get("/napha/team/", {"status": "gone", "county": "x"}).content.decode()
    assert "Velg et gyldig valg" in page or "gyldig" in page


def test_an_editor_registers_a_team_in_the_form(editor, napha):
    response = editor.post(
        "/napha/team/ny/",
        {
            "model_type": model_type("fact").pk,
            "name": "FACT Ofoten",
            "start_date": "2024-02-01",
            "status": "established",
            "municipalities": [municipality("Narvik").pk],
        },
    )
    created = ServiceTeam.objects.get(center=napha, name="FACT Ofoten")
    assert response["Location"] == f"/napha/team/{created.uid}/"
    page = editor.get(response["Location"]).content.decode()
    assert "Narvik (Nordland)" in page and "01.02.2024" in page


def test_a_duplicate_team_is_refused_on_the_name_field_and_nothing_changes(editor, napha):
    team(napha, "FACT Ofoten", municipalities=("Narvik",))
    response = editor.post(
        "/napha/team/ny/",
        {"model_type": model_type("fact").pk, "name": "FACT Ofoten", "status": "established"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Navn: Et FACT-team med navnet «FACT Ofoten» er allerede registrert." in page
    assert ServiceTeam.objects.filter(center=napha).count() == 1


def test_a_reader_reads_but_cannot_register_edit_or_close(reader, napha):
    own = team(napha)
    detail = reader.get(f"/napha/team/{own.uid}/").content.decode()
    assert "Registrer fidelitymåling" not in detail and "Registrer status" not in detail
    for url in (
        "/napha/team/ny/",
        f"/napha/team/{own.uid}/endre/",
        f"/napha/team/{own.uid}/ny-maling/",
        "/napha/pilotprosjekter/ny/",
    ):
        assert reader.get(url).status_code == 403, url
    response = reader.post(
        f"/napha/team/{own.uid}/status/",
        {"status-status": "closed", "status-valid_from": "2025-01-01"},
    )
    assert response.status_code == 403
    assert own.statuses.count() == 1


def test_an_editor_closes_a_team_and_a_close_date_before_the_last_status_is_refused(editor, napha):
    own = team(napha, start=dt.date(2020, 1, 1))
    url = f"/napha/team/{own.uid}/status/"
    response = editor.post(url, {"status-status": "closed", "status-valid_from": "2019-12-31"})
    assert response.status_code == 400
    assert "Fra dato: Datoen må være etter siste status (Etablert fra 01.01.2020)." in (
        response.content.decode()
    )
    assert own.statuses.count() == 1
    response = editor.post(url, {"status-status": "closed", "status-valid_from": "2025-06-30"})
    assert response.status_code == 302
    page = editor.get(f"/napha/team/{own.uid}/").content.decode()
    assert "30.06.2025" in page and "Avviklet" in page


def review_post(version, raters=("Kari", "Ola"), score=None, **extra):
    codes = version.parsed().item_codes
    post = {"date": "2025-05-10", "status": "completed", **READY_POST}
    for n, name in enumerate(raters, start=1):
        post[f"r{n}_name"] = name
        post[f"r{n}_role"] = "lead" if n == 1 else "rater"
        for index, code in enumerate(codes):
            post[f"r{n}_{code}"] = str(score or 1 + (index + n) % 5)
    for index, code in enumerate(codes):
        post[f"c_{code}"] = str(score or 1 + index % 5)
    return {**post, **extra}


READY_POST = {"agreement_signed_on": "2025-03-01", "dpo_approved_on": "2025-04-01"}


def test_a_review_registered_in_the_form_shows_the_same_scores_as_the_figures(editor, napha):
    own = team(napha, "FACT Bodø")
    version = dacts(napha)
    url = f"/napha/team/{own.uid}/ny-maling/"
    response = editor.post(url, review_post(version, c_H1="5"))
    saved = FidelityReview.objects.get(team=own)
    assert response["Location"] == f"/napha/malinger/{saved.uid}/"
    [figured] = team_figures(napha, 2025, review_scores=True)["fidelity_reviews"]["scores"]
    page = editor.get(f"/napha/team/{own.uid}/").content.decode()
    total_row = re.search(r'<tr class="total">(.*?)</tr>', page).group(1)
    assert re.findall(r'class="num">([^<]+)<', total_row) == [
        f"{figured['total']:g}".replace(".", ",")
    ]
    for code, value in figured["items"].items():
        row = re.search(rf'<tr data-item="{code}">(.*?)</tr>', page).group(1)
        assert re.findall(r'class="num">([^<]+)<', row) == [f"{value:g}".replace(".", ",")]
    assert figured["items"]["H1"] == 5.0


def test_a_score_outside_the_scale_is_refused_naming_rater_and_item(editor, napha):
    own = team(napha)
    version = dacts(napha)
    response = editor.post(f"/napha/team/{own.uid}/ny-maling/", review_post(version, r1_H2="7"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bedømmer «Kari»: Skåren 7 for H2 er utenfor skalaen (1–5)." in page
    assert not FidelityReview.objects.exists()


def test_a_started_review_without_preconditions_is_refused(editor, napha):
    own = team(napha)
    version = dacts(napha)
    post = review_post(version, agreement_signed_on="", dpo_approved_on="")
    page = editor.post(f"/napha/team/{own.uid}/ny-maling/", post).content.decode()
    assert "samarbeidsavtalen" in page and "personvernombudet" in page
    assert not FidelityReview.objects.exists()


def test_a_score_that_is_not_a_number_is_refused_on_its_field(editor, napha):
    own = team(napha)
    version = dacts(napha)
    page = editor.post(
        f"/napha/team/{own.uid}/ny-maling/", review_post(version, c_O3="fire")
    ).content.decode()
    assert "O3 Fullt ansvar for behandlingstjenester, konsensus: «fire» er ikke en skår." in page
    assert not FidelityReview.objects.exists()


def test_the_review_form_offers_every_item_of_the_scale(editor, napha):
    own = team(napha)
    version = dacts(napha)
    page = editor.get(f"/napha/team/{own.uid}/ny-maling/?bedommere=3").content.decode()
    for code in version.parsed().item_codes:
        for field in ("r1", "r2", "r3", "c", "k"):
            assert f'name="{field}_{code}"' in page
    assert 'name="r4_H1"' not in page


def test_a_review_shared_with_a_partner_centre_says_so(reader, napha, make_center):
    partner = make_center("rvts-ost", "RVTS Øst")
    shared = review(napha, team(napha), dt.date(2025, 5, 10), shared_with=[partner])
    page = reader.get(f"/napha/malinger/{shared.uid}/").content.decode()
    assert "Målingen er delt med RVTS Øst" in page


def test_the_feedback_report_downloads_as_a_document(reader, napha):
    done = review(napha, team(napha), dt.date(2025, 5, 10))
    response = reader.get(f"/napha/malinger/{done.uid}/tilbakemelding.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="fidelity-')
    assert response.content[:2] == b"PK"


def test_an_editor_registers_and_edits_a_pilot_project(editor, napha):
    response = editor.post(
        "/napha/pilotprosjekter/ny/",
        {
            "model_type": model_type("fact").pk,
            "name": "Forprosjekt Lofoten",
            "grant_years": "2024, 2025",
            "municipalities": [municipality("Vågan").pk],
            "outcome": "ongoing",
        },
    )
    pilot = PilotProject.objects.get(center=napha)
    assert response["Location"] == f"/napha/pilotprosjekter/{pilot.uid}/"
    assert pilot.grant_years == [2024, 2025]
    response = editor.post(
        f"/napha/pilotprosjekter/{pilot.uid}/endre/",
        {
            "model_type": model_type("fact").pk,
            "name": "Forprosjekt Lofoten",
            "grant_years": "2024, tjuefem",
            "outcome": "closed",
        },
    )
    page = response.content.decode()
    assert "Tilskuddsår: «tjuefem» er ikke et årstall (fire sifre)." in page
    pilot.refresh_from_db()
    assert pilot.outcome == "ongoing"


def test_another_centres_team_is_not_found(reader, napha, make_center):
    theirs = team(make_center("korus-oslo"), "FACT Hemmelig")
    assert reader.get(f"/napha/team/{theirs.uid}/").status_code == 404
    assert "FACT Hemmelig" not in reader.get("/napha/team/").content.decode()

"""The public answer page: answering, and every abuse answered with a 4xx page."""

import datetime as dt
from urllib.parse import urlencode

from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from oppdrag.evaluations import services
from oppdrag.evaluations.models import (
    Answer,
    DeviceMark,
    Invitation,
    Response,
    SubmissionCount,
    UsedNonce,
)
from oppdrag.teams.models import ServiceTeam, TeamModelType

from .conftest import fill_standard


def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_a_participant_answers_without_an_account(survey):
    client = csrf_client()
    data = fill_standard(client, survey)
    response = client.post(f"/svar/{survey.token}/", data)
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 200
    saved = Response.objects.get(survey=survey)
    values = {a.question.key: (a.number, a.text) for a in saved.answers.select_related("question")}
    assert values["relevance"] == (4.0, "")
    assert values["change"] == (None, "Mer tid til spørsmål.")


def test_the_page_is_norwegian_and_has_no_scripts(survey):
    html = Client().get(f"/svar/{survey.token}/").content.decode()
    assert '<html lang="nb">' in html
    assert "Send svar" in html and "Hvor relevant var arrangementet for deg?" in html
    assert "<script" not in html


def test_an_unknown_token_is_a_norwegian_404(db):
    response = Client().get("/svar/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke undersøkelsen" in response.content.decode()


def test_missing_required_answers_are_named_and_nothing_is_saved(survey):
    client = csrf_client()
    data = fill_standard(client, survey)
    del data["q-quality"]
    response = client.post(f"/svar/{survey.token}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hvordan vurderer du kvaliteten på innholdet?: Svar på dette spørsmålet." in html
    assert 'value="4" checked' in html  # what was answered is kept
    assert not Response.objects.exists()


def test_malformed_values_are_refused_with_a_message(survey):
    client = csrf_client()
    data = fill_standard(client, survey, **{"q-relevance": "9"})
    response = client.post(f"/svar/{survey.token}/", data)
    assert response.status_code == 400
    assert "Velg et av alternativene." in response.content.decode()
    assert not Response.objects.exists()


def test_a_replayed_submission_is_refused(survey):
    client = csrf_client()
    data = fill_standard(client, survey)
    assert client.post(f"/svar/{survey.token}/", data).status_code == 303
    survey.one_per_device = False
    survey.save()
    again = client.post(f"/svar/{survey.token}/", data)
    assert again.status_code == 409
    assert "allerede sendt inn" in again.content.decode()
    assert Response.objects.count() == 1


def test_one_answer_per_device(survey):
    client = csrf_client()
    assert client.post(f"/svar/{survey.token}/", fill_standard(client, survey)).status_code == 303
    page = client.get(f"/svar/{survey.token}/")
    assert page.status_code == 409
    assert "Du har allerede svart" in page.content.decode()
    other_device = csrf_client()
    data = fill_standard(other_device, survey)
    assert other_device.post(f"/svar/{survey.token}/", data).status_code == 303
    assert Response.objects.count() == 2


def test_answers_after_the_closing_date_are_refused(survey):
    client = csrf_client()
    data = fill_standard(client, survey)
    survey.closes_on = dt.date(2000, 1, 1)
    survey.save()
    response = client.post(f"/svar/{survey.token}/", data)
    assert response.status_code == 410
    assert "stengt" in response.content.decode()
    assert client.get(f"/svar/{survey.token}/").status_code == 410
    assert not Response.objects.exists()


def test_a_closed_survey_refuses_answers(survey):
    services.close_survey(survey)
    assert Client().get(f"/svar/{survey.token}/").status_code == 410


def test_an_oversized_submission_is_refused_unread(survey):
    client = csrf_client()
    data = fill_standard(client, survey, **{"q-change": "x" * 100_000})
    response = client.post(f"/svar/{survey.token}/", data)
    assert response.status_code == 413
    assert "for stort" in response.content.decode()


def test_a_too_long_free_text_within_the_size_limit_is_named(survey):
    client = csrf_client()
    data = fill_standard(client, survey, **{"q-change": "x" * 3000})
    response = client.post(f"/svar/{survey.token}/", data)
    assert response.status_code == 400
    assert "Svaret er for langt" in response.content.decode()


def test_too_many_fields_is_a_400_page_not_a_server_error(survey):
    client = csrf_client()
    data = fill_standard(client, survey)
    data.update({f"f{i}": "1" for i in range(1200)})
    body = urlencode(data)
    assert len(body) < 64 * 1024  # under the size limit: the field count is the problem
    response = client.post(
        f"/svar/{survey.token}/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "for mange felt" in response.content.decode()


def test_a_post_without_csrf_token_is_refused_in_norwegian(survey):
    client = csrf_client()
    data = fill_standard(client, survey)
    del data["csrfmiddlewaretoken"]
    response = client.post(f"/svar/{survey.token}/", data)
    assert response.status_code == 403
    assert "sikkerhetskoden" in response.content.decode()
    assert not Response.objects.exists()


def test_a_forged_or_foreign_nonce_is_refused(survey, center):
    client = csrf_client()
    data = fill_standard(client, survey, skjemakode="falsk")
    assert client.post(f"/svar/{survey.token}/", data).status_code == 400
    other = services.attach_evaluation(
        center=center, questionnaire=services.standard_questionnaire(), event=survey.event
    )
    data = fill_standard(client, survey, skjemakode=services.new_nonce(other))
    assert client.post(f"/svar/{survey.token}/", data).status_code == 400
    assert not Response.objects.exists()


def client_at(address):
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def test_malformed_posts_from_one_address_do_not_lock_out_others(survey):
    """3 001 posts: more than the old per-link limit counted, with the default limits."""
    attacker = client_at("198.51.100.9")
    valid = fill_standard(attacker, survey)
    forged = [
        {},  # empty
        {k: v for k, v in valid.items() if k != "csrfmiddlewaretoken"},  # no CSRF token
        {**valid, "skjemakode": "falsk"},  # forged form code
        {**valid, "q-relevance": "9"},  # answers that do not pass the checks
    ]
    for i in range(3001):
        status = attacker.post(f"/svar/{survey.token}/", forged[i % 4]).status_code
        assert status in (400, 403)
    respondent = client_at("203.0.113.5")
    response = respondent.post(f"/svar/{survey.token}/", fill_standard(respondent, survey))
    assert response.status_code == 303
    assert Response.objects.count() == 1
    assert not SubmissionCount.objects.exclude(count=1).exists()  # only the answer counted


@override_settings(EVALUATION_RATE_LIMITS={"address": (2, 600)})
def test_many_answers_from_one_address_do_not_block_another_on_the_same_link(survey):
    survey.one_per_device = False
    survey.save()
    statuses = []
    for address in ["10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2"]:
        client = client_at(address)
        statuses.append(
            client.post(f"/svar/{survey.token}/", fill_standard(client, survey)).status_code
        )
    assert statuses == [303, 303, 429, 303, 303]
    assert Response.objects.count() == 4


@override_settings(EVALUATION_RATE_LIMITS={"address": (1, 600)})
def test_the_limit_is_per_link_so_one_address_can_answer_two_surveys(survey, center):
    other = services.attach_evaluation(
        center=center, questionnaire=services.standard_questionnaire(), event=survey.event
    )
    client = client_at("10.0.0.1")
    assert client.post(f"/svar/{survey.token}/", fill_standard(client, survey)).status_code == 303
    assert client.post(f"/svar/{other.token}/", fill_standard(client, other)).status_code == 303


def test_the_counters_are_shared_through_the_database_and_expire(survey):
    now = timezone.now()
    for _ in range(3):
        services.count_submission(survey, "10.0.0.1", limit=10, window=60, now=now)
    assert SubmissionCount.objects.get().count == 3
    assert services.count_submission(survey, "10.0.0.1", limit=3, window=60, now=now)
    later = now + dt.timedelta(seconds=121)
    assert not services.count_submission(survey, "10.0.0.1", limit=3, window=60, now=later)
    assert SubmissionCount.objects.get().count == 1  # the old window's row is gone


def test_a_team_answers_once_through_its_personal_link(center):
    rph = TeamModelType.objects.get(code="rph")
    team = ServiceTeam.objects.create(center=center, model_type=rph, name="RPH Testby")
    survey = services.send_team_survey(
        center=center, questionnaire=services.standard_questionnaire(), team_type=rph,
        year=2026, title="RPH 2026",
    )  # fmt: skip
    invitation = Invitation.objects.get(survey=survey, team=team)
    client = csrf_client()
    page = client.get(f"/svar/{invitation.token}/")
    assert "Svar for RPH Testby." in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPENED
    html = page.content.decode()
    data = fill_standard(client, survey)  # the survey's own link renders the same form
    data["skjemakode"] = html.split('name="skjemakode" value="')[1].split('"')[0]
    assert client.post(f"/svar/{invitation.token}/", data).status_code == 303
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ANSWERED
    assert csrf_client().get(f"/svar/{invitation.token}/").status_code == 409


def test_privacy_no_personal_data_is_stored_with_an_answer(survey):
    """Every column of every table an answer touches, after an answer from a known
    address and browser: nothing but the survey, the date and the answers."""
    address, agent = "203.0.113.77", "Mozilla/5.0 (Testtelefon; Privat) Eksempel/1.0"
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    data = fill_standard(client, survey)
    assert client.post(f"/svar/{survey.token}/", data).status_code == 303
    device_cookie = client.cookies["svar_enhet"].value

    expected_columns = {
        Response: {"id", "survey_id", "submitted_on"},
        Answer: {"id", "response_id", "question_id", "number", "text", "municipality_id"},
        DeviceMark: {"key", "survey_id"},
        UsedNonce: {"key", "survey_id"},
        SubmissionCount: {"key", "count", "expires_at"},
    }
    for model, columns in expected_columns.items():
        table = model._meta.db_table
        with connection.cursor() as cursor:
            described = connection.introspection.get_table_description(cursor, table)
            assert {c.name for c in described} == columns, table
            cursor.execute(f"SELECT * FROM {table}")  # table names come from the models
            rows = cursor.fetchall()
        assert rows, table
        for row in rows:
            for value in row:
                text = str(value)
                assert address not in text and "Testtelefon" not in text
                assert device_cookie not in text and data["skjemakode"] not in text
    assert Response.objects.get().submitted_on == timezone.localdate()  # a date, no time
    # No user, address or timestamp fields anywhere on the answer models.
    for model in (Response, Answer):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"user", "ip", "address", "user_agent", "created_at", "session"}

"""Staff pages: tenancy and roles, attaching and closing, team surveys with reminders,
results with charts, suppression in the interface, exports and QR codes."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.test import Client

from oppdrag.core.models import Membership
from oppdrag.evaluations import services
from oppdrag.evaluations.models import Invitation, Survey
from oppdrag.teams.models import ServiceTeam, TeamModelType

from .test_figures import answer


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def editor(make_user, center):
    return login(Client(), make_user("redaktor", center, Membership.Role.EDITOR))


@pytest.fixture
def reader(make_user, center):
    return login(Client(), make_user("leser", center, Membership.Role.READER))


@pytest.fixture
def outsider(make_user, other_center):
    return login(Client(), make_user("utenfor", other_center, Membership.Role.ADMIN))


def five_answers(survey, n=5):
    for i in range(n):
        answer(survey, {"relevance": 1 + i % 5, "usefulness": 4, "quality": 4, "recommend": 5})


def test_another_centres_user_gets_404_on_every_page(outsider, survey):
    base = f"/{survey.center.slug}/evalueringer/"
    pages = [base, f"{base}{survey.uid}/", f"{base}{survey.uid}/qr.png"]
    pages += [f"{base}{survey.uid}/svar.csv", f"{base}resultater/2026/", f"{base}ny/"]
    for url in pages:
        assert outsider.get(url).status_code == 404, url
    # and their own centre cannot reach the survey by its id either
    assert outsider.get(f"/korus-nord/evalueringer/{survey.uid}/").status_code == 404


def test_a_reader_sees_results_but_cannot_create_close_or_export(reader, survey):
    base = f"/napha/evalueringer/{survey.uid}/"
    assert reader.get(base).status_code == 200
    assert reader.get("/napha/evalueringer/ny/").status_code == 403
    assert reader.post(f"{base}steng/").status_code == 403
    assert reader.get(f"{base}svar.csv").status_code == 403
    survey.refresh_from_db()
    assert not survey.closed


def test_an_editor_attaches_an_evaluation_and_gets_link_and_qr(editor, event):
    page = editor.get("/napha/evalueringer/ny/?ar=2026")
    assert "Webinar om rus" in page.content.decode()
    standard = services.standard_questionnaire()
    response = editor.post(
        "/napha/evalueringer/ny/?ar=2026",
        {"target": f"event:{event.uid}", "questionnaire": standard.pk, "closes_on": "2026-12-01",
         "one_per_device": "on"},
    )  # fmt: skip
    survey = Survey.objects.get(event=event)
    assert response.status_code == 302 and str(survey.uid) in response["Location"]
    assert survey.closes_on == dt.date(2026, 12, 1) and survey.version.frozen
    detail = editor.get(response["Location"]).content.decode()
    assert f"/svar/{survey.token}/" in detail
    png = editor.get(f"/napha/evalueringer/{survey.uid}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = editor.get(f"/napha/evalueringer/{survey.uid}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_another_centres_event_cannot_be_attached(editor, other_center):
    from oppdrag.activities.models import Event

    foreign = Event.objects.create(center=other_center, year=2026, theme="X", title="Fremmed")
    response = editor.post(
        "/napha/evalueringer/ny/?ar=2026",
        {"target": f"event:{foreign.uid}", "questionnaire": services.standard_questionnaire().pk},
    )
    assert response.status_code == 200
    assert "Skjemaet har feil" in response.content.decode()
    assert not Survey.objects.exists()


def test_an_editor_closes_an_evaluation(editor, survey):
    editor.post(f"/napha/evalueringer/{survey.uid}/steng/")
    survey.refresh_from_db()
    assert survey.closed
    assert Client().get(f"/svar/{survey.token}/").status_code == 410


def test_results_are_hidden_below_five_answers_and_shown_from_five(reader, survey):
    url = f"/napha/evalueringer/{survey.uid}/"
    five_answers(survey, 4)
    html = reader.get(url).content.decode()
    assert "vises ikke før det er minst fem svar" in html
    assert "<svg" not in html and "Gjennomsnitt" not in html
    year = reader.get("/napha/evalueringer/resultater/2026/").content.decode()
    assert "<svg" not in year
    five_answers(survey, 1)
    html = reader.get(url).content.decode()
    assert "<svg" in html and "95 % konfidensintervall" in html
    # the distribution chart's text alternative: scores 1, 2, 3, 4 and 1 again
    assert "1 Ikke relevant: 2; 2 Lite relevant: 1" in html


def test_a_centres_own_questionnaire_gets_a_new_version_once_used(editor, center, event):
    editor.post(
        "/napha/evalueringer/skjema/ny/",
        {"name": "Vårt skjema", "purpose": "event", "base_on_standard": "on"},
    )
    questionnaire = center.questionnaire_set.get()
    url = f"/napha/evalueringer/skjema/{questionnaire.uid}/"
    editor.post(
        url, {"text": "Hvilken rolle har du?", "kind": "single", "options": "Leder\nAnsatt"}
    )
    version = services.current_version(questionnaire)
    assert version.number == 1 and version.questions.count() == 6
    survey = services.attach_evaluation(center=center, questionnaire=questionnaire, event=event)
    editor.post(url, {"text": "Antall år i tjenesten", "kind": "number", "minimum": "0"})
    new = services.current_version(questionnaire)
    assert new.number == 2 and new.questions.count() == 7
    # The version already sent out keeps its six questions.
    assert survey.version.questions.count() == 6
    bad = editor.post(url, {"text": "Velg", "kind": "single", "options": "Bare én"})
    assert "Skriv minst to svaralternativer" in bad.content.decode()


def test_the_builtin_questionnaire_cannot_be_changed(editor):
    standard = services.standard_questionnaire()
    url = f"/napha/evalueringer/skjema/{standard.uid}/"
    assert editor.post(url, {"text": "Nytt", "kind": "text"}).status_code == 404
    assert services.current_version(standard).questions.count() == 5


@pytest.fixture
def rph_teams(center):
    from oppdrag.core.models import Region

    rph = TeamModelType.objects.get(code="rph")
    nord, sor = Region.objects.get(code="nord"), Region.objects.get(code="sor")
    for i in range(6):
        ServiceTeam.objects.create(
            center=center, model_type=rph, name=f"RPH {i}", region=nord if i < 4 else sor
        )
    return rph


def test_a_team_survey_sends_personal_links_reminds_and_shows_rates_by_region(
    editor, center, rph_teams
):
    response = editor.post(
        "/napha/evalueringer/team/ny/",
        {"title": "RPH 2026", "team_type": rph_teams.pk, "year": 2026,
         "questionnaire": services.standard_questionnaire().pk, "email": "post@example.org"},
    )  # fmt: skip
    survey = Survey.objects.get(kind="team")
    assert survey.invitations.count() == 6
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["post@example.org"]
    tokens = list(survey.invitations.values_list("token", flat=True))
    assert all(f"/svar/{token}/" in mail.outbox[0].body for token in tokens)
    invitations = list(survey.invitations.select_related("team").order_by("team__name"))
    Invitation.objects.filter(pk=invitations[0].pk).update(status="answered")
    Invitation.objects.filter(pk=invitations[1].pk).update(status="opened")
    editor.post(f"/napha/evalueringer/{survey.uid}/paminnelse/", {"email": "post@example.org"})
    assert len(mail.outbox) == 2
    assert invitations[0].token not in mail.outbox[1].body
    assert invitations[1].token in mail.outbox[1].body
    html = editor.get(response["Location"]).content.decode()
    assert "Svar per region" in html
    # Nord: one answered, one opened, two not opened; Sør: two not opened.
    cells = '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
    assert '<th scope="row">Nord</th>' + cells.format(1, 1, 2) in html
    assert '<th scope="row">Sør</th>' + cells.format(0, 0, 2) in html
    assert "example.org" not in str(list(Survey.objects.values()))


def test_raw_answers_export_as_csv_with_bom_and_as_xlsx(editor, survey):
    url = f"/napha/evalueringer/{survey.uid}/svar"
    five_answers(survey, 4)
    assert editor.get(f"{url}.csv").status_code == 302  # fewer than five: refused
    five_answers(survey, 1)
    csv = editor.get(f"{url}.csv").content
    assert csv.startswith("\ufeff".encode())
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Svar nr.;Dato;Hvor relevant var arrangementet for deg?")
    assert len(lines) == 6
    xlsx = editor.get(f"{url}.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 6


def test_deleting_a_centre_takes_its_questionnaires_surveys_and_answers(center, event):
    own = services.create_questionnaire(center=center, name="Eget", base_on_standard=True)
    survey = services.attach_evaluation(center=center, questionnaire=own, event=event)
    five_answers(survey)
    center.delete()
    assert not Survey.objects.exists()
    from oppdrag.evaluations.models import Answer, Questionnaire

    assert not Answer.objects.exists()
    assert list(Questionnaire.objects.values_list("key", flat=True)) == ["standard-arrangement"]


def test_a_used_question_cannot_be_deleted_on_its_own(survey):
    from django.db.models import RestrictedError

    five_answers(survey, 1)
    with pytest.raises(RestrictedError):
        survey.version.questions.first().delete()

"""The demo's evaluations: a handful of 2025 events and the RPH survey (61 of 85 teams
answered, chapter 3.9 of the seed report), generated answers flagged as such."""

from django.test import Client

from oppdrag.evaluations.demo import load_evaluations_demo
from oppdrag.evaluations.figures import evaluation_figures
from oppdrag.evaluations.models import Invitation, Response, Survey
from oppdrag.teams.demo import load_teams_demo


def test_the_demo_has_event_evaluations_and_the_rph_survey_marked_as_demonstration(demo):
    load_teams_demo(demo)
    surveys = load_evaluations_demo(demo)
    assert all(s.is_demo for s in surveys)
    events = [s for s in surveys if s.kind == Survey.Kind.EVENT]
    assert len(events) == 5
    # One event per assignment, so the per-assignment results have data.
    numbers = [set(s.event.assignments.values_list("number", flat=True)) for s in events]
    assert all(numbers) and len(set().union(*numbers)) >= 5
    rph = next(s for s in surveys if s.kind == Survey.Kind.TEAM)
    assert rph.invitations.count() == 85
    assert rph.invitations.filter(status=Invitation.Status.ANSWERED).count() == 61
    assert Response.objects.filter(survey=rph).count() == 61
    figures = evaluation_figures(demo, 2025)
    assert figures["team_invitations"] == 85 and figures["team_answered"] == 61
    assert figures["questionnaires_sent"] == 6

    from oppdrag.core.models import Membership
    from oppdrag.core.services import get_or_create_user

    user = get_or_create_user("demo", "demo")
    assert Membership.objects.filter(user_id=user.pk, center=demo).exists()
    client = Client()
    client.force_login(user)
    listing = client.get("/napha/evalueringer/?ar=2025").content.decode()
    assert listing.count("Eksempeldata") == 6
    detail = client.get(f"/napha/evalueringer/{rph.uid}/").content.decode()
    assert "laget av en generator" in detail
    assert "Nettverkssamlinger" in detail  # the multiple-choice distribution is shown

"""Assessment text: saving with history, importing all or nothing, admin scoping."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from oppdrag.grants.models import Assignment
from oppdrag.reports.importers import AssessmentImporter
from oppdrag.reports.models import AssessmentBlock
from oppdrag.reports.services import save_assessment
from tests.files import write_table


@pytest.fixture
def assignment(center):
    return Assignment.objects.create(center=center, year=2026, number="2.1", title="Oppdrag")


def test_it_saves_and_updates_assessment_text_with_author_and_history(
    center, assignment, make_user
):
    writer = make_user("skribent", center)
    first = save_assessment(
        center=center,
        year=2026,
        kind="activities",
        assignment=assignment,
        text="Utkast.",
        user=writer,
    )
    second = save_assessment(
        center=center,
        year=2026,
        kind="activities",
        assignment=assignment,
        text="Ferdig.",
        status="ready",
    )
    assert first.pk == second.pk
    assert second.author == writer
    assert second.get_status_display() == "Klar"
    history = second.history.order_by("history_date")
    assert [(h.text, h.status) for h in history] == [("Utkast.", "draft"), ("Ferdig.", "ready")]
    assert [h.history_user for h in history] == [writer, None]


def test_it_refuses_another_centres_assignment(center, other_center):
    foreign = Assignment.objects.create(
        center=other_center, year=2026, number="2.1", title="Fremmed"
    )
    with pytest.raises(ValidationError):
        save_assessment(center=center, year=2026, kind="activities", assignment=foreign, text="x")


def test_it_needs_either_an_assignment_or_a_section_key(center):
    with pytest.raises(ValidationError):
        save_assessment(center=center, year=2026, kind="overall", text="x")


def test_the_importer_saves_text_for_assignments_and_sections(center, assignment, tmp_path):
    path = write_table(
        tmp_path,
        "tekst.xlsx",
        [
            ["Kapittel", "Type", "Status", "Tekst"],
            ["2.1", "Aktiviteter", "Klar", "Se [[ref:focus:a]]."],
            ["overall:a", "overall", "", "Oppsummering."],
        ],
    )
    result = AssessmentImporter(center, 2026).run(path)
    assert result.ok, result.problems
    blocks = {
        (b.assignment_id, b.section_key): b for b in AssessmentBlock.objects.filter(center=center)
    }
    assert blocks[(assignment.pk, "")].status == "ready"
    assert blocks[(None, "overall:a")].status == "draft"


def test_the_importer_names_row_and_column_and_saves_nothing(center, assignment, tmp_path):
    path = write_table(
        tmp_path,
        "tekst.csv",
        [
            ["Kapittel", "Type", "Status", "Tekst"],
            ["2.1", "Aktiviteter", "", "Bra."],
            ["9.9", "Aktiviteter", "", "Finnes ikke."],
            ["2.1", "Noe annet", "", "Feil type."],
            ["overal:a", "overall", "", "Skrivefeil i kapittelnøkkelen."],
        ],
    )
    result = AssessmentImporter(center, 2026).run(path)
    assert not result.ok
    where = {(p.row, p.column) for p in result.problems}
    assert (3, "Kapittel") in where
    assert (4, "Type") in where
    assert (5, "Kapittel") in where
    assert not AssessmentBlock.objects.exists()


def test_the_admin_lists_only_the_users_centres_text(client, center, other_center, make_user):
    save_assessment(
        center=center, year=2026, kind="overall", section_key="overall:a", text="Vår tekst."
    )
    save_assessment(
        center=other_center, year=2026, kind="overall", section_key="overall:a", text="Deres tekst."
    )
    user = make_user("admin", center)
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__endswith="assessmentblock"))
    client.force_login(user)
    response = client.get("/admin/reports/assessmentblock/")
    assert response.status_code == 200
    assert "overall:a" in response.content.decode()
    assert response.context["cl"].result_count == 1

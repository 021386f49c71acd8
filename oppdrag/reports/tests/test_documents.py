"""Report files made in the background: ordered by a download, made by the worker, kept
while the report reads the same."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from oppdrag.activities.services import register_event
from oppdrag.core import versions
from oppdrag.reports.models import RenderedDocument
from oppdrag.web import health

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The worker closes the database connection between tasks, as it should in production;
# the tests that run it commit their data instead of living in one transaction.
with_worker = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def reader(client, center, make_user):
    client.force_login(make_user("leser", center, role="reader"))
    return client


def test_a_docx_download_is_made_once_and_served_again_while_the_report_is_unchanged(reader):
    first = reader.get("/napha/rapport/2025/last-ned/docx/")
    assert first["Content-Disposition"] == 'attachment; filename="arsrapport-napha-2025.docx"'
    assert first.content[:2] == b"PK"
    document = RenderedDocument.objects.get()
    second = reader.get("/napha/rapport/2025/last-ned/docx/")
    assert second.content == first.content
    assert RenderedDocument.objects.get().pk == document.pk


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a commit runs (the test's own transaction never commits), so the
    centre's data version rises as it does after a real change."""

    def run():
        connection._oppdrag_versions_pending = None  # type: ignore[attr-defined]
        return django_capture_on_commit_callbacks(execute=True)

    return run


def test_a_changed_report_orders_a_new_document_and_drops_the_old(
    reader, center, make_user, commit
):
    editor = make_user("redaktor", center, role="editor")
    reader.get("/napha/rapport/2025/last-ned/docx/")
    old = RenderedDocument.objects.get()
    with commit():
        register_event(
            center=center,
            user=editor,
            data={"title": "Nytt seminar", "date_start": datetime.date(2025, 3, 4), "year": 2025},
        )
    assert old.data_version is not None and versions.current(center.pk) > old.data_version
    reader.get("/napha/rapport/2025/last-ned/docx/")
    new = RenderedDocument.objects.get()
    assert new.pk != old.pk and new.content_key != old.content_key
    assert new.data_version == versions.current(center.pk)


def test_a_second_download_of_an_unchanged_report_builds_no_tree(
    reader, center, monkeypatch, django_assert_max_num_queries
):
    from oppdrag.reports import documents

    first = reader.get("/napha/rapport/2025/last-ned/docx/")
    document = RenderedDocument.objects.get()
    assert document.data_version == versions.current(center.pk)

    def no_build(*args, **kwargs):
        raise AssertionError("the report tree was built for an unchanged report")

    monkeypatch.setattr(documents, "build_report", no_build)
    # The session, the user, the memberships, the version and the document.
    with django_assert_max_num_queries(6):
        second = reader.get("/napha/rapport/2025/last-ned/docx/")
    assert second.content == first.content
    assert RenderedDocument.objects.get().pk == document.pk


def test_a_change_that_leaves_the_report_the_same_keeps_the_file(reader, center, make_user, commit):
    editor = make_user("redaktor", center, role="editor")
    reader.get("/napha/rapport/2025/last-ned/docx/")
    old = RenderedDocument.objects.get()
    with commit():  # a record two years back: the 2025 report reads the same
        register_event(
            center=center,
            user=editor,
            data={"title": "Eldre seminar", "date_start": datetime.date(2023, 3, 4), "year": 2023},
        )
    reader.get("/napha/rapport/2025/last-ned/docx/")
    kept = RenderedDocument.objects.get()
    assert kept.pk == old.pk and kept.data_version == versions.current(center.pk)


def test_saving_a_rendered_document_does_not_move_the_version_it_is_kept_under(
    reader, center, commit
):
    with commit():
        reader.get("/napha/rapport/2025/last-ned/docx/")
    assert RenderedDocument.objects.get().data_version == versions.current(center.pk)


@with_worker
@override_settings(TASKS=QUEUE)
def test_with_a_queue_the_download_shows_progress_until_the_worker_has_made_it(reader):
    response = reader.get("/napha/rapport/2025/last-ned/pdf/")
    document = RenderedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/napha/rapport/2025/dokument/{document.uid}/"
    page = reader.get(response["Location"]).content.decode()
    assert "Bestillingen står i kø." in page and "<progress" in page
    state = reader.get(response["Location"], {"format": "json"}).json()
    assert state == {
        "status": "queued",
        "progress": 0,
        "file": f"/napha/rapport/2025/dokument/{document.uid}/fil/",
    }
    assert reader.get(state["file"]).status_code == 404

    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())

    assert reader.get(response["Location"], {"format": "json"}).json()["status"] == "done"
    pdf = reader.get(state["file"])
    assert pdf.content.startswith(b"%PDF")
    # The next download of the unchanged report is the file itself, not an order.
    again = reader.get("/napha/rapport/2025/last-ned/pdf/")
    assert again.status_code == 200 and again.content == pdf.content


@with_worker
@override_settings(TASKS=QUEUE, TASK_QUEUE_MAX_WAIT_SECONDS=0)
def test_healthz_fails_while_ordered_work_waits_for_a_worker(reader, monkeypatch):
    monkeypatch.setattr(health, "_migrations_checked_at", 0.0)
    assert reader.get("/healthz").json()["checks"]["worker"] is True
    reader.get("/napha/rapport/2025/last-ned/pdf/")
    response = reader.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] is False
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())
    assert reader.get("/healthz").status_code == 200


@with_worker
@override_settings(TASKS=QUEUE)
def test_another_centres_user_cannot_see_the_progress_or_the_file(
    reader, client, other_center, make_user
):
    location = reader.get("/napha/rapport/2025/last-ned/pdf/")["Location"]
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())
    client.force_login(make_user("utenfor", other_center))
    assert client.get(location).status_code == 404
    assert client.get(location + "fil/").status_code == 404
    assert (
        client.get(f"/korus-nord/rapport/2025/dokument/{location.split('/')[-2]}/").status_code
        == 404
    )


def test_the_findings_chapter_is_in_the_preview_and_never_in_a_published_file(reader):
    import docx

    heading = "Åpne funn i datakvalitetskontrollen"
    assert heading in reader.get("/napha/rapport/2025/forhandsvisning/").content.decode()
    assert heading not in reader.get("/napha/rapport/2025/last-ned/html/").content.decode()
    published = reader.get("/napha/rapport/2025/last-ned/docx/").content
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(published)).paragraphs)
    assert "Vedlegg" in text or "Forord" in text
    assert heading not in text


def test_each_background_task_is_one_log_line_with_ids_and_no_content(reader, caplog):
    with caplog.at_level(logging.INFO, logger="oppdrag.task"):
        reader.get("/napha/rapport/2025/last-ned/docx/")
    (record,) = [r for r in caplog.records if r.name == "oppdrag.task"]
    fields = record.fields  # type: ignore[attr-defined]
    document = RenderedDocument.objects.select_related("center").get()
    assert fields["task"] == "make_document" and fields["status"] == "ok"
    assert fields["center"] == document.center_id
    assert fields["user_id"] == get_user_model().objects.get(username="leser").pk
    assert set(fields) == {"task", "status", "duration_ms", "center", "user_id"}


@with_worker
@override_settings(TASKS=QUEUE)
def test_the_progress_page_and_its_json_take_a_fixed_few_queries(
    reader, django_assert_max_num_queries
):
    location = reader.get("/napha/rapport/2025/last-ned/pdf/")["Location"]
    # The session, the user, the memberships, then the document: whatever the data size.
    with django_assert_max_num_queries(6):
        assert reader.get(location).status_code == 200
    with django_assert_max_num_queries(6):
        assert reader.get(location, {"format": "json"}).status_code == 200


@with_worker
@override_settings(TASKS=QUEUE)
def test_a_download_builds_the_report_once_and_the_worker_renders_the_tree_it_was_keyed_by(
    reader, monkeypatch
):
    from oppdrag.reports import documents

    builds = []
    build = documents.build_report

    def counted(*args, **kwargs):
        builds.append(args)
        return build(*args, **kwargs)

    monkeypatch.setattr(documents, "build_report", counted)
    location = reader.get("/napha/rapport/2025/last-ned/docx/")["Location"]
    assert len(builds) == 1
    ordered = RenderedDocument.objects.get()
    assert documents.content_key(documents.unpacked(ordered.tree)) == ordered.content_key
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())
    assert len(builds) == 1  # the worker built nothing
    document = RenderedDocument.objects.get()
    assert document.status == "done" and document.tree == b""
    assert reader.get(location, {"format": "json"}).json()["status"] == "done"
    assert reader.get(location + "fil/").content[:2] == b"PK"

"""The report's texts to Word and back: the skeleton, the preview and the hostile upload."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.core.models import Membership
from oppdrag.reports.models import AssessmentBlock
from oppdrag.reports.slots import slot_by_key, slots

DOWNLOAD = "/napha/rapport/2025/word/"
UPLOAD = "/napha/rapport/2025/word/last-opp/"


@pytest.fixture
def editor(demo, make_user):
    from oppdrag.reports.demo import load_reports_demo

    user = make_user("redaktor", demo, Membership.Role.EDITOR)
    load_reports_demo(demo, user)
    return user


def stored(center):
    return {
        (b.assignment_id, b.section_key, b.kind): (b.text, b.status, b.updated_at)
        for b in AssessmentBlock.objects.filter(center=center, year=2025)
    }


def heading_paragraph(document, heading):
    return next(p for p in document.paragraphs if p.style.name == "Heading 1" and p.text == heading)


def next_heading(document, paragraph):
    paragraphs = document.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p._p is paragraph._p)
    return next(p for p in paragraphs[index + 1 :] if p.style.name == "Heading 1")


def upload(client, document, name="tekster.docx"):
    buffer = io.BytesIO()
    document.save(buffer)
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, buffer.getvalue())})


def test_a_word_round_trip_changes_exactly_the_two_slots_edited(client, demo, editor):
    outline = slots(demo, 2025)
    written = slot_by_key(outline, "foreword")
    empty = slot_by_key(outline, "overall:c:text")
    assert written.block is not None and empty.block is None
    before = stored(demo)
    client.force_login(editor)
    response = client.get(DOWNLOAD)
    assert response["Content-Disposition"] == 'attachment; filename="tekster-napha-2025.docx"'
    document = docx.Document(io.BytesIO(response.content))

    # One slot gets a sentence more; an empty one gets a paragraph and a list.
    after_written = next_heading(document, heading_paragraph(document, written.heading))
    added = after_written.insert_paragraph_before("En setning skrevet i Word, med ")
    added.add_run("uthevet").bold = True
    added.add_run(" ord.")
    after_empty = next_heading(document, heading_paragraph(document, empty.heading))
    after_empty.insert_paragraph_before("Samarbeidet med kommunene ble tettere.")
    after_empty.insert_paragraph_before("Flere nettverk", style="List Bullet")
    after_empty.insert_paragraph_before("Nye samlinger", style="List Bullet")

    preview = upload(client, document)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "tekster.docx endrer 2 tekster" in page
    assert written.heading in page and empty.heading in page
    assert AssessmentBlock.objects.filter(center=demo).count() == len(before)  # nothing saved yet

    token = page.split('name="token" value="')[1].split('"')[0]
    assert client.post(UPLOAD, {"token": token}).status_code == 302
    after = stored(demo)
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {(None, "foreword", "foreword"), (None, "overall:c", "overall")}
    foreword = AssessmentBlock.objects.get(center=demo, section_key="foreword")
    assert foreword.text.endswith("En setning skrevet i Word, med **uthevet** ord.")
    assert foreword.status == "draft" and foreword.author == editor
    overall = AssessmentBlock.objects.get(center=demo, section_key="overall:c")
    assert overall.text == (
        "Samarbeidet med kommunene ble tettere.\n\n- Flere nettverk\n- Nye samlinger"
    )


def test_an_unchanged_skeleton_changes_nothing(client, demo, editor):
    client.force_login(editor)
    document = docx.Document(io.BytesIO(client.get(DOWNLOAD).content))
    page = upload(client, document).content.decode()
    assert "endrer 0 tekster" in page and 'name="token"' not in page


def test_an_unknown_heading_is_refused_by_name_and_nothing_changes(client, demo, editor):
    before = stored(demo)
    client.force_login(editor)
    document = docx.Document(io.BytesIO(client.get(DOWNLOAD).content))
    foreword = heading_paragraph(document, slot_by_key(slots(demo, 2025), "foreword").heading)
    foreword.insert_paragraph_before("Takk til alle", style="Heading 1")
    next_heading(document, foreword).insert_paragraph_before("Endret tekst som ikke lagres.")
    response = upload(client, document)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Overskriften «Takk til alle» finnes ikke i årsrapporten for 2025." in page
    assert 'name="token"' not in page
    assert stored(demo) == before


def test_one_chapter_can_be_downloaded_alone(client, demo, editor):
    client.force_login(editor)
    whole = docx.Document(io.BytesIO(client.get(DOWNLOAD).content))
    chapter = docx.Document(io.BytesIO(client.get(DOWNLOAD + "?kapittel=1").content))

    def headings(document):
        return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]

    assert 0 < len(headings(chapter)) < len(headings(whole))
    assert headings(chapter)[0] == headings(whole)[0]
    assert client.get(DOWNLOAD + "?kapittel=99").status_code == 404
    assert client.get(DOWNLOAD + "?kapittel=x").status_code == 404


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Bare tekst, ikke Word.", "er ikke et Word-dokument (.docx), eller den er ødelagt"),
        (zip_of({"xl/workbook.xml": b"<x/>"}), "er ikke et Word-dokument (.docx)"),
        (
            zip_of({"word/document.xml": b"\0" * (30 * 1024 * 1024)}),
            "pakker seg ut til mistenkelig mye data",
        ),
        (
            zip_of(
                {
                    "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                    b"<d>&a;</d>"
                }
            ),
            "DTD",
        ),
        (zip_of({"word/document.xml": b"<w:document"}), "XML-en er ugyldig"),
    ],
    ids=["text", "spreadsheet", "zip-bomb", "dtd", "broken-xml"],
)
def test_a_hostile_or_wrong_file_is_refused_with_a_reason(client, demo, editor, data, message):
    before = stored(demo)
    client.force_login(editor)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("fil.docx", data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "fil.docx" in page and message in page
    assert stored(demo) == before


def test_a_reader_downloads_but_does_not_upload(client, demo, editor, make_user):
    client.force_login(make_user("leser", demo, Membership.Role.READER))
    assert client.get(DOWNLOAD).status_code == 200
    assert client.get(UPLOAD).status_code == 403


def test_the_word_page_takes_the_same_queries_for_20_times_the_data(client, demo, editor):
    from oppdrag.figures.scale import multiply

    client.force_login(editor)
    with CaptureQueriesContext(connection) as small:
        assert client.get(UPLOAD).status_code == 200
    multiply(demo, 2025, 20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(UPLOAD).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large]

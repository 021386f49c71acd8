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


# --- the file format alone: whatever the editor can write survives Word ------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from oppdrag.reports import prose  # noqa: E402
from oppdrag.reports import tree as t  # noqa: E402
from oppdrag.reports.wordfile import SkeletonSlot, read_sections, skeleton  # noqa: E402

WORDS = st.sampled_from(
    ["Året", "kommunene", "ACT-team", "3.1", "50 %", "«sitat»", "a*b", "x_y", "[klamme]", "#1"]
)
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


@st.composite
def runs(draw):
    found = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "bold", "italic", "link", "ref", "figure"]))
        if kind == "link":
            found.append(t.Link(draw(TEXT), "https://example.org/side"))
        elif kind == "ref":
            found.append(t.CrossRef(target="assignment:3.1.1"))
        elif kind == "figure":
            found.append(t.LiveFigure(key="count:events"))
        else:
            found.append(t.Text(draw(TEXT), bold=kind == "bold", italic=kind == "italic"))
        found.append(t.Text(" "))
    return found[:-1]


BLOCKS = st.one_of(
    runs().map(t.Paragraph),
    st.builds(lambda r, level: t.Heading(r, level), runs(), st.sampled_from([1, 2])),
    st.builds(
        lambda items, o: t.ListBlock(items, o),
        st.lists(runs(), min_size=1, max_size=3),
        st.booleans(),
    ),
    st.lists(runs().map(t.Paragraph), min_size=1, max_size=2).map(t.Quote),
    st.builds(
        lambda header, rows: t.TextTable(header, rows),
        st.lists(TEXT.map(lambda s: [t.Text(s)]), min_size=2, max_size=2),
        st.lists(st.lists(TEXT.map(lambda s: [t.Text(s)]), min_size=2, max_size=2), max_size=2),
    ),
)


def comparable(blocks):
    """Prose blocks as JSON with adjacent text runs joined and spaces collapsed."""
    return prose.parse(prose_markup(blocks))


def prose_markup(blocks):
    from oppdrag.reports.wordfile import Run, heading_markup, inline_markup, table_markup

    def as_runs(inline):
        for run in inline:
            if isinstance(run, t.Link):
                yield Run(run.text, url=run.url)
            elif isinstance(run, t.CrossRef):
                yield Run(f"[[ref:{run.target}]]")
            elif isinstance(run, t.LiveFigure):
                yield Run(f"[[figur:{run.key}]]")
            else:
                yield Run(run.text, run.bold, run.italic)

    parts = []
    for block in blocks:
        if isinstance(block, t.Heading):
            parts.append(heading_markup(block.level, as_runs(block.runs)))
        elif isinstance(block, t.ListBlock):
            mark = "1." if block.ordered else "-"
            parts.append("\n".join(f"{mark} {inline_markup(as_runs(i))}" for i in block.items))
        elif isinstance(block, t.Quote):
            parts.append(
                "\n>\n".join(f"> {inline_markup(as_runs(p.runs))}" for p in block.paragraphs)
            )
        elif isinstance(block, t.TextTable):
            rows = [block.header, *block.rows]
            parts.append(table_markup([[inline_markup(as_runs(c)) for c in row] for row in rows]))
        else:
            parts.append(inline_markup(as_runs(block.runs)))
    return "\n\n".join(parts)


def as_json(blocks):
    return [b.to_json() for b in blocks]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCKS, min_size=1, max_size=5))
def test_every_structure_the_editor_writes_survives_a_trip_through_word(blocks):
    stored = prose_markup(blocks)
    parsed = prose.parse(stored)
    document = skeleton("Tittel", ["Innledning"], [SkeletonSlot("1 Del", parsed)])
    (section,) = read_sections(document, "tekster.docx")
    assert section.heading == "1 Del"
    assert as_json(prose.parse(section.markup)) == as_json(parsed)

"""Generated (demonstration) data is never stated as fact: the demo's evaluation answers
and its accounts are marked where they are stored, and every page, table, chart, file
and JSON that shows them says «Eksempeldata»."""

from __future__ import annotations

import io
import json

import docx
import pypdf

from oppdrag.evaluations.models import Survey
from oppdrag.reports import tree as t
from oppdrag.reports.documents import publication
from oppdrag.reports.renderers import RENDERERS


def _illustrative_blocks(report: t.Report) -> list[t.Block]:
    return [
        block
        for _depth, section in report.walk()
        for block in section.blocks
        if getattr(block, "illustrative", False)
    ]


def test_the_eksempeldata_label_appears_wherever_generated_data_is_shown(
    full_demo, client, make_user
):
    surveys = Survey.objects.filter(center=full_demo, year=2025)
    assert surveys.exists() and all(s.is_demo for s in surveys)  # marked where stored

    report = publication(full_demo, 2025)
    blocks = _illustrative_blocks(report)
    tables = [b for b in blocks if isinstance(b, t.Table)]
    figures = [b for b in blocks if isinstance(b, t.Figure)]
    paragraphs = [b for b in blocks if isinstance(b, t.Paragraph)]
    # The year's evaluation and each assignment's: sentence, table and chart say so.
    assert tables and figures and paragraphs
    assert all("eksempeldata" in b.caption for b in tables)
    assert all("eksempeldata" in b.caption for b in figures)
    assert all("Eksempeldata" in p.plain or "eksempeldata" in p.plain for p in paragraphs)
    evaluation_tables = [
        b
        for _depth, section in report.walk()
        for b in section.blocks
        if isinstance(b, t.Table) and b.key.startswith("evaluations")
    ]
    assert evaluation_tables and all(b.illustrative for b in evaluation_tables)
    # No sentence states the generated answers as participants' answers.
    text = json.dumps(report.to_json(), ensure_ascii=False)
    assert "deltakere svarte" not in text

    # The report JSON carries the flag; the HTML, DOCX and PDF print the label.
    data = report.to_json()
    flagged = [b for s in data["sections"] for b in s["blocks"] if b.get("illustrative")] + [
        b
        for s in data["sections"]
        for sub in s["sections"]
        for b in sub["blocks"]
        if b.get("illustrative")
    ]
    assert flagged
    html = RENDERERS["html"].render(report)[2].decode()
    assert html.count("Eksempeldata") + html.count("eksempeldata") >= len(blocks)
    document = docx.Document(io.BytesIO(RENDERERS["docx"].render(report)[2]))
    words = "\n".join(p.text for p in document.paragraphs)
    words += "\n".join(c.text for table in document.tables for c in table._cells)
    assert "Eksempeldata" in words and "(eksempeldata)" in words
    pdf = pypdf.PdfReader(io.BytesIO(RENDERERS["pdf"].render(report)[2]))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Eksempeldata" in pdf_text

    # The figures JSON (command and API alike) carries the flag.
    client.force_login(make_user("leser", full_demo, role="editor"))
    figures_json = client.get("/api/v1/napha/years/2025/figures").json()
    assert figures_json["evaluations"]["generated"] is True
    assert figures_json["evaluations"]["standard"]["generated"] is True
    assert figures_json["finance"]["generated"] is True
    report_json = client.get("/api/v1/napha/years/2025/report").content.decode()
    assert '"illustrative": true' in report_json

    # The evaluation pages and the raw answers' export say so too.
    survey = surveys.exclude(responses=None).first()
    assert survey is not None
    for page in (
        "/napha/evalueringer/?ar=2025",
        f"/napha/evalueringer/{survey.uid}/",
        "/napha/evalueringer/resultater/2025/",
    ):
        assert "Eksempeldata" in client.get(page).content.decode(), page
    export = client.get(f"/napha/evalueringer/{survey.uid}/svar.csv").content.decode("utf-8-sig")
    header, first = export.splitlines()[:2]
    assert header.split(";")[-1] == "Eksempeldata" and first.split(";")[-1] == "ja"

"""The report as a Word document (python-docx), for centres that edit before sending.

Real heading styles (Heading 1–6, the number in the text comes from the tree), a
table-of-contents field that Word and LibreOffice fill in, tables whose header row
repeats on every page, a page-number field in the footer, and charts as PNG
images with alt text.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import charts
from .. import tree as t
from .html import severity_label


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str = "") -> None:
    """Insert a complex field (TOC, PAGE …) that the word processor updates."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


class DocxWriter:
    """Writes one resolved ``Report`` as DOCX."""

    def __init__(self, report: t.Report):
        self.report = report
        self.doc: DocumentType = Document()
        self.figures = 0

    def render(self) -> bytes:
        doc, r = self.doc, self.report
        normal = doc.styles["Normal"]
        normal.font.name = "DejaVu Sans"  # type: ignore[union-attr]
        normal.font.size = Pt(10)  # type: ignore[union-attr]
        doc.core_properties.title = f"{r.title} – {r.center_name}"
        doc.core_properties.author = r.center_name
        doc.core_properties.language = "nb-NO"
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(footer, "PAGE", "1")

        doc.add_paragraph(r.center_name)
        doc.add_heading(r.title, level=0)
        doc.add_page_break()
        doc.add_paragraph(
            _("Innhold"), style="TOC Heading" if "TOC Heading" in doc.styles else None
        )
        _field(
            doc.add_paragraph(),
            'TOC \\o "1-3" \\h \\z \\u',
            _("Oppdater feltet for å vise innholdsfortegnelsen."),
        )
        doc.add_page_break()
        for item in r.sections:
            self.section(item, 1)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def section(self, section: t.Section, level: int) -> None:
        self.doc.add_heading(section.heading, level=min(level, 6))
        for block in section.blocks:
            self.block(block, level)
        for child in section.sections:
            self.section(child, level + 1)

    def paragraph(self, runs: list[t.Inline], italic: bool = False, style: str = "") -> Any:
        paragraph = self.doc.add_paragraph(style=style or None)
        self.add_runs(paragraph, runs, italic)
        return paragraph

    def add_runs(self, paragraph: Any, runs: list[t.Inline], italic: bool = False) -> None:
        for item in runs:
            run = paragraph.add_run(item.text)
            run.italic = italic or None
            if isinstance(item, t.Text):
                if item.bold:
                    run.bold = True
                if item.italic:
                    run.italic = True
            if isinstance(item, t.CrossRef) and not item.target_number:
                run.bold = True
            if isinstance(item, t.LiveFigure) and item.value is None:
                run.bold = True
            if isinstance(item, t.Link) and item.url != item.text:
                # Word shows the address beside the words; printed, a link has no target.
                paragraph.add_run(f" ({item.url})")

    def prose(self, blocks: list[t.ProseBlock], level: int, italic: bool = False) -> None:
        """Staff-written text with Word's own styles for headings, lists and quotations."""
        for block in blocks:
            if isinstance(block, t.Paragraph):
                self.paragraph(block.runs, italic)
            elif isinstance(block, t.Heading):
                heading = self.doc.add_heading("", level=min(level + block.level, 9))
                self.add_runs(heading, block.runs)
            elif isinstance(block, t.ListBlock):
                style = "List Number" if block.ordered else "List Bullet"
                for item in block.items:
                    self.paragraph(item, italic, style)
            elif isinstance(block, t.Quote):
                for paragraph in block.paragraphs:
                    self.paragraph(paragraph.runs, italic, "Quote")
            else:
                columns = max([len(block.header), *(len(row) for row in block.rows)])
                grid = self.doc.add_table(rows=0, cols=columns)
                grid.style = self.doc.styles["Table Grid"]
                if block.header:
                    header = grid.add_row()
                    _repeat_header(header)
                    for cell, runs in zip(header.cells, block.header, strict=False):
                        self.add_runs(cell.paragraphs[0], runs)
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
                for row in block.rows:
                    cells = grid.add_row().cells
                    for cell, runs in zip(cells, row, strict=False):
                        self.add_runs(cell.paragraphs[0], runs)

    def block(self, block: t.Block, level: int) -> None:
        doc = self.doc
        if isinstance(block, t.Paragraph):
            self.paragraph(block.runs)
        elif isinstance(block, t.Assessment):
            if block.heading:
                doc.add_heading(block.heading, level=min(level + 1, 7))
            if block.status:
                meta = _("Status: {status}").format(status=block.status)
                if block.author:
                    meta += " · " + _("Skrevet av {author}").format(author=block.author)
                doc.add_paragraph(meta).runs[0].italic = True
            self.prose(
                block.content, level + 1 if block.heading else level, italic=not block.status
            )
        elif isinstance(block, t.Table):
            self.table(block)
        elif isinstance(block, t.Figure):
            self.figure(block)
        elif isinstance(block, t.KeyFigures):
            for item in block.items:
                bullet = doc.add_paragraph(style="List Bullet")
                bullet.add_run(f"{item.label}: ")
                bullet.add_run(charts._number(item.value)).bold = True
                if item.previous is not None and block.previous_year:
                    bullet.add_run(
                        " ("
                        + _("{year}: {value}").format(
                            year=block.previous_year, value=charts._number(item.previous)
                        )
                        + ")"
                    )
        elif isinstance(block, t.Findings):
            for finding in block.findings:
                entry = doc.add_paragraph(style="List Bullet")
                entry.add_run(severity_label(finding.severity) + " ").bold = True
                entry.add_run(finding.message + " ")
                if finding.fix:
                    entry.add_run(finding.fix).italic = True
                for record in finding.records[:20]:
                    doc.add_paragraph(record.description, style="List Bullet 2")
                if len(finding.records) > 20:
                    doc.add_paragraph(
                        _("… og {n} til.").format(n=len(finding.records) - 20),
                        style="List Bullet 2",
                    )

    def table(self, table: t.Table) -> None:
        doc = self.doc
        doc.add_paragraph(table.caption, style="Caption")
        if not table.rows or not table.columns:
            doc.add_paragraph(table.empty_text).runs[0].italic = True
            return
        grid = doc.add_table(rows=1, cols=len(table.columns))
        grid.style = doc.styles["Table Grid"]
        header = grid.rows[0]
        _repeat_header(header)
        for cell, column in zip(header.cells, table.columns, strict=True):
            cell.text = column
            cell.paragraphs[0].runs[0].bold = True
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                if value is None:
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell.text = charts._number(value)
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                else:
                    cell.text = str(value)
        if table.footnote:
            doc.add_paragraph(table.footnote).runs[0].italic = True

    def figure(self, figure: t.Figure) -> None:
        self.figures += 1
        self.doc.add_picture(io.BytesIO(charts.png(figure)), width=Cm(16))
        # python-docx has no alt-text API: set descr/title on the drawing's docPr.
        picture = self.doc.paragraphs[-1]
        for doc_pr in picture._p.iter(qn("wp:docPr")):
            doc_pr.set("descr", figure.alt)
            doc_pr.set("title", figure.caption)
        self.doc.add_paragraph(figure.caption, style="Caption")


def render_docx(report: t.Report) -> bytes:
    return DocxWriter(report).render()

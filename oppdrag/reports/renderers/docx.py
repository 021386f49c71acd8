"""The report as a Word document (python-docx), for centres that edit before sending.

Real heading styles (Heading 1–6, the number in the text comes from the tree), each
with a bookmark; a table of contents that is readable when the file is opened (its
entries, linked to the headings, are written as the field's current result, which
Word and LibreOffice replace with page numbers when they update it); tables with
column widths from their content, rows that do not split across pages and a header
row that repeats; sections with a table too wide for portrait on landscape pages;
cross-references and web addresses as links; a page-number field in the footer; and
charts as PNG images with alt text.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import charts
from .. import tree as t
from .html import severity_label
from .layout import column_shares

# Text width of the page (A4, 2 cm margins) in centimetres, portrait and landscape.
TEXT_CM = {False: 17.0, True: 25.7}


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


def _field_char(paragraph: DocxParagraph, kind: str, *, dirty: bool = False) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(char)


def _instruction(paragraph: DocxParagraph, instruction: str) -> None:
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)


def _row_property(row, name: str) -> None:  # type: ignore[no-untyped-def]
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    _row_property(row, "w:tblHeader")


def _hyperlink(paragraph: DocxParagraph, text: str, *, url: str = "", anchor: str = "") -> None:
    """A run of ``text`` linking to a web address or to a bookmark in the document."""
    link = OxmlElement("w:hyperlink")
    if url:
        rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rel)
    else:
        link.set(qn("w:anchor"), anchor)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    properties.append(style)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0B4F8A")
    properties.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def bookmark_names(report: t.Report) -> dict[str, str]:
    """A Word bookmark name per section key: letters, digits and _, at most 40 long."""
    names: dict[str, str] = {}
    for index, (_depth, section) in enumerate(report.walk()):
        stem = section.anchor.replace("-", "_")[:32]
        names[section.key] = f"{stem}_{index}"
    return names


class DocxWriter:
    """Writes one resolved ``Report`` as DOCX."""

    def __init__(self, report: t.Report):
        self.report = report
        self.doc: DocumentType = Document()
        self.figures = 0
        self.bookmarks = bookmark_names(report)
        self.bookmark_id = 0
        self.landscape = False

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
        self.contents()
        doc.add_page_break()
        for item in r.sections:
            self.section(item, 1)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def contents(self) -> None:
        """The TOC field, its current result the headings (levels 1–3) linked to their
        bookmarks, so the list reads well before any program updates it."""
        doc = self.doc
        for level in (1, 2, 3):
            name = f"toc {level}"
            if name not in doc.styles:
                style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = doc.styles["Normal"]
                style.paragraph_format.left_indent = Cm(0.6 * (level - 1))  # type: ignore[union-attr]
                style.paragraph_format.space_after = Pt(2)  # type: ignore[union-attr]
        entries = [(d, s) for d, s in self.report.walk() if d <= 3]
        for index, (depth, section) in enumerate(entries):
            paragraph = doc.add_paragraph(style=f"toc {depth}")
            if index == 0:
                _field_char(paragraph, "begin", dirty=True)
                _instruction(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
                _field_char(paragraph, "separate")
            _hyperlink(paragraph, section.heading, anchor=self.bookmarks[section.key])
            if index == len(entries) - 1:
                _field_char(paragraph, "end")

    def heading(self, section: t.Section, level: int) -> None:
        paragraph = self.doc.add_heading(section.heading, level=min(level, 6))
        self.bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), self.bookmarks[section.key])
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)

    def orientation(self, landscape: bool) -> None:
        """Start a new page section in the given orientation (A4 either way)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long_side, short_side = Cm(29.7), Cm(21)
        section.page_width = long_side if landscape else short_side
        section.page_height = short_side if landscape else long_side
        self.landscape = landscape

    def section(self, section: t.Section, level: int) -> None:
        wide = not self.landscape and any(
            isinstance(b, t.Table) and b.rows and column_shares(b)[1] for b in section.blocks
        )
        if wide:
            self.orientation(True)
        self.heading(section, level)
        for block in section.blocks:
            self.block(block, level)
        for child in section.sections:
            self.section(child, level + 1)
        if wide:
            self.orientation(False)

    def paragraph(self, runs: list[t.Inline], italic: bool = False) -> None:
        paragraph = self.doc.add_paragraph()
        for item in runs:
            if isinstance(item, t.Link):
                _hyperlink(paragraph, item.text, url=item.url)
                continue
            if isinstance(item, t.CrossRef) and item.target_number:
                anchor = self.bookmarks.get(item.target, "")
                if anchor:
                    _hyperlink(paragraph, item.text, anchor=anchor)
                    continue
            run = paragraph.add_run(item.text)
            run.italic = italic or None
            if isinstance(item, t.Text) and item.bold:
                run.bold = True
            if isinstance(item, t.CrossRef) and not item.target_number:
                run.bold = True

    def block(self, block: t.Block, level: int) -> None:
        doc = self.doc
        if isinstance(block, t.Paragraph):
            self.paragraph(block.runs)
        elif isinstance(block, t.Assessment):
            doc.add_heading(block.heading, level=min(level + 1, 7))
            if block.status:
                meta = _("Status: {status}").format(status=block.status)
                if block.author:
                    meta += " · " + _("Skrevet av {author}").format(author=block.author)
                doc.add_paragraph(meta).runs[0].italic = True
            for paragraph in block.paragraphs:
                self.paragraph(paragraph.runs, italic=not block.status)
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
        grid.autofit = False
        shares, _landscape = column_shares(table)
        total = sum(shares) or 1
        widths = [Cm(TEXT_CM[self.landscape] * share / total) for share in shares]
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width
        header = grid.rows[0]
        _repeat_header(header)
        _row_property(header, "w:cantSplit")
        for cell, column, width in zip(header.cells, table.columns, widths, strict=True):
            cell.width = width
            cell.text = column
            cell.paragraphs[0].runs[0].bold = True
        for row in table.rows:
            added = grid.add_row()
            _row_property(added, "w:cantSplit")
            for cell, value, width in zip(added.cells, row, widths, strict=True):
                cell.width = width
                if value is None:
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell.text = charts._number(value)
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif isinstance(value, str) and value.startswith(("http://", "https://")):
                    _hyperlink(cell.paragraphs[0], value, url=value)
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

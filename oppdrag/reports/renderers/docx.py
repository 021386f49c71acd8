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
import re
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import charts
from .. import tree as t
from .html import key_figure_source, key_figure_value, severity_label
from .layout import MARGIN, column_points


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


def _repeat_header(row: Any) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


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


# Characters XML 1.0 cannot hold (a record's text may carry them from a spreadsheet).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell_xml(
    width: int, text: str, *, bold: bool = False, right: bool = False, link: str = ""
) -> str:
    """One table cell as WordprocessingML: its width, one paragraph, one run."""
    paragraph = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
    run = ""
    if text:
        properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
        if link:
            properties = (
                '<w:rPr><w:rStyle w:val="Hyperlink"/><w:color w:val="0B4F8A"/>'
                '<w:u w:val="single"/></w:rPr>'
            )
        text = escape(NOT_XML.sub("", text))
        run = f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>'
        if link:
            run = f'<w:hyperlink r:id="{link}">{run}</w:hyperlink>'
    properties = f'<w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
    return f"<w:tc>{properties}<w:p>{paragraph}{run}</w:p></w:tc>"


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
        self.styles: dict[str, Any] = {}

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
        section.left_margin = section.right_margin = Pt(MARGIN)
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
            paragraph = self.add("", f"toc {depth}")
            if index == 0:
                _field_char(paragraph, "begin", dirty=True)
                _instruction(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
                _field_char(paragraph, "separate")
            _hyperlink(paragraph, section.heading, anchor=self.bookmarks[section.key])
            if index == len(entries) - 1:
                _field_char(paragraph, "end")

    def heading(self, section: t.Section, level: int) -> None:
        paragraph = self.add(section.heading, f"Heading {min(level, 6)}")
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
            isinstance(b, t.Table) and b.rows and column_points(b)[1] for b in section.blocks
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

    def paragraph(self, runs: list[t.Inline], italic: bool = False, style: str = "") -> Any:
        paragraph = self.add("", style) if style else self.doc.add_paragraph()
        self.add_runs(paragraph, runs, italic)
        return paragraph

    def add_runs(self, paragraph: Any, runs: list[t.Inline], italic: bool = False) -> None:
        for item in runs:
            if isinstance(item, t.Link):
                _hyperlink(paragraph, item.text, url=item.url)
                if item.url != item.text:
                    # Printed, a link has no target: the address follows the words.
                    paragraph.add_run(f" ({item.url})")
                continue
            if isinstance(item, t.CrossRef) and item.target_number:
                anchor = self.bookmarks.get(item.target, "")
                if anchor:
                    _hyperlink(paragraph, item.text, anchor=anchor)
                    continue
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

    def prose(self, blocks: list[t.ProseBlock], level: int, italic: bool = False) -> None:
        """Staff-written text with Word's own styles for headings, lists and quotations."""
        for block in blocks:
            if isinstance(block, t.Paragraph):
                self.paragraph(block.runs, italic)
            elif isinstance(block, t.Heading):
                heading = self.add("", f"Heading {min(level + block.level, 9)}")
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
                grid.style = self.style("Table Grid")
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
                self.add(block.heading, f"Heading {min(level + 1, 7)}")
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
                bullet = self.add("", "List Bullet")
                bullet.add_run(f"{item.label}: ")
                bullet.add_run(key_figure_value(item)).bold = True
                if item.previous is not None and block.previous_year:
                    bullet.add_run(
                        " ("
                        + _("{year}: {value}").format(
                            year=block.previous_year, value=charts._number(item.previous)
                        )
                        + ")"
                    )
                if item.source:
                    bullet.add_run(" · " + key_figure_source(item)).italic = True
        elif isinstance(block, t.Findings):
            for finding in block.findings:
                entry = self.add("", "List Bullet")
                entry.add_run(severity_label(finding.severity) + " ").bold = True
                entry.add_run(finding.message + " ")
                if finding.fix:
                    entry.add_run(finding.fix).italic = True
                for record in finding.records[:20]:
                    self.add(record.description, "List Bullet 2")
                if len(finding.records) > 20:
                    more = _("… og {n} til.").format(n=len(finding.records) - 20)
                    self.add(more, "List Bullet 2")

    def table(self, table: t.Table) -> None:
        doc = self.doc
        self.add(table.caption, "Caption")
        if not table.rows or not table.columns:
            doc.add_paragraph(table.empty_text).runs[0].italic = True
            return
        table_style = self.style("Table Grid")
        table_style.font.size = Pt(8)  # the size the column widths assume
        points, _landscape = column_points(table)
        twips = [round(point * 20) for point in points]
        xml = [
            f"<w:tbl {nsdecls('w', 'r')}><w:tblPr>"
            f'<w:tblStyle w:val="{table_style.style_id}"/>'
            f'<w:tblW w:type="dxa" w:w="{sum(twips)}"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:firstColumn="1" w:lastRow="0" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{width}"/>' for width in twips),
            "</w:tblGrid>",
            # The header row repeats on every page; no row is split across two pages.
            '<w:tr><w:trPr><w:cantSplit w:val="true"/><w:tblHeader w:val="true"/></w:trPr>',
            *(
                _cell_xml(width, column, bold=True)
                for width, column in zip(twips, table.columns, strict=True)
            ),
            "</w:tr>",
        ]
        for row in table.rows:
            xml.append('<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>')
            for width, value in zip(twips, row, strict=True):
                xml.append(self.cell_xml(width, value))
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        body = doc.element.body
        body.sectPr.addprevious(parse_xml("".join(xml)))
        if table.footnote:
            doc.add_paragraph(table.footnote).runs[0].italic = True

    def cell_xml(self, width: int, value: t.Cell) -> str:
        if value is None:
            return _cell_xml(width, "")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _cell_xml(width, charts._number(value), right=True)
        text = str(value)
        if text.startswith(("http://", "https://")):
            rel = self.doc.part.relate_to(text, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            return _cell_xml(width, text, link=rel)
        return _cell_xml(width, text)

    def add(self, text: str, style: str) -> DocxParagraph:
        """A paragraph in a style, set by its id (python-docx's own setter compares every
        style with the default on each call, which cost seconds over a report)."""
        paragraph = self.doc.add_paragraph(text)
        paragraph._p.style = self.style(style).style_id
        return paragraph

    def style(self, name: str) -> Any:
        """A style by name, looked up once (python-docx searches every style by name)."""
        if name not in self.styles:
            self.styles[name] = self.doc.styles[name]
        return self.styles[name]

    def figure(self, figure: t.Figure) -> None:
        self.figures += 1
        self.doc.add_picture(io.BytesIO(charts.png(figure)), width=Cm(16))
        # python-docx has no alt-text API: set descr/title on the drawing's docPr.
        picture = self.doc.paragraphs[-1]
        for doc_pr in picture._p.iter(qn("wp:docPr")):
            doc_pr.set("descr", figure.alt)
            doc_pr.set("title", figure.caption)
        self.add(figure.caption, "Caption")


def render_docx(report: t.Report) -> bytes:
    return DocxWriter(report).render()

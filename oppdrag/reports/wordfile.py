"""The report's texts as a Word document and back: a skeleton with one heading per text slot.

Staff who draft in Word download the skeleton (the whole report or one chapter), write
under the headings and upload the file again; each slot's text is read back into the
stored light markup. What the editor supports survives the round trip: paragraphs,
headings inside a text (Word's «Overskrift 2» and «Overskrift 3»), bulleted and numbered
lists, bold and italic, links, quotations and simple tables. Live figures and
cross-references travel as their tokens (``[[figur:…]]``, ``[[ref:…]]``), so a number
typed over one in Word shows up as changed text, not as a silent figure.

Pure Python (python-docx and the standard library). An uploaded file is hostile input:
it is refused before python-docx opens it when it unpacks too far (``zipguard``) or
declares a DTD (``xmlguard``), and every refusal says what and where in Norwegian.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from oppdrag.importing.xmlguard import XmlRefused, check_archive
from oppdrag.importing.zipguard import unpacks_too_far

from . import tree as t

MAX_BYTES = 20 * 1024 * 1024
# Word's own built-in style names, in English (what python-docx reports) and Norwegian.
_HEADING = re.compile(r"^(?:heading|overskrift)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "tittel", "subtitle", "undertittel"}
_QUOTE_STYLES = {"quote", "intense quote", "sitat", "sterkt sitat"}
_NUMBERED = re.compile(r"^(?:list number|listenummer|nummerert liste)", re.IGNORECASE)
_BULLETED = re.compile(r"^(?:list bullet|punktliste|liste med punkt)", re.IGNORECASE)
_LIST_PARAGRAPH = re.compile(r"^(?:list paragraph|listeavsnitt)$", re.IGNORECASE)


class WordRejected(ValueError):
    """The uploaded document cannot be read; the message says why, in Norwegian."""


# --- the light markup ------------------------------------------------------------------
# The stored form is the writing page's markup (a Markdown subset with tokens). These
# functions write it from what Word holds; ``oppdrag.reports.prose`` reads it.
_ESCAPE = re.compile(r"([\\*_`])")
_LINE_START = re.compile(r"^(\s*)(\d*)([#>+.)-])(?=\s|$)")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    url: str = ""


def inline_markup(runs: Iterable[Run]) -> str:
    """Runs as markup: ``**bold**``, ``*italic*``, ``[text](url)``; tokens kept as they are."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        last = merged[-1] if merged else None
        if last is not None and (last.bold, last.italic, last.url) == (
            run.bold,
            run.italic,
            run.url,
        ):
            last.text += run.text
        else:
            merged.append(Run(run.text, run.bold, run.italic, run.url))
    out: list[str] = []
    for run in merged:
        text = " ".join(run.text.replace("\t", " ").split(" "))
        if run.url:
            label = _escape(text).replace("[", "\\[").replace("]", "\\]")
            out.append(f"[{label}]({run.url})")
            continue
        core = text.strip()
        if not core or not (run.bold or run.italic):
            out.append(_escape(text))
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        mark = ("**" if run.bold else "") + ("*" if run.italic else "")
        out.append(f"{lead}{mark}{_escape(core)}{mark[::-1]}{trail}")
    line = " ".join("".join(out).split())
    # A paragraph that starts like a heading, quotation or list item stays a paragraph.
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), line)


@dataclass
class Section:
    """The blocks under one slot heading, as markup."""

    heading: str
    blocks: list[str] = field(default_factory=list)

    @property
    def markup(self) -> str:
        return "\n\n".join(block for block in self.blocks if block.strip())


HEADING_MARKS = {1: "#", 2: "##"}


def heading_markup(level: int, runs: Iterable[Run]) -> str:
    return f"{HEADING_MARKS[min(max(level, 1), 2)]} {inline_markup(runs)}"


def table_markup(rows: list[list[str]]) -> str:
    width = max(len(row) for row in rows)
    padded = [
        [cell.replace("|", "\\|") for cell in row] + [""] * (width - len(row)) for row in rows
    ]
    lines = ["| " + " | ".join(padded[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in padded[1:]]
    return "\n".join(lines)


# --- reading a document ------------------------------------------------------------------
def open_upload(data: bytes, name: str) -> Any:
    """The python-docx document of an upload, after the zip and XML guards; or refuse."""
    if len(data) > MAX_BYTES:
        raise WordRejected(
            f"Filen «{name}» er større enn {MAX_BYTES // (1024 * 1024)} MB og leses ikke."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if unpacks_too_far(archive, len(data)):
                raise WordRejected(f"Filen «{name}» pakker seg ut til mistenkelig mye data.")
            if "word/document.xml" not in names:
                raise WordRejected(
                    f"Filen «{name}» er ikke et Word-dokument (.docx). Last opp skjelettet "
                    "du lastet ned, lagret som .docx."
                )
            check_archive(archive)
    except zipfile.BadZipFile as exc:
        raise WordRejected(
            f"Filen «{name}» er ikke et Word-dokument (.docx), eller den er ødelagt."
        ) from exc
    except XmlRefused as exc:
        raise WordRejected(
            f"Word-dokumentet «{name}» kan ikke leses: delen {exc.part} – {exc.reason}."
        ) from exc
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise WordRejected(f"Word-dokumentet «{name}» er ødelagt og kan ikke leses.") from exc


def _style_name(paragraph: Any) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError):  # a style id the styles part does not define
        return ""
    return (style.name or "").strip() if style is not None else ""


def _runs(paragraph: Any) -> Iterator[Run]:
    from docx.text.hyperlink import Hyperlink

    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            text = item.text
            if text:
                # A link within the document (a bookmark) has no address: plain text.
                yield Run(text, url=(item.address or "").strip())
            continue
        style = ""
        try:
            style = (item.style.name or "").casefold() if item.style is not None else ""
        except (KeyError, ValueError):
            style = ""
        yield Run(
            item.text,
            bold=bool(item.bold) or style in {"strong", "sterk"},
            italic=bool(item.italic) or style in {"emphasis", "utheving"},
        )


def _cell_text(cell: Any) -> str:
    return " ".join(inline_markup(_runs(p)) for p in cell.paragraphs).strip()


def read_sections(data: bytes, name: str) -> list[Section]:
    """The document's slot sections in order: each «Overskrift 1» starts one.

    Whatever comes before the first «Overskrift 1» (the title and the instructions)
    is not a slot's text and is not read.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = open_upload(data, name)
    sections: list[Section] = []
    pending_list: list[str] = []
    quote: list[str] = []

    def flush() -> None:
        if sections and pending_list:
            sections[-1].blocks.append("\n".join(pending_list))
        if sections and quote:
            sections[-1].blocks.append("\n>\n".join(quote))
        pending_list.clear()
        quote.clear()

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            flush()
            if sections:
                rows = [[_cell_text(cell) for cell in row.cells] for row in item.rows]
                rows = [row for row in rows if row]
                if rows:
                    sections[-1].blocks.append(table_markup(rows))
            continue
        if not isinstance(item, Paragraph):
            continue
        style = _style_name(item)
        heading = _HEADING.match(style)
        if heading and heading.group(1) == "1":
            flush()
            sections.append(Section(" ".join(item.text.split())))
            continue
        if not sections or style.casefold() in _TITLE_STYLES:
            continue
        runs = list(_runs(item))
        text = inline_markup(runs)
        if heading:
            flush()
            if text:
                sections[-1].blocks.append(heading_markup(int(heading.group(1)) - 1, runs))
            continue
        numbered = bool(_NUMBERED.match(style))
        bulleted = bool(_BULLETED.match(style)) or (
            bool(_LIST_PARAGRAPH.match(style)) or _has_numbering(item)
        )
        if (numbered or bulleted) and text:
            if quote:
                flush()
            marker = "1." if numbered else "-"
            if pending_list and pending_list[0].startswith("-") != (marker == "-"):
                flush()
            pending_list.append(f"{marker} {text}")
            continue
        if style.casefold() in _QUOTE_STYLES and text:
            if pending_list:
                flush()
            quote.append(f"> {text}")
            continue
        flush()
        if text:
            sections[-1].blocks.append(text)
    flush()
    return sections


def _has_numbering(paragraph: Any) -> bool:
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


# --- writing the skeleton ------------------------------------------------------------------
def _add_runs(paragraph: Any, runs: Iterable[t.Inline]) -> None:
    for run in runs:
        if isinstance(run, t.Link):
            _add_hyperlink(paragraph, run.text, run.url)
        elif isinstance(run, t.CrossRef):
            paragraph.add_run(f"[[ref:{run.target}]]")
        elif isinstance(run, t.Text):
            added = paragraph.add_run(run.text)
            added.bold = run.bold or None
            added.italic = getattr(run, "italic", False) or None
        else:  # a live figure: its token, so that the figure stays live after the upload
            paragraph.add_run(figure_token(run))


def figure_token(run: Any) -> str:
    return f"[[figur:{run.key}]]"


def _add_hyperlink(paragraph: Any, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(color)
    properties.append(underline)
    run.append(properties)
    node = OxmlElement("w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def _add_blocks(document: Any, blocks: Iterable[Any]) -> None:
    previous = ""
    for block in blocks:
        kind = type(block).__name__
        if kind == previous and kind in ("Quote", "ListBlock"):
            # Word runs two quotations (or lists) in a row together; an empty
            # paragraph between them keeps them apart when the file is read back.
            document.add_paragraph()
        previous = kind
        if kind == "Heading":
            paragraph = document.add_paragraph(style=f"Heading {min(block.level, 2) + 1}")
            _add_runs(paragraph, block.runs)
        elif kind == "ListBlock":
            style = "List Number" if block.ordered else "List Bullet"
            for item in block.items:
                _add_runs(document.add_paragraph(style=style), item)
        elif kind == "Quote":
            for quoted in block.paragraphs:
                _add_runs(document.add_paragraph(style="Quote"), quoted.runs)
        elif kind == "TextTable":
            rows = [block.header, *block.rows]
            width = max(len(row) for row in rows)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, runs in zip(row.cells, cells, strict=False):
                    _add_runs(cell.paragraphs[0], runs)
        else:
            _add_runs(document.add_paragraph(), block.runs)


@dataclass
class SkeletonSlot:
    """What the skeleton needs of a slot: its heading and its text as prose blocks."""

    heading: str
    blocks: list[Any]


def skeleton(title: str, intro: list[str], slots: list[SkeletonSlot]) -> bytes:
    """The Word skeleton: a title, the instructions, then one «Overskrift 1» per slot."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_paragraph(title, style="Title")
    for line in intro:
        document.add_paragraph(line)
    for slot in slots:
        document.add_paragraph(slot.heading, style="Heading 1")
        _add_blocks(document, slot.blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""The annual report as a renderer-independent tree.

Plain dataclasses, no Django: the builder fills a ``Report`` from the registry,
``number_sections`` gives every section its number from its place in the tree,
``resolve_references`` turns cross-references into chapter numbers (a stale one
becomes a finding, never an exception), and the renderers (HTML, DOCX, PDF,
JSON) read the same resolved tree, so the formats cannot disagree.

Words that reach the reader (``kapittel``, ``Vedlegg`` …) are passed in through
``Labels`` by the caller, which translates them; this module stays pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Cell = str | int | float | None
Severity = Literal["error", "warning", "info"]


# --- inline content ---------------------------------------------------------------
@dataclass
class Text:
    """A run of plain text, optionally bold and/or italic."""

    text: str
    bold: bool = False
    italic: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "text", "text": self.text}
        if self.bold:
            data["bold"] = True
        if self.italic:
            data["italic"] = True
        return data


@dataclass
class Link:
    """A run of text pointing to a web address."""

    text: str
    url: str

    def to_json(self) -> dict[str, Any]:
        return {"type": "link", "text": self.text, "url": self.url}


@dataclass
class CrossRef:
    """A reference to another section by key (``assignment:3.1.2``, ``appendix:events``).

    ``text`` is filled in by ``resolve_references`` ("kapittel 3.1.2"); ``target_number``
    stays empty when the target does not exist.
    """

    target: str
    text: str = ""
    target_number: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "ref",
            "target": self.target,
            "number": self.target_number,
            "text": self.text,
        }


@dataclass
class LiveFigure:
    """A figure computed from the registry, written in prose as ``[[figur:KEY]]``.

    ``text`` is the figure's current value as printed ("6 020"), filled in by
    ``resolve_figures``; ``label`` says what it counts. An unknown key keeps an empty
    ``value`` and prints a visible marker, never a number.
    """

    key: str
    text: str = ""
    label: str = ""
    value: int | float | str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "live_figure",
            "key": self.key,
            "text": self.text,
            "label": self.label,
            "value": self.value,
        }


Inline = Text | Link | CrossRef | LiveFigure

_REF = re.compile(r"\[\[ref:([^\]\s]+)\]\]")


def parse_inline(text: str) -> list[Inline]:
    """Split text with ``[[ref:KEY]]`` markup into runs and cross-references."""
    runs: list[Inline] = []
    position = 0
    for match in _REF.finditer(text):
        if match.start() > position:
            runs.append(Text(text[position : match.start()]))
        runs.append(CrossRef(target=match.group(1)))
        position = match.end()
    if position < len(text):
        runs.append(Text(text[position:]))
    return runs


def paragraphs_from_text(text: str) -> list[Paragraph]:
    """Paragraphs separated by blank lines, with cross-reference markup parsed."""
    chunks = [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text.strip())]
    return [Paragraph(parse_inline(chunk)) for chunk in chunks if chunk]


# --- blocks -----------------------------------------------------------------------
@dataclass
class Paragraph:
    """A paragraph of inline runs; ``generated`` marks text the system wrote from records,
    ``illustrative`` a paragraph about generated (demonstration) data."""

    runs: list[Inline]
    generated: bool = False
    illustrative: bool = False

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "paragraph",
            "generated": self.generated,
            "text": self.plain,
            "runs": [run.to_json() for run in self.runs],
        }
        if self.illustrative:
            data["illustrative"] = True
        return data


@dataclass
class Heading:
    """A heading inside staff-written text (below the section's own heading).

    ``level`` 1 is the text's top level (printed one step below the section), 2 below it.
    """

    runs: list[Inline]
    level: int = 1

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "heading",
            "level": self.level,
            "text": self.plain,
            "runs": [run.to_json() for run in self.runs],
        }


@dataclass
class ListBlock:
    """A bulleted or numbered list; each item is one line of inline runs (no nesting)."""

    items: list[list[Inline]]
    ordered: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "list",
            "ordered": self.ordered,
            "items": [
                {"text": "".join(r.text for r in item), "runs": [r.to_json() for r in item]}
                for item in self.items
            ],
        }


@dataclass
class Quote:
    """A quotation: one or more paragraphs set off from the text."""

    paragraphs: list[Paragraph]

    def to_json(self) -> dict[str, Any]:
        return {"type": "quote", "paragraphs": [p.to_json() for p in self.paragraphs]}


@dataclass
class TextTable:
    """A simple table written in prose: a header row and rows of inline-run cells."""

    header: list[list[Inline]]
    rows: list[list[list[Inline]]]

    def to_json(self) -> dict[str, Any]:
        def cell(runs: list[Inline]) -> dict[str, Any]:
            return {"text": "".join(r.text for r in runs), "runs": [r.to_json() for r in runs]}

        return {
            "type": "text_table",
            "header": [cell(c) for c in self.header],
            "rows": [[cell(c) for c in row] for row in self.rows],
        }


# What staff-written text is made of (see ``oppdrag.reports.prose``).
ProseBlock = Paragraph | Heading | ListBlock | Quote | TextTable


def prose_runs(block: ProseBlock) -> Iterator[list[Inline]]:
    """Every list of inline runs in a prose block, in reading order."""
    if isinstance(block, Paragraph | Heading):
        yield block.runs
    elif isinstance(block, ListBlock):
        yield from block.items
    elif isinstance(block, Quote):
        for paragraph in block.paragraphs:
            yield paragraph.runs
    else:
        yield from block.header
        for row in block.rows:
            yield from row


@dataclass
class Assessment:
    """Staff-written text under a sub-heading ("Aktiviteter" …), with its status.

    ``content`` holds the text's blocks; ``paragraphs`` (its plain paragraphs only)
    stays for readers that only want running text.
    """

    key: str
    heading: str
    content: list[ProseBlock]
    status: str = ""
    author: str = ""

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [block for block in self.content if isinstance(block, Paragraph)]

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "assessment",
            "key": self.key,
            "heading": self.heading,
            "status": self.status,
            "author": self.author,
            "content": [block.to_json() for block in self.content],
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }


@dataclass
class Table:
    """A table: header strings as printed, rows of cells (numbers stay numbers)."""

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    footnote: str = ""
    empty_text: str = ""
    key: str = ""
    # Index of columns holding percentages that must add up to 100.
    percent_columns: tuple[int, ...] = ()
    # Rows at the end that are sums (excluded from the percentage check).
    total_rows: int = 0
    # Generated (demonstration) data: the caption says so, and the JSON carries the flag.
    illustrative: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "table",
            "key": self.key,
            "caption": self.caption,
            "columns": list(self.columns),
            "rows": [list(row) for row in self.rows],
            "footnote": self.footnote,
            "empty_text": self.empty_text if not self.rows else "",
        }
        if self.illustrative:
            data["illustrative"] = True
        return data


@dataclass
class Series:
    """One data series of a chart."""

    name: str
    values: list[int | float]


@dataclass
class Figure:
    """A chart with the data it plots; ``alt`` describes it for screen readers."""

    kind: Literal["bar", "stacked-bar"]
    caption: str
    alt: str
    labels: list[str]
    series: list[Series]
    value_label: str = ""
    key: str = ""
    illustrative: bool = False  # generated data: the caption says so

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "figure",
            "key": self.key,
            "kind": self.kind,
            "caption": self.caption,
            "alt": self.alt,
            "value_label": self.value_label,
            "labels": list(self.labels),
            "series": [{"name": s.name, "values": list(s.values)} for s in self.series],
        }
        if self.illustrative:
            data["illustrative"] = True
        return data


@dataclass
class KeyFigure:
    """One key figure: label, value, where it comes from, and optionally last year's value.

    ``value`` is ``None`` when the records it is computed from are missing: printed as
    not registered, never as 0."""

    label: str
    value: int | float | None
    previous: int | float | None = None
    key: str = ""
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "previous": self.previous,
            "source": self.source,
        }


@dataclass
class KeyFigures:
    """The list of key figures (nøkkeltall) on the report's first pages."""

    items: list[KeyFigure]
    year: int
    previous_year: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "key_figures",
            "year": self.year,
            "previous_year": self.previous_year,
            "items": [item.to_json() for item in self.items],
        }


@dataclass
class RecordRef:
    """A record a finding concerns: its public id and a short description.

    ``kind`` says where the record is fixed: a registry kind (``events`` …),
    ``assignment`` or ``text_slot``; empty when unknown (e.g. read back from JSON).
    """

    uid: str
    description: str
    kind: str = ""

    def to_json(self) -> dict[str, str]:
        return {"uid": self.uid, "description": self.description}


@dataclass
class Finding:
    """A data-quality finding: what is wrong, which records, and how to fix it."""

    code: str
    severity: Severity
    message: str
    fix: str = ""
    records: list[RecordRef] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
            "records": [r.to_json() for r in self.records],
        }


@dataclass
class Findings:
    """The open findings, shown in the preview so nothing is silently dropped."""

    findings: list[Finding]

    def to_json(self) -> dict[str, Any]:
        return {"type": "findings", "findings": [f.to_json() for f in self.findings]}


Block = Paragraph | Assessment | Table | Figure | KeyFigures | Findings


# --- sections ---------------------------------------------------------------------
NumberStyle = Literal["none", "chapter", "letter", "appendix", "appendix-unnumbered"]


@dataclass
class Section:
    """A numbered (or unnumbered) part of the report with blocks and sub-sections.

    ``key`` is the stable identifier cross-references point to; ``number`` is computed
    by ``number_sections`` from the section's place in the tree.
    """

    key: str
    title: str
    style: NumberStyle = "chapter"
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    number: str = ""
    label: str = ""  # the number as printed before the title ("a)", "3.1.1", "Vedlegg 1:")

    @property
    def anchor(self) -> str:
        return "s-" + re.sub(r"[^a-z0-9]+", "-", self.key.lower()).strip("-")

    @property
    def heading(self) -> str:
        return f"{self.label} {self.title}" if self.label else self.title

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "number": self.number,
            "title": self.title,
            "style": self.style,
            "label": self.label,
            "blocks": [block.to_json() for block in self.blocks],
            "sections": [section.to_json() for section in self.sections],
        }


@dataclass
class Labels:
    """Reader-facing words the tree needs, supplied (translated) by the caller."""

    chapter_ref: str = "kapittel {number}"
    appendix_ref: str = "{number}"
    appendix: str = "Vedlegg {number}"
    appendix_unnumbered: str = "Vedlegg"
    missing_ref: str = "[ukjent henvisning: {target}]"
    stale_message: str = "Henvisningen «{target}» i «{section}» peker ikke til noe kapittel."
    stale_fix: str = "Rett eller fjern henvisningen i teksten."
    percent_message: str = "Prosentene i tabellen «{caption}» summerer til {total} og ikke 100."
    percent_fix: str = "Avrund med største-rest-metoden slik at summen blir 100."
    total_note: str = (
        "Summen {total} i kolonnen «{column}» er regnet av tallene før avrunding; "
        "de avrundede linjene over summerer til {rows}."
    )
    missing_figure: str = "[ukjent tall: {key}]"
    unknown_figure_message: str = "Tallet «{key}» i «{section}» finnes ikke i registeret."
    unknown_figure_fix: str = "Sett inn tallet på nytt fra listen over tall i skrivesiden."


@dataclass
class Report:
    """The whole annual report of one centre and year."""

    center: str
    center_name: str
    year: int
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    labels: Labels = field(default_factory=Labels)

    def walk(self) -> Iterator[tuple[int, Section]]:
        """Every section with its depth (1 for top level), in reading order."""

        def visit(sections: list[Section], depth: int) -> Iterator[tuple[int, Section]]:
            for section in sections:
                yield depth, section
                yield from visit(section.sections, depth + 1)

        yield from visit(self.sections, 1)

    def section(self, key: str) -> Section | None:
        return next((s for _, s in self.walk() if s.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "center": self.center,
            "center_name": self.center_name,
            "year": self.year,
            "title": self.title,
            "subtitle": self.subtitle,
            "sections": [section.to_json() for section in self.sections],
            "findings": [finding.to_json() for finding in self.findings],
        }


def number_sections(report: Report) -> None:
    """Give every section its number from its place in the tree.

    Top-level chapters count 1, 2, 3 …; a chapter's children are ``N.1``, ``N.2`` …
    or letters ``Na`` (printed "a)"); appendices count "Vedlegg 1" … in order.
    """
    labels = report.labels
    chapter = 0
    appendix = 0

    def number_children(parent: Section) -> None:
        position = 0
        for child in parent.sections:
            if child.style == "none":
                child.number, child.label = "", ""
            elif child.style == "letter":
                letter = chr(ord("a") + position)
                position += 1
                child.number, child.label = f"{parent.number}{letter}", f"{letter})"
            else:
                position += 1
                child.number = f"{parent.number}.{position}"
                child.label = child.number
            number_children(child)

    for section in report.sections:
        if section.style == "chapter":
            chapter += 1
            section.number = section.label = str(chapter)
        elif section.style == "appendix":
            appendix += 1
            section.number = labels.appendix.format(number=appendix)
            section.label = section.number + ":"
        elif section.style == "appendix-unnumbered":
            section.number = ""
            section.label = labels.appendix_unnumbered + ":"
        else:
            section.number = section.label = ""
        number_children(section)


def inline_lists(block: Block) -> Iterator[list[Inline]]:
    """Every list of inline runs a block holds (a paragraph's, an assessment's text)."""
    if isinstance(block, Paragraph):
        yield block.runs
    elif isinstance(block, Assessment):
        for prose in block.content:
            yield from prose_runs(prose)


def resolve_references(report: Report, targets: dict[str, Section] | None = None) -> list[Finding]:
    """Fill in the text of every cross-reference; return findings for stale ones.

    ``targets`` (default: the report's own sections) lets a part of a report, such as
    one text being previewed, resolve against the whole report's numbers.
    """
    labels = report.labels
    if targets is None:
        targets = {section.key: section for _, section in report.walk()}
    findings: list[Finding] = []
    for _, section in report.walk():
        for block in section.blocks:
            for runs in inline_lists(block):
                for run in runs:
                    if not isinstance(run, CrossRef):
                        continue
                    target = targets.get(run.target)
                    if target is None or not target.number:
                        run.target_number = ""
                        run.text = labels.missing_ref.format(target=run.target)
                        findings.append(
                            Finding(
                                code="stale_reference",
                                severity="error",
                                message=labels.stale_message.format(
                                    target=run.target, section=section.heading
                                ),
                                fix=labels.stale_fix,
                            )
                        )
                        continue
                    run.target_number = target.number
                    template = (
                        labels.appendix_ref
                        if target.style.startswith("appendix")
                        else labels.chapter_ref
                    )
                    number = target.number
                    if target.style.startswith("appendix"):
                        # "Vedlegg 2" is a heading; inside a sentence it reads "vedlegg 2".
                        number = number[:1].lower() + number[1:]
                    run.text = template.format(number=number)
    return findings


def check_percentages(report: Report) -> list[Finding]:
    """Percent columns of every table must add up to 100 (a 0-row table is fine)."""
    findings = []
    for _, section in report.walk():
        for block in section.blocks:
            if not isinstance(block, Table) or not block.rows:
                continue
            body = block.rows[: len(block.rows) - block.total_rows]
            for column in block.percent_columns:
                values = [row[column] for row in body if isinstance(row[column], int | float)]
                if not values:
                    continue
                total = round(sum(values), 6)  # type: ignore[arg-type]
                if total != 100:
                    findings.append(
                        Finding(
                            code="percentages_not_100",
                            severity="error",
                            message=report.labels.percent_message.format(
                                caption=block.caption, total=_plain_number(total)
                            ),
                            fix=report.labels.percent_fix,
                        )
                    )
    return findings


def explain_totals(report: Report) -> None:
    """A sum row that differs from the sum of the printed rows above it says why.

    A table with one sum row (``total_rows == 1``) whose total is computed from the
    unrounded numbers (appendix 8's FTE: 27,8 under rows that add to 27,9) gets a
    sentence in its footnote naming the column, the printed total and the rows' sum.
    Percent columns are left to ``check_percentages``.
    """
    for _, section in report.walk():
        for block in section.blocks:
            if not isinstance(block, Table) or block.total_rows != 1 or len(block.rows) < 2:
                continue
            *body, total_row = block.rows
            notes = []
            for column, total in enumerate(total_row):
                if column in block.percent_columns or not _is_number(total):
                    continue
                values = [row[column] for row in body if column < len(row)]
                numbers = [v for v in values if _is_number(v)]
                if not numbers:
                    continue
                places = max(_places(v) for v in [*numbers, total])
                exact = sum((Decimal(str(v)) for v in numbers), Decimal(0))
                printed: Decimal = round(exact, places)
                if printed != round(Decimal(str(total)), places):
                    notes.append(
                        report.labels.total_note.format(
                            total=_decimal_text(Decimal(str(total))),
                            column=block.columns[column] if column < len(block.columns) else "",
                            rows=_decimal_text(printed),
                        )
                    )
            if notes:
                block.footnote = " ".join(part for part in (block.footnote, *notes) if part)


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _places(value: Cell) -> int:
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _decimal_text(value: Decimal) -> str:
    """1 234,5 as the tables print it (narrow no-break space, decimal comma)."""
    sign = "\u2212" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):,f}".partition(".")
    text = whole.replace(",", "\u2009") + ("," + fraction if fraction else "")
    return sign + text


def _plain_number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


def largest_remainder_percentages(counts: list[int]) -> list[int]:
    """Whole percentages that add up to exactly 100 (Hamilton's method).

    Ties in the remainder go to the earlier item, so the result is deterministic.
    All zeros give all zeros.
    """
    total = sum(counts)
    if total == 0:
        return [0 for _ in counts]
    exact = [count * 100 / total for count in counts]
    floors = [int(value) for value in exact]
    missing = 100 - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:missing]:
        floors[index] += 1
    return floors


@dataclass(frozen=True)
class FigureValue:
    """A live figure's current value: the number (or date) and how it is printed."""

    value: int | float | str
    text: str
    label: str


def resolve_figures(report: Report, values: dict[str, FigureValue]) -> list[Finding]:
    """Fill in every live figure from ``values``; an unknown key becomes a finding."""
    labels = report.labels
    findings: list[Finding] = []
    for _, section in report.walk():
        for block in section.blocks:
            for runs in inline_lists(block):
                for run in runs:
                    if not isinstance(run, LiveFigure):
                        continue
                    known = values.get(run.key)
                    if known is None:
                        run.text = labels.missing_figure.format(key=run.key)
                        run.value, run.label = None, ""
                        findings.append(
                            Finding(
                                code="unknown_figure",
                                severity="error",
                                message=labels.unknown_figure_message.format(
                                    key=run.key, section=section.heading
                                ),
                                fix=labels.unknown_figure_fix,
                            )
                        )
                        continue
                    run.text, run.value, run.label = known.text, known.value, known.label
    return findings


def finish(report: Report, figures: dict[str, FigureValue] | None = None) -> Report:
    """Number the sections, resolve references and figures, add the tree's own findings."""
    number_sections(report)
    report.findings.extend(resolve_references(report))
    report.findings.extend(resolve_figures(report, figures or {}))
    report.findings.extend(check_percentages(report))
    explain_totals(report)
    return report


# --- back from JSON ---------------------------------------------------------------
def report_from_json(data: dict[str, Any]) -> Report:
    """The resolved tree again from ``Report.to_json()``, e.g. a submitted snapshot.

    Numbers, labels and reference texts are taken as stored (not recomputed), so
    the snapshot renders as it read when it was made.
    """
    return Report(
        center=data["center"],
        center_name=data["center_name"],
        year=data["year"],
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        sections=[_section_from_json(s) for s in data.get("sections", [])],
        findings=[_finding_from_json(f) for f in data.get("findings", [])],
    )


def _section_from_json(data: dict[str, Any]) -> Section:
    number = data.get("number", "")
    return Section(
        key=data["key"],
        title=data["title"],
        style=data.get("style", "chapter"),
        blocks=[_block_from_json(b) for b in data.get("blocks", [])],
        sections=[_section_from_json(s) for s in data.get("sections", [])],
        number=number,
        label=data.get("label", number),
    )


def _inline_from_json(data: dict[str, Any]) -> Inline:
    if data["type"] == "link":
        return Link(data["text"], data["url"])
    if data["type"] == "ref":
        return CrossRef(data["target"], data.get("text", ""), data.get("number", ""))
    if data["type"] == "live_figure":
        return LiveFigure(
            data["key"], data.get("text", ""), data.get("label", ""), data.get("value")
        )
    return Text(data["text"], bool(data.get("bold", False)), bool(data.get("italic", False)))


def _runs_from_json(items: list[dict[str, Any]]) -> list[Inline]:
    return [_inline_from_json(r) for r in items]


def _prose_from_json(data: dict[str, Any]) -> ProseBlock:
    kind = data["type"]
    if kind == "heading":
        return Heading(_runs_from_json(data["runs"]), int(data.get("level", 1)))
    if kind == "list":
        return ListBlock(
            [_runs_from_json(item["runs"]) for item in data["items"]], bool(data.get("ordered"))
        )
    if kind == "quote":
        return Quote([_paragraph_from_json(p) for p in data["paragraphs"]])
    if kind == "text_table":
        return TextTable(
            [_runs_from_json(c["runs"]) for c in data["header"]],
            [[_runs_from_json(c["runs"]) for c in row] for row in data["rows"]],
        )
    return _paragraph_from_json(data)


def _paragraph_from_json(data: dict[str, Any]) -> Paragraph:
    return Paragraph([_inline_from_json(r) for r in data["runs"]], bool(data.get("generated")))


def _finding_from_json(data: dict[str, Any]) -> Finding:
    return Finding(
        code=data["code"],
        severity=data["severity"],
        message=data["message"],
        fix=data.get("fix", ""),
        records=[RecordRef(r["uid"], r["description"]) for r in data.get("records", [])],
    )


def _block_from_json(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "paragraph":
        return _paragraph_from_json(data)
    if kind == "assessment":
        # Snapshots made before the text had structure hold only "paragraphs".
        content = data.get("content", data.get("paragraphs", []))
        return Assessment(
            key=data["key"],
            heading=data["heading"],
            content=[_prose_from_json(p) for p in content],
            status=data.get("status", ""),
            author=data.get("author", ""),
        )
    if kind == "table":
        return Table(
            caption=data["caption"],
            columns=list(data["columns"]),
            rows=[list(row) for row in data["rows"]],
            footnote=data.get("footnote", ""),
            empty_text=data.get("empty_text", ""),
            key=data.get("key", ""),
        )
    if kind == "figure":
        return Figure(
            kind=data["kind"],
            caption=data["caption"],
            alt=data["alt"],
            labels=list(data["labels"]),
            series=[Series(s["name"], list(s["values"])) for s in data["series"]],
            value_label=data.get("value_label", ""),
            key=data.get("key", ""),
        )
    if kind == "key_figures":
        return KeyFigures(
            items=[
                KeyFigure(
                    i["label"], i["value"], i.get("previous"), i.get("key", ""), i.get("source", "")
                )
                for i in data["items"]
            ],
            year=data["year"],
            previous_year=data.get("previous_year"),
        )
    if kind == "findings":
        return Findings([_finding_from_json(f) for f in data["findings"]])
    raise ValueError(f"unknown block type {kind!r}")


def key_figures_of(report: Report) -> dict[str, KeyFigure]:
    """The report's key figures by key (the first key-figure list in reading order)."""
    for _depth, section in report.walk():
        for block in section.blocks:
            if isinstance(block, KeyFigures):
                return {item.key: item for item in block.items if item.key}
    return {}


def table_ids(report: Report) -> list[tuple[str, Table]]:
    """Every table of the report with a stable identifier for its download URL.

    The identifier is the table's ``key`` (a slug); a table without one, or a key
    seen before, gets its section's anchor and its place in the section, so every
    table has exactly one identifier and the HTML links and downloads agree.
    """
    found: list[tuple[str, Table]] = []
    seen: set[str] = set()
    for _, section in report.walk():
        position = 0
        for block in section.blocks:
            if not isinstance(block, Table):
                continue
            position += 1
            ident = re.sub(r"[^a-z0-9]+", "-", block.key.lower()).strip("-")
            if not ident or ident in seen:
                ident = f"{section.anchor}-{position}"
            seen.add(ident)
            found.append((ident, block))
    return found

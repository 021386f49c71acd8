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
from typing import Any, Literal

Cell = str | int | float | None
Severity = Literal["error", "warning", "info"]


# --- inline content ---------------------------------------------------------------
@dataclass
class Text:
    """A run of plain text, optionally bold."""

    text: str
    bold: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "text", "text": self.text}
        if self.bold:
            data["bold"] = True
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


Inline = Text | Link | CrossRef

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
    """A paragraph of inline runs; ``generated`` marks text the system wrote from records."""

    runs: list[Inline]
    generated: bool = False

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "paragraph",
            "generated": self.generated,
            "text": self.plain,
            "runs": [run.to_json() for run in self.runs],
        }


@dataclass
class Assessment:
    """Staff-written text under a sub-heading ("Aktiviteter" …), with its status."""

    key: str
    heading: str
    paragraphs: list[Paragraph]
    status: str = ""
    author: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "assessment",
            "key": self.key,
            "heading": self.heading,
            "status": self.status,
            "author": self.author,
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

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "table",
            "key": self.key,
            "caption": self.caption,
            "columns": list(self.columns),
            "rows": [list(row) for row in self.rows],
            "footnote": self.footnote,
            "empty_text": self.empty_text if not self.rows else "",
        }


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

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "figure",
            "key": self.key,
            "kind": self.kind,
            "caption": self.caption,
            "alt": self.alt,
            "value_label": self.value_label,
            "labels": list(self.labels),
            "series": [{"name": s.name, "values": list(s.values)} for s in self.series],
        }


@dataclass
class KeyFigure:
    """One key figure: label, value, and optionally last year's value."""

    label: str
    value: int | float
    previous: int | float | None = None
    key: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "previous": self.previous,
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


def _inline_owners(block: Block) -> Iterator[Paragraph]:
    if isinstance(block, Paragraph):
        yield block
    elif isinstance(block, Assessment):
        yield from block.paragraphs


def resolve_references(report: Report) -> list[Finding]:
    """Fill in the text of every cross-reference; return findings for stale ones."""
    labels = report.labels
    targets = {section.key: section for _, section in report.walk()}
    findings: list[Finding] = []
    for _, section in report.walk():
        for block in section.blocks:
            for paragraph in _inline_owners(block):
                for run in paragraph.runs:
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


def finish(report: Report) -> Report:
    """Number the sections, resolve references and add the tree's own findings."""
    number_sections(report)
    report.findings.extend(resolve_references(report))
    report.findings.extend(check_percentages(report))
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
    return Text(data["text"], bool(data.get("bold", False)))


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
        return Assessment(
            key=data["key"],
            heading=data["heading"],
            paragraphs=[_paragraph_from_json(p) for p in data["paragraphs"]],
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
                KeyFigure(i["label"], i["value"], i.get("previous"), i.get("key", ""))
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

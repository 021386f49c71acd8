"""Staff-written text: the light markup it is stored in, parsed into report-tree blocks.

The stored form is a small Markdown subset, parsed by markdown-it-py with raw HTML
off, so nothing a writer types reaches a renderer as markup: every renderer gets
tree nodes and escapes their text itself.

What the markup supports (the editor's toolbar writes the same):

- paragraphs, separated by a blank line
- ``# Overskrift`` and ``## Underoverskrift`` (headings inside the section)
- ``- punkt`` (bulleted list) and ``1. punkt`` (numbered list); nested items are
  flattened into their list
- ``**fet**``, ``*kursiv*``, ``[tekst](https://adresse)`` (http, https and mailto only)
- ``> sitat`` (a quotation)
- ``| A | B |`` tables with a ``|---|---|`` line under the header
- ``[[ref:assignment:3.1.2]]``: a cross-reference, printed as the target's number
- ``[[figur:KEY]]``: a live figure from the registry, printed as its current value

Anything else (images, code, raw HTML) stays as the text it was typed as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import tree as t

# Longest text one slot may hold (characters); the published report's longest
# chapter text is about a fifth of this.
MAX_LENGTH = 100_000

_TOKEN = re.compile(r"\[\[(ref|figur):([^\]\s]{1,200})\]\]")
_SAFE_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable(["code", "fence", "html_block", "html_inline", "image", "backticks", "hr"])
    md.disable(["lheading", "reference", "autolink", "entity"])
    md.validateLink = lambda url: bool(_SAFE_URL.match(url.strip()))  # type: ignore[method-assign]
    return md


_MD = _parser()


def tokens_in(text: str) -> list[tuple[str, str]]:
    """The ``(kind, key)`` of every ``[[ref:…]]`` and ``[[figur:…]]`` in ``text``."""
    return [(m.group(1), m.group(2)) for m in _TOKEN.finditer(text)]


def _split_tokens(text: str, bold: bool, italic: bool) -> list[t.Inline]:
    runs: list[t.Inline] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            runs.append(t.Text(text[position : match.start()], bold, italic))
        kind, key = match.group(1), match.group(2)
        runs.append(t.CrossRef(target=key) if kind == "ref" else t.LiveFigure(key=key))
        position = match.end()
    if position < len(text):
        runs.append(t.Text(text[position:], bold, italic))
    return runs


def _inline(token: Token) -> list[t.Inline]:
    """The runs of an ``inline`` token: text with bold/italic, links, refs and figures."""
    runs: list[t.Inline] = []
    bold = italic = 0
    pending: list[str] = []
    link: dict[str, Any] | None = None

    def flush() -> None:
        if pending:
            runs.extend(_split_tokens("".join(pending), bold > 0, italic > 0))
            pending.clear()

    for child in token.children or []:
        if link is not None:
            if child.type == "link_close":
                runs.append(t.Link("".join(link["text"]) or link["url"], link["url"]))
                link = None
            elif child.type in ("text", "softbreak", "hardbreak"):
                link["text"].append(child.content if child.type == "text" else " ")
            continue
        if child.type == "text":
            pending.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pending.append(" ")
        elif child.type in ("strong_open", "strong_close", "em_open", "em_close"):
            flush()
            step = 1 if child.type.endswith("open") else -1
            if child.type.startswith("strong"):
                bold += step
            else:
                italic += step
        elif child.type == "link_open":
            flush()
            link = {"url": str(child.attrGet("href") or ""), "text": []}
        else:
            pending.append(child.content)
    flush()
    return _merge(runs)


def _merge(runs: list[t.Inline]) -> list[t.Inline]:
    """Adjacent text runs with the same emphasis as one run."""
    merged: list[t.Inline] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (
            isinstance(run, t.Text)
            and isinstance(last, t.Text)
            and (last.bold, last.italic) == (run.bold, run.italic)
        ):
            last.text += run.text
        elif not (isinstance(run, t.Text) and not run.text):
            merged.append(run)
    return merged


@dataclass
class _Table:
    header: list[list[t.Inline]] = field(default_factory=list)
    rows: list[list[list[t.Inline]]] = field(default_factory=list)
    in_head: bool = False


def parse(text: str) -> list[t.ProseBlock]:
    """The blocks of a slot's stored text, ready for the report tree.

    Linear in the length of the text (markdown-it's block and inline rules are); a
    text longer than ``MAX_LENGTH`` is refused by ``validate`` before it is stored.
    """
    blocks: list[t.ProseBlock] = []
    tokens = _MD.parse(text)
    lists: list[t.ListBlock] = []  # open lists, outermost first
    quote: t.Quote | None = None
    table: _Table | None = None
    row: list[list[t.Inline]] | None = None
    heading_level = 0

    def emit(block: t.ProseBlock) -> None:
        blocks.append(block)

    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if not lists:
                lists.append(t.ListBlock([], ordered=kind == "ordered_list_open"))
            else:
                lists.append(lists[0])  # nested: flattened into the outer list
        elif kind in ("bullet_list_close", "ordered_list_close"):
            done = lists.pop()
            if not lists:
                if quote is not None:
                    quote.paragraphs.extend(t.Paragraph(item) for item in done.items)
                else:
                    emit(done)
        elif kind == "blockquote_open":
            if quote is None:
                quote = t.Quote([])
        elif kind == "blockquote_close":
            if quote is not None and token.level == 0:
                if quote.paragraphs:
                    emit(quote)
                quote = None
        elif kind == "heading_open":
            heading_level = 1 if token.tag in ("h1", "h2") else 2
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "table_open":
            table = _Table()
        elif kind == "table_close" and table is not None:
            emit(t.TextTable(table.header, table.rows))
            table = None
        elif kind == "thead_open" and table is not None:
            table.in_head = True
        elif kind == "thead_close" and table is not None:
            table.in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and table is not None and row is not None:
            if table.in_head:
                table.header = row
            else:
                table.rows.append(row)
            row = None
        elif kind == "inline":
            runs = _inline(token)
            if row is not None:
                row.append(runs)
            elif lists:
                if runs:
                    lists[0].items.append(runs)
            elif not runs:
                continue
            elif heading_level:
                if quote is not None:
                    quote.paragraphs.append(t.Paragraph(runs))
                else:
                    emit(t.Heading(runs, heading_level))
            elif quote is not None:
                quote.paragraphs.append(t.Paragraph(runs))
            else:
                emit(t.Paragraph(runs))
    return blocks


def plain_text(text: str) -> str:
    """The text as a reader sees it, without markup (figures and refs as their keys)."""
    parts: list[str] = []
    for block in parse(text):
        for runs in t.prose_runs(block):
            parts.append(
                "".join(
                    run.text
                    or (run.key if isinstance(run, t.LiveFigure) else "")
                    or (run.target if isinstance(run, t.CrossRef) else "")
                    for run in runs
                )
            )
    return "\n".join(parts)

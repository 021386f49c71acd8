"""The report as one accessible HTML page (and the source of the PDF).

Built as a string with escaping rather than a template so the output is
byte-identical for the same tree: no timestamps, no dict-order surprises.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.utils.translation import gettext as _

from .. import charts
from .. import tree as t

SCREEN_CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: #1a1a1a; background: #fff;
  max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.5; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: 1rem; }
a { color: #0b4f8a; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #767676; padding: .25rem .4rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.generated { border-left: 4px solid #0072B2; padding-left: .6rem; }
.empty, .placeholder { font-style: italic; }
.meta { font-size: .85rem; color: #4a4a4a; }
.key-figures { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .75rem; }
.key-figures li { border: 1px solid #767676; padding: .5rem .75rem; min-width: 10rem; }
.key-figures .value { display: block; font-size: 1.6rem; font-weight: bold; }
.key-figures .source { display: block; font-size: .85rem; color: #4a4a4a; }
figure { margin: 1rem 0; }
svg.chart { max-width: 100%; height: auto; }
.finding-error { border-left: 4px solid #b00020; padding-left: .5rem; }
.finding-warning { border-left: 4px solid #8a5a00; padding-left: .5rem; }
.finding-info { border-left: 4px solid #4a4a4a; padding-left: .5rem; }
.front { border-bottom: 2px solid #1a1a1a; margin-bottom: 1rem; }
blockquote { border-left: 4px solid #767676; margin: 1rem 0; padding-left: .8rem; }
.table-scroll { overflow-x: auto; }
"""

PRINT_CSS = """
@page { size: A4; margin: 2cm 1.8cm 2.2cm;
  @bottom-center { content: counter(page); font-family: "DejaVu Sans"; font-size: 9pt; } }
body { max-width: none; padding: 0; font-size: 10pt; }
.skip { display: none; }
.front { page-break-after: always; border: none; padding-top: 8cm; }
nav.toc { page-break-after: always; }
nav.toc a { text-decoration: none; color: #1a1a1a; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
main > section { page-break-before: always; }
h2, h3, h4, h5 { page-break-after: avoid; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
table { font-size: 8pt; }
td { overflow-wrap: break-word; }
"""


def _cell(value: t.Cell) -> tuple[str, bool]:
    if value is None:
        return "", False
    if isinstance(value, bool):
        return escape(str(value)), False
    if isinstance(value, int | float):
        return escape(charts._number(value)), True
    text = str(value)
    if text.startswith(("http://", "https://")):
        return f'<a href="{escape(text)}">{escape(text)}</a>', False
    return escape(text), False


class HtmlWriter:
    """Writes one resolved ``Report`` as HTML."""

    def __init__(self, report: t.Report, *, for_print: bool = False, table_url: str = "") -> None:
        self.report = report
        self.for_print = for_print
        self.out: list[str] = []
        self.figures = 0
        # ``table_url`` ("…/tabeller/{id}.{ext}") adds download links beside tables.
        self.table_url = "" if for_print else table_url
        self.table_id = {id(table): ident for ident, table in t.table_ids(report)}

    def render(self) -> str:
        r = self.report
        title = f"{r.title} – {r.center_name}"
        css = stylesheet(self.for_print)
        w = self.out.append
        w("<!DOCTYPE html>\n")
        w('<html lang="nb">\n<head>\n<meta charset="utf-8">\n')
        w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
        w(f"<title>{escape(title)}</title>\n")
        w(f'<meta name="author" content="{escape(r.center_name)}">\n')
        w(f"<style>{css}</style>\n</head>\n<body>\n")
        w(f'<a class="skip" href="#main">{escape(_("Hopp til innholdet"))}</a>\n')
        w('<header class="front">\n')
        w(f'<p class="center-name">{escape(r.center_name)}</p>\n')
        w(f"<h1>{escape(r.title)}</h1>\n</header>\n")
        self.toc()
        w('<main id="main">\n')
        for section in r.sections:
            self.section(section, 2)
        w("</main>\n</body>\n</html>\n")
        return "".join(self.out)

    def toc(self) -> None:
        w = self.out.append
        w('<nav class="toc" aria-labelledby="toc-h">\n')
        w(f'<h2 id="toc-h">{escape(_("Innhold"))}</h2>\n')

        def items(sections: list[t.Section], depth: int) -> None:
            w("<ul>\n")
            for section in sections:
                w(f'<li><a href="#{section.anchor}">{escape(section.heading)}</a>')
                if section.sections and depth < 3:
                    items(section.sections, depth + 1)
                w("</li>\n")
            w("</ul>\n")

        items(self.report.sections, 1)
        w("</nav>\n")

    def section(self, section: t.Section, level: int) -> None:
        w = self.out.append
        h = min(level, 6)
        w(f'<section id="{section.anchor}" aria-labelledby="{section.anchor}-h">\n')
        w(f'<h{h} id="{section.anchor}-h">{escape(section.heading)}</h{h}>\n')
        for block in section.blocks:
            self.block(block, level)
        for child in section.sections:
            self.section(child, level + 1)
        w("</section>\n")

    def runs(self, runs: list[t.Inline]) -> str:
        parts = []
        for run in runs:
            if isinstance(run, t.CrossRef):
                if run.target_number:
                    anchor = t.Section(run.target, "").anchor
                    parts.append(f'<a href="#{anchor}">{escape(run.text)}</a>')
                else:
                    parts.append(f"<mark>{escape(run.text)}</mark>")
            elif isinstance(run, t.Link):
                parts.append(f'<a href="{escape(run.url)}">{escape(run.text)}</a>')
            elif isinstance(run, t.LiveFigure):
                if run.value is None:
                    parts.append(f"<mark>{escape(run.text)}</mark>")
                else:
                    title = f' title="{escape(run.label)}"' if run.label else ""
                    parts.append(f'<span class="live-figure"{title}>{escape(run.text)}</span>')
            else:
                html = escape(run.text)
                if run.italic:
                    html = f"<em>{html}</em>"
                if run.bold:
                    html = f"<strong>{html}</strong>"
                parts.append(html)
        return "".join(parts)

    def prose(self, blocks: list[t.ProseBlock], level: int, css: str = "") -> None:
        """Staff-written text: paragraphs, headings, lists, quotations, simple tables."""
        w = self.out.append
        for block in blocks:
            if isinstance(block, t.Paragraph):
                w(f"<p{css}>{self.runs(block.runs)}</p>\n")
            elif isinstance(block, t.Heading):
                h = min(level + block.level, 6)
                w(f"<h{h}>{self.runs(block.runs)}</h{h}>\n")
            elif isinstance(block, t.ListBlock):
                tag = "ol" if block.ordered else "ul"
                items = "".join(f"<li>{self.runs(item)}</li>" for item in block.items)
                w(f"<{tag}>{items}</{tag}>\n")
            elif isinstance(block, t.Quote):
                w("<blockquote>\n")
                self.prose(list(block.paragraphs), level)
                w("</blockquote>\n")
            else:
                w('<div class="table-scroll"><table>\n')
                if block.header:
                    cells = "".join(f'<th scope="col">{self.runs(c)}</th>' for c in block.header)
                    w(f"<thead><tr>{cells}</tr></thead>\n")
                w("<tbody>\n")
                for row in block.rows:
                    w("<tr>" + "".join(f"<td>{self.runs(c)}</td>" for c in row) + "</tr>\n")
                w("</tbody></table></div>\n")

    def block(self, block: t.Block, level: int) -> None:
        w = self.out.append
        if isinstance(block, t.Paragraph):
            css = ' class="generated"' if block.generated else ""
            w(f"<p{css}>{self.runs(block.runs)}</p>\n")
        elif isinstance(block, t.Assessment):
            h = min(level + 1, 6)
            if block.heading:
                w(f"<h{h}>{escape(block.heading)}</h{h}>\n")
            else:
                h = level  # a section's whole text: its headings go below the section's
            if block.status:
                meta = _("Status: {status}").format(status=block.status)
                if block.author:
                    meta += " · " + _("Skrevet av {author}").format(author=block.author)
                w(f'<p class="meta">{escape(meta)}</p>\n')
            self.prose(block.content, h, "" if block.status else ' class="placeholder"')
        elif isinstance(block, t.Table):
            self.table(block)
        elif isinstance(block, t.Figure):
            self.figures += 1
            ident = f"fig{self.figures}"
            w(f'<figure aria-labelledby="{ident}-c">\n')
            w(charts.svg(block, ident))
            w(f'\n<figcaption id="{ident}-c">{escape(block.caption)}</figcaption>\n')
            w("</figure>\n")
        elif isinstance(block, t.KeyFigures):
            w('<ul class="key-figures">\n')
            for item in block.items:
                w(f'<li><span class="value">{escape(key_figure_value(item))}</span> ')
                w(f'<span class="label">{escape(item.label)}</span>')
                if item.previous is not None and block.previous_year:
                    previous = _("{year}: {value}").format(
                        year=block.previous_year, value=charts._number(item.previous)
                    )
                    w(f' <span class="meta">({escape(previous)})</span>')
                if item.source:
                    w(f' <span class="source">{escape(key_figure_source(item))}</span>')
                w("</li>\n")
            w("</ul>\n")
        elif isinstance(block, t.Findings):
            w('<ul class="findings">\n')
            for finding in block.findings:
                w(f'<li class="finding-{finding.severity}">')
                w(f"<strong>{escape(severity_label(finding.severity))}</strong> ")
                w(f"{escape(finding.message)} ")
                if finding.fix:
                    w(f"<em>{escape(finding.fix)}</em>")
                if finding.records and self.for_print:
                    # Print has no disclosure widgets: list the first records.
                    shown = finding.records[:10]
                    w("<ul>")
                    for record in shown:
                        w(f"<li>{escape(record.description)}</li>")
                    if len(finding.records) > len(shown):
                        more = _("… og {n} til.").format(n=len(finding.records) - len(shown))
                        w(f"<li>{escape(more)}</li>")
                    w("</ul>")
                elif finding.records:
                    w("<details><summary>")
                    w(escape(_("Registreringer ({n})").format(n=len(finding.records))))
                    w("</summary><ul>")
                    for record in finding.records:
                        w(f"<li>{escape(record.description)}</li>")
                    w("</ul></details>")
                w("</li>\n")
            w("</ul>\n")

    def table(self, table: t.Table) -> None:
        w = self.out.append
        if not table.rows or not table.columns:
            w(f'<p class="empty"><strong>{escape(table.caption)}.</strong> ')
            w(f"{escape(table.empty_text)}</p>\n")
            return
        numeric = [
            all(isinstance(row[i], int | float) or row[i] is None for row in table.rows)
            for i in range(len(table.columns))
        ]
        w(f"<table>\n<caption>{escape(table.caption)}</caption>\n<thead><tr>")
        for index, column in enumerate(table.columns):
            css = ' class="num"' if numeric[index] else ""
            w(f'<th scope="col"{css}>{escape(column)}</th>')
        w("</tr></thead>\n<tbody>\n")
        for row in table.rows:
            w("<tr>")
            for index, value in enumerate(row):
                text, is_number = _cell(value)
                css = ' class="num"' if is_number else ""
                if index == 0:
                    w(f'<th scope="row"{css}>{text}</th>')
                else:
                    w(f"<td{css}>{text}</td>")
            w("</tr>\n")
        w("</tbody>\n</table>\n")
        if table.footnote:
            w(f'<p class="meta">{escape(table.footnote)}</p>\n')
        if self.table_url and id(table) in self.table_id:
            ident = self.table_id[id(table)]
            hrefs = [
                (escape(self.table_url.format(id=ident, ext=ext)), escape(label))
                for ext, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)"))
            ]
            links = " · ".join(f'<a href="{href}" download>{label}</a>' for href, label in hrefs)
            text = escape(_("Last ned tabellen «{caption}»:").format(caption=table.caption))
            w(f'<p class="meta table-download">{text} {links}</p>\n')


def severity_word(severity: str) -> str:
    """A finding's severity as the reader sees it: «Feil», «Advarsel», «Merknad»."""
    return {"error": _("Feil"), "warning": _("Advarsel"), "info": _("Merknad")}[severity]


def key_figure_value(item: t.KeyFigure) -> str:
    """A key figure's value, or that its records are missing (never 0 as a fact)."""
    if item.value is None:
        return _("Ikke registrert")
    return charts._number(item.value)


def key_figure_source(item: t.KeyFigure) -> str:
    return _("Kilde: {source}").format(source=item.source)


def severity_label(severity: str) -> str:
    return severity_word(severity) + ":"


def stylesheet(for_print: bool = False) -> str:
    """The ``<style>`` content a report document carries (for its CSP hash)."""
    return SCREEN_CSS + (PRINT_CSS if for_print else "")


def render_html(report: t.Report, **options: Any) -> str:
    return HtmlWriter(report, **options).render()


def prose_html(blocks: list[t.ProseBlock], level: int = 3) -> str:
    """Staff-written text as an HTML fragment (the editor's preview), escaped throughout."""
    writer = HtmlWriter(t.Report("", "", 0, ""))
    writer.prose(blocks, level)
    return "".join(writer.out)

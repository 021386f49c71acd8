"""The report as a tagged PDF, laid out by WeasyPrint from the print version of the HTML.

A4 with page numbers, bookmarks from the headings, fonts embedded (DejaVu), charts
kept as vectors (inline SVG), and PDF/UA-1 tagging so the text is extractable and
readable by assistive technology.
"""

from __future__ import annotations

import logging

from .. import tree as t
from .html import render_html


def quiet_weasyprint() -> None:
    """WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is ours."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(report: t.Report) -> bytes:
    import weasyprint

    quiet_weasyprint()
    html = render_html(report, for_print=True)
    document = weasyprint.HTML(string=html)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return pdf

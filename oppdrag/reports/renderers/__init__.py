"""Renderers of the report tree, in a plain dict registry with one interface.

Each renderer has ``identifier``, ``verbose_name`` and
``render(report) -> (filename, mimetype, bytes)``; rendering runs in Norwegian
bokmål whatever the caller's language.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..tree import Report
from .jsontext import dumps


class Renderer(Protocol):
    identifier: str
    verbose_name: Any

    def render(self, report: Report) -> tuple[str, str, bytes]: ...


def filename(report: Report, extension: str) -> str:
    return f"arsrapport-{report.center}-{report.year}.{extension}"


class JsonRenderer:
    identifier = "json"
    verbose_name = _("JSON (rapporttreet)")

    def render(self, report: Report) -> tuple[str, str, bytes]:
        # The text of json.dumps(..., ensure_ascii=False, indent=2), written twice as fast.
        data = dumps(report.to_json())
        return filename(report, "json"), "application/json", (data + "\n").encode()


class HtmlRenderer:
    identifier = "html"
    verbose_name = _("HTML (nettside)")

    def render(self, report: Report) -> tuple[str, str, bytes]:
        from .html import render_html

        with translation.override("nb"):
            text = render_html(report)
        return filename(report, "html"), "text/html; charset=utf-8", text.encode()


class DocxRenderer:
    identifier = "docx"
    verbose_name = _("Word (DOCX)")

    def render(self, report: Report) -> tuple[str, str, bytes]:
        from .docx import render_docx

        with translation.override("nb"):
            data = render_docx(report)
        return (
            filename(report, "docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            data,
        )


class PdfRenderer:
    identifier = "pdf"
    verbose_name = _("PDF (for publisering)")

    def render(self, report: Report) -> tuple[str, str, bytes]:
        from .pdf import render_pdf

        with translation.override("nb"):
            data = render_pdf(report)
        return filename(report, "pdf"), "application/pdf", data


RENDERERS: dict[str, Renderer] = {
    r.identifier: r for r in (HtmlRenderer(), DocxRenderer(), PdfRenderer(), JsonRenderer())
}

"""Report pages: findings and downloads, the HTML preview, and each format as a file."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from oppdrag.web.access import center_view

from .builder import build_report
from .renderers import RENDERERS
from .renderers.html import render_html


@center_view()
def report_overview(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    report = build_report(center, year, include_findings=False)
    return render(
        request,
        "reports/overview.html",
        {
            "center": center,
            "year": year,
            "findings": report.findings,
            "errors": sum(1 for f in report.findings if f.severity == "error"),
            "renderers": list(RENDERERS.values()),
        },
    )


@center_view()
def report_preview(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    report = build_report(center, year)
    # Beside each table: links to download it (the downloadable report file has none).
    table_url = (
        reverse(
            "interchange:report_table",
            kwargs={"center": center.slug, "year": year, "table": "TABLEID", "ext": "EXT"},
        )
        .replace("TABLEID", "{id}")
        .replace("EXT", "{ext}")
    )
    with translation.override("nb"):
        text = render_html(report, table_url=table_url)
    return HttpResponse(text.encode(), content_type="text/html; charset=utf-8")


@center_view()
def report_download(request: HttpRequest, year: int, identifier: str) -> HttpResponse:
    renderer = RENDERERS.get(identifier)
    if renderer is None:
        raise Http404
    report = build_report(request.center, year)  # type: ignore[attr-defined]
    name, mimetype, data = renderer.render(report)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""Report pages: findings and downloads, the HTML preview, and each format as a file."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oppdrag.core.models import Membership
from oppdrag.web.access import center_view, has_role
from oppdrag.web.middleware import policy_allowing_styles

from .builder import build_report
from .models import SubmittedReport
from .renderers import RENDERERS
from .renderers.html import render_html, stylesheet
from .submission import submit_report


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
            "submissions": SubmittedReport.objects.filter(center=center, year=year)
            .select_related("submitted_by")
            .defer("tree")
            .order_by("-version"),
            "can_submit": has_role(request.membership, Membership.Role.ADMIN),  # type: ignore[attr-defined]
        },
    )


@center_view(role=Membership.Role.ADMIN)
@require_POST
def report_submit(request: HttpRequest, year: int) -> HttpResponse:
    """Deliver the year's report to the grantor as it reads now (a new version)."""
    center = request.center  # type: ignore[attr-defined]
    submitted = submit_report(center=center, year=year, user=request.user)
    messages.success(
        request,
        _("Årsrapporten for {year} er levert (versjon {version}).").format(
            year=year, version=submitted.version
        ),
    )
    return redirect("reports:overview", center=center.slug, year=year)


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
    response = HttpResponse(text.encode(), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = policy_allowing_styles(stylesheet())
    return response


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

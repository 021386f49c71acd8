"""Report pages: findings and downloads, the HTML preview, and each format as a file."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oppdrag.core.models import Membership
from oppdrag.web.access import center_view, has_role
from oppdrag.web.middleware import policy_allowing_styles

from .builder import build_report
from .documents import BACKGROUND, order_document, publication
from .models import RenderedDocument, SubmittedReport
from .renderers import RENDERERS
from .renderers.html import render_html, severity_word, stylesheet
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
            "findings": [(severity_word(f.severity), f) for f in report.findings],
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


def attachment(name: str, mimetype: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@center_view()
def report_download(request: HttpRequest, year: int, identifier: str) -> HttpResponse:
    """The report in one format: at once when quick or made already, else ordered."""
    center = request.center  # type: ignore[attr-defined]
    renderer = RENDERERS.get(identifier)
    if renderer is None:
        raise Http404
    if identifier not in BACKGROUND:
        return attachment(*renderer.render(publication(center, year)))
    document = order_document(center, year, identifier, user_id=request.user.pk)
    if document.status == RenderedDocument.Status.DONE:
        return attachment(document.filename, document.mimetype, bytes(document.data))
    return redirect("reports:document", center=center.slug, year=year, uid=document.uid)


def center_document(request: HttpRequest, year: int, uid: UUID) -> RenderedDocument:
    return get_object_or_404(
        RenderedDocument.objects.defer("data", "tree"),
        center=request.center,  # type: ignore[attr-defined]
        year=year,
        uid=uid,
    )


@center_view()
def document_progress(request: HttpRequest, year: int, uid: UUID) -> HttpResponse:
    """How far the ordered document has come; the page asks again until it is there."""
    document = center_document(request, year, uid)
    file_url = reverse(
        "reports:document_file", kwargs={"center": document.center.slug, "year": year, "uid": uid}
    )
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": document.status, "progress": document.progress, "file": file_url}
        )
    renderer = RENDERERS[document.identifier]
    return render(
        request,
        "reports/document.html",
        {"document": document, "year": year, "renderer": renderer, "file_url": file_url},
    )


@center_view()
def document_file(request: HttpRequest, year: int, uid: UUID) -> HttpResponse:
    document = get_object_or_404(
        RenderedDocument,
        center=request.center,  # type: ignore[attr-defined]
        year=year,
        uid=uid,
        status=RenderedDocument.Status.DONE,
    )
    return attachment(document.filename, document.mimetype, bytes(document.data))

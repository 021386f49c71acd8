"""Report tables as files, and the page where a centre admin downloads the full export."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oppdrag.core.models import Membership
from oppdrag.importing.writers import XLSX_MIMETYPE
from oppdrag.reports.builder import build_report
from oppdrag.reports.tree import table_ids
from oppdrag.web.access import center_view

from .tables import table_csv, table_xlsx


@center_view()
def report_table(request: HttpRequest, year: int, table: str, ext: str) -> HttpResponse:
    if ext not in ("csv", "xlsx"):
        raise Http404
    center = request.center  # type: ignore[attr-defined]
    report = build_report(center, year, include_findings=False)
    found = dict(table_ids(report)).get(table)
    if found is None:
        raise Http404
    name = f"{center.slug}-{year}-{table}.{ext}"
    if ext == "csv":
        response = HttpResponse(table_csv(found), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(found, table), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@center_view(Membership.Role.ADMIN)
def center_export_page(request: HttpRequest) -> HttpResponse:
    return render(request, "interchange/export.html", {"center": request.center})  # type: ignore[attr-defined]


@center_view(Membership.Role.ADMIN)
def center_export_download(request: HttpRequest) -> HttpResponse:
    from .export import export_center

    center = request.center  # type: ignore[attr-defined]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # A temporary file, not memory: a centre's archive can be large. FileResponse closes it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    export_center(center, handle)
    handle.seek(0)
    name = f"oppdrag-{center.slug}-{stamp}.zip"
    response = FileResponse(handle, as_attachment=True, filename=name)
    return response  # type: ignore[return-value]

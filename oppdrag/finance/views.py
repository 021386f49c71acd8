"""The finance pages under ``/<centre>/okonomi/<year>/``: budget against accounts, the
budget and its versions, the ledger upload, the mappings, the grantor's report and the
auditor's confirmation. Readers read; editors and admins write."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from oppdrag.core.models import Membership
from oppdrag.web import fragments
from oppdrag.web.access import center_view, has_role

from . import exports, services
from .figures import finance_for
from .forms import (
    AccountMappingForm,
    AuditorForm,
    BudgetItemFormSet,
    BudgetUploadForm,
    ExplanationForm,
    FundingForm,
    LedgerProjectForm,
    LedgerUploadForm,
    RevisionForm,
    SettingsForm,
)
from .importers import BudgetImporter, LedgerImporter
from .models import (
    AccountMapping,
    AuditorConfirmation,
    BudgetItem,
    BudgetRevision,
    Funding,
    LedgerImport,
    LedgerProject,
    Source,
)

EDITOR = Membership.Role.EDITOR


def _can_edit(request: HttpRequest) -> bool:
    return has_role(request.membership, EDITOR)  # type: ignore[attr-defined]


def _back(request: HttpRequest, name: str, year: int) -> HttpResponse:
    return redirect(f"finance:{name}", center=request.center.slug, year=year)  # type: ignore[attr-defined]


def _base(request: HttpRequest, year: int, section: str) -> dict[str, Any]:
    return {
        "center": request.center,  # type: ignore[attr-defined]
        "year": year,
        "section": section,
        "can_edit": _can_edit(request),
    }


def _page(
    request: HttpRequest,
    year: int,
    section: str,
    more: Callable[[], dict[str, Any]],
    *,
    keep: bool = True,
) -> dict[str, Any]:
    """The context of a finance page whose content is ``finance/_<section>.html`` with
    ``more()``: the same for every reader of the same role, so kept under the centre's
    data version (web.fragments) unless ``keep`` is false (a form with errors). Its
    forms' CSRF fields are filled with the reader's token each time."""
    context = _base(request, year, section)

    def make() -> str:
        return render_to_string(
            f"finance/_{section}.html", {**context, **more(), **fragments.csrf_context()}
        )

    center = request.center  # type: ignore[attr-defined]
    parts = (year, context["can_edit"])
    kept = fragments.cached(center.pk, f"finance_{section}", parts, make) if keep else make()
    body: SafeString = fragments.with_csrf(request, kept)
    return {**context, "body": body}


@center_view()
def overview(request: HttpRequest, year: int) -> HttpResponse:
    def more() -> dict[str, Any]:
        finance = finance_for(request.center, year)  # type: ignore[attr-defined]
        return {
            "finance": finance,
            "threshold": finance.settings,
            "salary_rows": finance.salary_rows,
        }

    return render(request, "finance/overview.html", _page(request, year, "overview", more))


@center_view(EDITOR)
def explanation(request: HttpRequest, year: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ExplanationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Forklaringen ble ikke lagret: {errors}").format(
                errors=" ".join(str(e) for errors in form.errors.values() for e in errors)
            ),
        )
        return _back(request, "overview", year)
    services.explain(
        center=request.center,  # type: ignore[attr-defined]
        year=year,
        key=form.cleaned_data["key"],
        text=form.cleaned_data["text"],
        user=request.user,
    )
    messages.success(request, _("Forklaringen er lagret."))
    return _back(request, "overview", year)


@center_view(EDITOR)
def settings_page(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    current = services.settings_for(center)
    form = SettingsForm(
        request.POST or None,
        initial={
            "deviation_percent": current.deviation_percent,
            "deviation_minimum": current.deviation_minimum,
            "report_chapter": current.report_chapter,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.save_settings(center=center, user=request.user, **form.cleaned_data)
        messages.success(request, _("Innstillingene er lagret."))
        return _back(request, "overview", year)
    context = _base(request, year, "settings")
    context["form"] = form
    return render(request, "finance/settings.html", context)


@center_view()
def budget(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    form = FundingForm(request.POST or None)
    if request.method == "POST":
        if not _can_edit(request):
            raise Http404
        if form.is_valid():
            services.save_funding(center=center, year=year, user=request.user, **form.cleaned_data)
            messages.success(request, _("Budsjettposten er lagt til."))
            return _back(request, "budget", year)

    def more() -> dict[str, Any]:
        revisions = list(
            BudgetRevision.objects.filter(center=center, year=year)
            .select_related("user")
            .order_by("-number")
        )
        current = revisions[0] if revisions else None
        items = (
            BudgetItem.objects.filter(revision=current)
            .select_related("assignment", "funding")
            .order_by("assignment__sort_key", "cost_type", "id")
            if current
            else BudgetItem.objects.none()
        )
        return {
            "fundings": Funding.objects.filter(center=center, year=year),
            "revisions": revisions,
            "current": current,
            "items": items,
            "form": form,
        }

    context = _page(request, year, "budget", more, keep=not form.is_bound)
    return render(request, "finance/budget.html", context, status=400 if form.errors else 200)


@center_view(EDITOR)
def fundings_from_letter(request: HttpRequest, year: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    made = services.fundings_from_letter(
        center=request.center,  # type: ignore[attr-defined]
        year=year,
        user=request.user,
    )
    if made:
        messages.success(
            request, _("{n} budsjettposter er hentet fra tilskuddsbrevet.").format(n=len(made))
        )
    else:
        messages.info(
            request, _("Tilskuddsbrevet for året har ingen nye budsjettposter med beløp.")
        )
    return _back(request, "budget", year)


@center_view(EDITOR)
def budget_revise(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    current = services.current_revision(center, year)
    initial = [
        {
            "source": item.source,
            "funding": item.funding_id,
            "assignment": item.assignment_id,
            "cost_type": item.cost_type,
            "amount": item.amount,
        }
        for item in (current.items.order_by("id") if current else [])
    ]
    formset = BudgetItemFormSet(  # type: ignore[call-arg]
        request.POST or None, initial=initial, center=center, year=year, prefix="item"
    )
    note = RevisionForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and note.is_valid():
        specs = [
            services.ItemSpec(
                cost_type=data["cost_type"],
                amount=data["amount"],
                source=data["source"],
                assignment=data.get("assignment"),
                funding=data.get("funding") if data["source"] == Source.GRANT else None,
            )
            for data in formset.cleaned_data
            if data and data.get("amount") is not None
        ]
        revision = services.revise_budget(
            center=center, year=year, items=specs, note=note.cleaned_data["note"], user=request.user
        )
        if revision.needs_approval:
            messages.warning(
                request,
                _(
                    "Versjon {n} flytter tilskuddsmidler mellom oppdrag og må godkjennes "
                    "skriftlig av tilskuddsgiver."
                ).format(n=revision.number),
            )
        else:
            messages.success(
                request, _("Versjon {n} av budsjettet er lagret.").format(n=revision.number)
            )
        return _back(request, "budget", year)
    context = _base(request, year, "budget")
    context.update(formset=formset, note=note, current=current)
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/budget_form.html", context, status=status)


def _run_upload(upload: Any, make: Any) -> tuple[Any, Any]:
    """Run the importer ``make(path)`` gives on a copy of ``upload``; (result, importer)."""
    suffix = Path(upload.name or "").suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fil{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        importer = make(path)
        result = importer.run(path)
    result.file = upload.name or result.file
    return result, importer


def _problems(result: Any, name: str) -> list[str]:
    return [str(p).replace(p.file, name, 1) for p in result.problems]


@center_view(EDITOR)
def budget_upload(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    form = BudgetUploadForm(request.POST or None, request.FILES or None)
    context = _base(request, year, "budget")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if Path(upload.name or "").suffix.lower() not in {".csv", ".xlsx", ".txt"}:
                form.add_error("file", _("Filen må være CSV eller XLSX."))
            else:
                result, _importer = _run_upload(
                    upload, lambda path: BudgetImporter(center, year, request.user)
                )
                if result.ok:
                    messages.success(
                        request,
                        _("Budsjettet i {name} er lagret som en ny versjon.").format(
                            name=upload.name
                        ),
                    )
                    return _back(request, "budget", year)
                context.update(result=result, problems=_problems(result, upload.name or ""))
    context["form"] = form
    return render(request, "finance/budget_upload.html", context, status=status)


@center_view()
def revision_detail(request: HttpRequest, year: int, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    revision = get_object_or_404(BudgetRevision, center=center, year=year, uid=uid)
    items = revision.items.select_related("assignment", "funding").order_by(
        "assignment__sort_key", "cost_type", "id"
    )
    context = _base(request, year, "budget")
    context.update(revision=revision, items=items)
    return render(request, "finance/revision.html", context)


@center_view(EDITOR)
def revision_approve(request: HttpRequest, year: int, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    revision = get_object_or_404(BudgetRevision, center=center, year=year, uid=uid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    from django import forms

    field = forms.DateField()
    try:
        approved_on = field.clean(request.POST.get("approved_on", ""))
    except forms.ValidationError:
        messages.error(request, _("Skriv datoen for godkjenningen som dd.mm.åååå."))
        return redirect("finance:revision", center=center.slug, year=year, uid=revision.uid)
    services.approve_revision(revision=revision, approved_on=approved_on, user=request.user)
    messages.success(request, _("Godkjenningen er registrert."))
    return redirect("finance:revision", center=center.slug, year=year, uid=revision.uid)


@center_view()
def ledger(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    form = LedgerUploadForm(
        request.POST or None,
        request.FILES or None,
        year=year,
        initial={"start": f"01.01.{year}", "end": f"31.12.{year}"},
    )
    context = _base(request, year, "ledger")
    status = 200
    if request.method == "POST":
        if not _can_edit(request):
            raise Http404
        if form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name or "").suffix.lower()
            if suffix not in {".csv", ".xlsx", ".txt"}:
                form.add_error("file", _("Filen må være CSV eller XLSX."))
            else:
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / f"hovedbok{suffix}"
                    with path.open("wb") as handle:
                        for chunk in upload.chunks():
                            handle.write(chunk)
                    importer = LedgerImporter(
                        center,
                        year,
                        request.user,
                        start=form.cleaned_data["start"],
                        end=form.cleaned_data["end"],
                        file_name=upload.name,
                    )
                    result = importer.run(path)
                result.file = upload.name or result.file
                if result.ok:
                    messages.success(
                        request,
                        _(
                            "{rows} regnskapslinjer fra {name} er lest inn; {replaced} linjer "
                            "for perioden er erstattet."
                        ).format(
                            rows=result.added,
                            name=upload.name,
                            replaced=importer.batch.rows_replaced,
                        ),
                    )
                    return _back(request, "ledger", year)
                context["result"] = result
                context["problems"] = [
                    str(p).replace(p.file, upload.name or p.file, 1) for p in result.problems
                ]
        status = 400

    def more() -> dict[str, Any]:
        imports = (
            LedgerImport.objects.filter(center=center, year=year)
            .select_related("user")
            .order_by("start", "created_at")
        )
        return {**context, "form": form, "imports": imports}

    page = _page(request, year, "ledger", more, keep=not form.is_bound)
    return render(request, "finance/ledger.html", page, status=status)


@center_view()
def mappings(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    account_form = AccountMappingForm(
        request.POST if request.POST.get("form") == "account" else None, prefix="account"
    )
    project_form = LedgerProjectForm(
        request.POST if request.POST.get("form") == "project" else None,
        prefix="project",
        center=center,
        year=year,
    )
    status = 200
    if request.method == "POST":
        if not _can_edit(request):
            raise Http404
        which = request.POST.get("form")
        if which == "carry":
            copied = services.carry_forward_projects(center=center, year=year, user=request.user)
            messages.success(
                request,
                _("{n} prosjektkoblinger er hentet fra {previous}.").format(
                    n=copied, previous=year - 1
                ),
            )
            return _back(request, "mappings", year)
        if which == "account" and account_form.is_valid():
            services.map_account(center=center, user=request.user, **account_form.cleaned_data)
            messages.success(request, _("Kontokoblingen er lagret."))
            return _back(request, "mappings", year)
        if which == "project" and project_form.is_valid():
            services.map_project(
                center=center, year=year, user=request.user, **project_form.cleaned_data
            )
            messages.success(request, _("Prosjektkoblingen er lagret."))
            return _back(request, "mappings", year)
        status = 400
    context = _base(request, year, "mappings")
    context.update(
        account_form=account_form,
        project_form=project_form,
        accounts=AccountMapping.objects.filter(center=center).order_by("account"),
        projects=LedgerProject.objects.filter(center=center, year=year)
        .select_related("assignment", "funding")
        .order_by("code"),
        previous_projects=LedgerProject.objects.filter(center=center, year=year - 1).count(),
    )
    return render(request, "finance/mappings.html", context, status=status)


@center_view()
def grantor_report(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]

    def more() -> dict[str, Any]:
        finance = finance_for(center, year)
        return {
            "finance": finance,
            "confirmation": AuditorConfirmation.objects.filter(center=center, year=year)
            .defer("document")
            .first(),
            "auditor_required": exports.auditor_required(finance),
            "threshold": exports.auditor_threshold(),
        }

    return render(request, "finance/grantor.html", _page(request, year, "grantor", more))


@center_view()
def grantor_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    finance = finance_for(center, year)
    confirmation = (
        AuditorConfirmation.objects.filter(center=center, year=year).defer("document").first()
    )
    if fmt == "xlsx":
        data, mimetype = exports.grantor_xlsx(center, finance, confirmation), exports.XLSX_MIMETYPE
    else:
        data, mimetype = exports.grantor_pdf(center, finance, confirmation), "application/pdf"
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = (
        f'attachment; filename="regnskapsrapport-{center.slug}-{year}.{fmt}"'
    )
    return response


@center_view(EDITOR)
def auditor(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    current = AuditorConfirmation.objects.filter(center=center, year=year).defer("document").first()
    form = AuditorForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": current.status if current else AuditorConfirmation.Status.REQUESTED,
            "engagement": current.engagement
            if current
            else AuditorConfirmation.Engagement.ISRS_4400,
            "auditor": current.auditor if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        services.save_auditor_confirmation(
            center=center,
            year=year,
            status=form.cleaned_data["status"],
            engagement=form.cleaned_data["engagement"],
            auditor=form.cleaned_data["auditor"],
            document=upload.read() if upload else None,
            file_name=upload.name if upload else "",
            content_type="application/pdf",
            user=request.user,
        )
        messages.success(request, _("Revisorbekreftelsen er lagret."))
        return _back(request, "grantor", year)
    context = _base(request, year, "grantor")
    context.update(form=form, confirmation=current)
    return render(request, "finance/auditor.html", context, status=400 if form.errors else 200)


@center_view()
def auditor_document(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    found = get_object_or_404(AuditorConfirmation, center=center, year=year)
    if not found.document:
        raise Http404
    response = HttpResponse(bytes(found.document), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="revisorbekreftelse-{center.slug}-{year}.pdf"'
    )
    return response

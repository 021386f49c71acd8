"""Report pages: findings and downloads, the HTML preview, and each format as a file."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from oppdrag.core import concurrency
from oppdrag.core.models import Membership, Person
from oppdrag.grants.models import FocusArea
from oppdrag.web.access import center_view, has_role
from oppdrag.web.middleware import policy_allowing_styles

from . import prose
from . import tree as t
from .builder import build_for_writing, build_report
from .data import TAGGED_KINDS
from .documents import BACKGROUND, order_document, publication
from .models import AssessmentBlock, RenderedDocument, SubmittedReport
from .prosecheck import check_prose
from .renderers import RENDERERS
from .renderers.html import prose_html, render_html, severity_word, stylesheet
from .services import WRITER_STATUSES, SlotConflict, add_theme, version_of, write_slot
from .slots import Slot, slot_by_key, slots
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
        RenderedDocument.objects.defer("data"),
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


# --- writing ----------------------------------------------------------------------------
WRITING_FILTERS = {
    "mine": _lazy("Mine"),
    "ikke-startet": _lazy("Ikke startet"),
    "til-godkjenning": _lazy("Venter på godkjenning"),
}


def _is_mine(slot: Slot, user: Any) -> bool:
    """A slot is the user's when its owner bears the user's name or the user wrote it last."""
    block = slot.block
    if block is None:
        return False
    name = (user.get_full_name() or user.get_username()).casefold()
    return block.author_id == user.pk or (
        block.owner is not None and block.owner.name.casefold() == name
    )


@center_view()
def writing(request: HttpRequest, year: int) -> HttpResponse:
    """The report's outline with every text slot: status, owner, words, last change."""
    center = request.center  # type: ignore[attr-defined]
    outline = slots(center, year)
    shown = request.GET.get("vis", "")
    if shown == "mine":
        listed = [s for s in outline if _is_mine(s, request.user)]
    elif shown == "ikke-startet":
        listed = [s for s in outline if not s.status]
    elif shown == "til-godkjenning":
        listed = [s for s in outline if s.status == AssessmentBlock.Status.READY]
    else:
        shown = ""
        listed = outline
    chapters: list[tuple[str, list[Slot]]] = []
    for slot in listed:
        if not chapters or chapters[-1][0] != slot.chapter:
            chapters.append((slot.chapter, []))
        chapters[-1][1].append(slot)
    statuses = dict(AssessmentBlock.Status.choices)
    return render(
        request,
        "reports/writing.html",
        {
            "center": center,
            "year": year,
            "chapters": chapters,
            "filters": [("", _("Alle")), *WRITING_FILTERS.items()],
            "shown": shown,
            "total": len(outline),
            "written": sum(1 for s in outline if s.status),
            "statuses": statuses,
            "can_write": has_role(request.membership, Membership.Role.EDITOR),  # type: ignore[attr-defined]
            "areas": FocusArea.objects.order_by("code"),
        },
    )


@center_view(role=Membership.Role.EDITOR)
@require_POST
def writing_add_theme(request: HttpRequest, year: int) -> HttpResponse:
    """A themed subsection under a focus area, then straight to its editor."""
    center = request.center  # type: ignore[attr-defined]
    try:
        block = add_theme(
            center=center,
            year=year,
            area_code=request.POST.get("area", ""),
            title=request.POST.get("title", ""),
            user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reports:writing", center=center.slug, year=year)
    return redirect("reports:write", center=center.slug, year=year, key=block.section_key)


def _slot_findings(
    report: t.Report, figures: dict[str, t.FigureValue], data: Any, slot: Slot
) -> tuple[t.Assessment | None, list[t.Finding]]:
    """The slot's text as the report prints it, and what the checks find in it."""
    for _depth, section in report.walk():
        for block in section.blocks:
            if isinstance(block, t.Assessment) and block.key == slot.tree_key:
                if not block.status:
                    return block, []
                lone = t.Report(report.center, report.center_name, report.year, "")
                lone.sections = [t.Section(section.key, section.title, "none", [block])]
                lone.sections[0].label = section.label
                lone.findings = []
                found = check_prose(
                    lone,
                    figures,
                    (r for kind in TAGGED_KINDS for r in data.records[kind]),
                    numbers={s.number: s for _d, s in report.walk() if s.number},
                )
                uid = str(slot.block.uid) if slot.block is not None else ""
                stale = [
                    f
                    for f in report.findings
                    if (
                        f.code in ("stale_reference", "unknown_figure")
                        and section.heading in f.message
                    )
                    or (uid and any(r.uid == uid for r in f.records))
                ]
                return block, stale + found
    return None, []


@center_view(role=Membership.Role.EDITOR)
def write(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """One slot's editor: the text in light markup, live figures, references, checks."""
    center = request.center  # type: ignore[attr-defined]
    outline = slots(center, year)
    slot = slot_by_key(outline, key)
    if slot is None:
        raise Http404
    block = slot.block
    stored = block.text if block is not None else ""
    form_text = stored
    base = stored
    version = version_of(block)
    conflict: SlotConflict | None = None
    errors: list[str] = []
    status = block.status if block is not None else AssessmentBlock.Status.DRAFT
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    people = list(Person.objects.filter(center=center, is_staff_member=True).order_by("name"))
    if request.method == "POST":
        form_text = request.POST.get("text", "").replace("\r\n", "\n")
        base = concurrency.unseal(request.POST.get("base", "")).get("text", "")
        version = request.POST.get("version", "")
        status = request.POST.get("status", AssessmentBlock.Status.DRAFT)
        owner, due_on, owner_errors = _owner_and_due(request, people)
        errors.extend(owner_errors)
        if not errors and "preview" not in request.POST:
            try:
                block = write_slot(
                    center=center,
                    year=year,
                    key=key,
                    text=form_text,
                    user=request.user,
                    version=version,
                    base=base,
                    status=status,
                    owner=owner,
                    due_on=due_on,
                    keep_owner="owner" not in request.POST,
                )
            except SlotConflict as exc:
                conflict = exc
                version = exc.version
                base = exc.theirs
                form_text = exc.merged
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                if wants_json:
                    return JsonResponse(
                        {
                            "saved": True,
                            "version": version_of(block),
                            "base": concurrency.seal_values({"text": block.text}),
                            "words": len(block.text.split()),
                        }
                    )
                messages.success(request, _("Teksten er lagret."))
                return redirect("reports:write", center=center.slug, year=year, key=key)
        if wants_json:
            if conflict is not None:
                return JsonResponse(
                    {
                        "saved": False,
                        "conflict": True,
                        "theirs": conflict.theirs,
                        "merged": conflict.merged,
                        "version": conflict.version,
                        "base": concurrency.seal_values({"text": conflict.theirs}),
                        "message": _conflict_message(conflict),
                    },
                    status=409,
                )
            return JsonResponse({"saved": False, "errors": errors}, status=400)
    report, figures, data = build_for_writing(center, year)
    printed, findings = _slot_findings(report, figures, data, slot)
    preview_html = ""
    if "preview" in request.POST and not errors:
        previewed = t.Assessment(slot.tree_key, "", prose.parse(form_text), "preview")
        preview_report = t.Report(report.center, report.center_name, year, "")
        preview_report.sections = [t.Section(slot.section, "", "none", [previewed])]
        targets = {s.key: s for _d, s in report.walk()}
        t.resolve_figures(preview_report, figures)
        t.resolve_references(preview_report, targets)
        preview_html = prose_html(previewed.content, 3)
    elif printed is not None and printed.status:
        preview_html = prose_html(printed.content, 3)
    status_code = 409 if conflict is not None else (400 if errors else 200)
    return render(
        request,
        "reports/write.html",
        {
            "center": center,
            "year": year,
            "slot": slot,
            "text": form_text,
            "version": version,
            "base": concurrency.seal_values({"text": base}),
            "status": status,
            "statuses": [
                (v, lbl) for v, lbl in AssessmentBlock.Status.choices if v in WRITER_STATUSES
            ],
            "people": people,
            "owner_id": block.owner_id if block is not None else None,
            "due_on": block.due_on if block is not None else None,
            "conflict": conflict,
            "conflict_message": _conflict_message(conflict) if conflict else "",
            "errors": errors,
            "findings": [(severity_word(f.severity), f) for f in findings],
            "preview_html": mark_safe(preview_html),
            "figure_choices": _figure_choices(figures, slot),
            "reference_choices": [
                (s.key, s.heading) for _d, s in report.walk() if s.number and s.key != "findings"
            ],
        },
        status=status_code,
    )


def _owner_and_due(
    request: HttpRequest, people: list[Person]
) -> tuple[Person | None, dt.date | None, list[str]]:
    errors: list[str] = []
    owner = None
    chosen = request.POST.get("owner", "")
    if chosen:
        owner = next((p for p in people if str(p.uid) == chosen), None)
        if owner is None:
            errors.append(_("Velg en ansvarlig fra listen."))
    due_on = None
    due = request.POST.get("due_on", "").strip()
    if due:
        try:
            due_on = parse_norwegian_date(due)
        except ValueError:
            errors.append(
                _("Fristen «{value}» er ikke en dato; skriv den som dd.mm.åååå.").format(value=due)
            )
    return owner, due_on, errors


def parse_norwegian_date(value: str) -> dt.date:
    """A date typed as dd.mm.yyyy (or ISO yyyy-mm-dd, as a date field sends it)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValueError(value)


def _conflict_message(conflict: SlotConflict) -> str:
    if conflict.who:
        return _(
            "{who} lagret denne teksten mens du skrev. Ingenting er tapt: teksten under holder "
            "både det du skrev og avsnittene {who} la til. Se over og lagre på nytt."
        ).format(who=conflict.who)
    return _(
        "Noen andre lagret denne teksten mens du skrev. Ingenting er tapt: teksten under holder "
        "både det du skrev og avsnittene den andre la til. Se over og lagre på nytt."
    )


def _figure_choices(figures: dict[str, t.FigureValue], slot: Slot) -> list[tuple[str, str]]:
    """The figures to offer in the editor, those of the slot's own chapter first."""
    local = ""
    if slot.assignment is not None:
        local = f":assignment:{slot.assignment.number}"
    elif slot.section.startswith("focus:"):
        local = ":" + slot.section
    ordered = sorted(
        figures.items(),
        key=lambda kv: (
            not (local and kv[0].endswith(local)),
            kv[0].startswith("date:"),
            kv[1].label,
        ),
    )
    return [(key, f"{figure.label}: {figure.text}") for key, figure in ordered]

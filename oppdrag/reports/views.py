"""Report pages: findings and downloads, the HTML preview, each format as a file, the
review of each text, and delivery with a confirmation step."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from oppdrag.core import concurrency
from oppdrag.core.models import Membership, Person, ReportingYear
from oppdrag.grants.models import FocusArea, GrantDate
from oppdrag.web.access import center_view, has_role
from oppdrag.web.middleware import policy_allowing_styles

from . import prose
from . import tree as t
from .builder import build_for_writing, build_report
from .data import TAGGED_KINDS
from .documents import BACKGROUND, order_document, publication
from .models import AssessmentBlock, RenderedDocument, ReportSettings, SubmittedReport
from .progress import status_label, unapproved_slots
from .prosecheck import check_prose
from .renderers import RENDERERS
from .renderers.html import prose_html, render_html, severity_word, stylesheet
from .review import (
    approval_refusal,
    last_years_block,
    readable_diff,
    report_settings,
    text_html,
    versions,
)
from .services import (
    COMMENT_MAX,
    WRITER_STATUSES,
    SlotConflict,
    add_comment,
    add_theme,
    apply_word_texts,
    assign_slot,
    save_report_settings,
    set_slot_status,
    slot_block,
    start_from_last_year,
    version_of,
    write_slot,
)
from .slots import Slot, slot_by_key, slots
from .submission import (
    delivered_versions,
    is_delivered,
    start_new_version,
    submit_report,
)
from .word import change_payload, changes_from, chapters, skeleton_for
from .wordfile import MAX_BYTES


@center_view()
def report_overview(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    from oppdrag.web.findings import fix_link  # the shell's pages: not imported at load

    report = build_report(center, year, include_findings=False)
    here = request.path
    findings = []
    for finding in report.findings:
        link = fix_link(finding, center.slug, year)
        # Each finding links to the page where it is fixed (none when that is this page).
        findings.append(
            (severity_word(finding.severity), finding, None if link.url == here else link)
        )
    return render(
        request,
        "reports/overview.html",
        {
            "center": center,
            "year": year,
            "findings": findings,
            "errors": sum(1 for f in report.findings if f.severity == "error"),
            "renderers": list(RENDERERS.values()),
            "submissions": SubmittedReport.objects.filter(center=center, year=year)
            .select_related("submitted_by")
            .defer("tree")
            .order_by("-version"),
            "can_submit": has_role(request.membership, Membership.Role.ADMIN),  # type: ignore[attr-defined]
            "delivered": is_delivered(center, year),
            "settings": report_settings(center),
            "approver_roles": ReportSettings.ApproverRole.choices,
        },
    )


@center_view(role=Membership.Role.ADMIN)
def report_submit(request: HttpRequest, year: int) -> HttpResponse:
    """Deliver the year's report to the grantor, after a page that lists what is open.

    The page lists the open findings and the texts not approved, and delivers only
    when the administrator ticks the confirmation; a second delivery needs a note.
    """
    center = request.center  # type: ignore[attr-defined]
    delivered = is_delivered(center, year)
    versions = delivered_versions(center, year)
    errors: dict[str, str] = {}
    note = request.POST.get("note", "").strip()
    if request.method == "POST" and not delivered:
        if request.POST.get("confirm") != "yes":
            errors["confirm"] = _("Kryss av for at du har sett gjennom listen, og lever igjen.")
        if versions and not note:
            errors["note"] = _("Skriv hva som er endret siden versjon {version}.").format(
                version=versions
            )
        if len(note) > NOTE_MAX:
            errors["note"] = _("Merknaden er for lang: høyst {n} tegn.").format(n=NOTE_MAX)
        if not errors:
            submitted = submit_report(center=center, year=year, user=request.user, note=note)
            messages.success(
                request,
                _("Årsrapporten for {year} er levert (versjon {version}).").format(
                    year=year, version=submitted.version
                ),
            )
            return redirect("reports:overview", center=center.slug, year=year)
    report = build_report(center, year, include_findings=False)
    return render(
        request,
        "reports/submit.html",
        {
            "center": center,
            "year": year,
            "delivered": delivered,
            "versions": versions,
            "findings": [(severity_word(f.severity), f) for f in report.findings],
            "errors": errors,
            "note": note,
            "note_max": NOTE_MAX,
            "open_slots": [
                (slot, status_label(slot.status)) for slot in unapproved_slots(center, year)
            ],
        },
        status=400 if errors else 200,
    )


NOTE_MAX = 2000


@center_view(role=Membership.Role.ADMIN)
@require_POST
def report_new_version(request: HttpRequest, year: int) -> HttpResponse:
    """Open a delivered year for changes; the next delivery becomes the next version."""
    center = request.center  # type: ignore[attr-defined]
    try:
        start_new_version(center=center, year=year, user=request.user)
    except (ValidationError, ReportingYear.DoesNotExist):
        messages.error(request, _("Årsrapporten for {year} er ikke levert.").format(year=year))
    else:
        messages.success(
            request,
            _(
                "En ny versjon av årsrapporten for {year} er startet. Tekstene kan endres, "
                "og det som er levert, står som det var."
            ).format(year=year),
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


# --- one text's review: status, owner and due date, comments, history, last year -------
@center_view()
def slot_review(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """A text of the report with its status, owner, comments, versions and last year's text."""
    center = request.center  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    slot = slot_by_key(slots(center, year), key)
    if slot is None:
        raise Http404
    block = slot.block or slot_block(
        center=center,
        year=year,
        kind=slot.kind,
        assignment=slot.assignment,
        section_key=slot.section_key,
    )
    if request.method == "POST":
        if not has_role(membership, Membership.Role.EDITOR):
            raise PermissionDenied
        try:
            done = review_action(request, block)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return redirect("reports:slot_review", center=center.slug, year=year, key=key)
    settings = report_settings(center)
    stored = block if block.pk else None
    previous = last_years_block(
        center, year, kind=slot.kind, assignment=slot.assignment, section_key=slot.section_key
    )
    can_edit = has_role(membership, Membership.Role.EDITOR)
    return render(
        request,
        "reports/slot_review.html",
        {
            "center": center,
            "year": year,
            "slot": slot,
            "stored": stored,
            "status_label": status_label(slot.status),
            "delivered": is_delivered(center, year),
            "can_edit": can_edit,
            "approval_refusal": approval_refusal(
                membership=membership, block=block, settings=settings
            )
            if can_edit
            else "",
            "versions": versions(stored),
            "comments": stored.comments.select_related("author") if stored else [],
            "last_year": previous,
            "text_html": mark_safe(text_html(stored.text)) if stored else "",
            "last_year_html": mark_safe(text_html(previous.text)) if previous else "",
            "people": Person.objects.filter(center=center, is_staff_member=True).only(
                "uid", "name"
            ),
            "dates": year_plan_dates(center, year),
            "comment_max": COMMENT_MAX,
        },
    )


def year_plan_dates(center: Any, year: int) -> list[tuple[str, str]]:
    """The year plan's dates a text can be due on: (ISO date, "dd.mm.yyyy title")."""
    dates = (
        GrantDate.objects.filter(
            center=center, grant__year__in=(year, year + 1), date__isnull=False
        )
        .order_by("date", "id")
        .values_list("date", "title")
    )
    return [(day.isoformat(), f"{day:%d.%m.%Y} {title}") for day, title in dates]


def review_action(request: HttpRequest, block: AssessmentBlock) -> str:
    """Carry out the review page's posted action; return what to tell the user."""
    membership = request.membership  # type: ignore[attr-defined]
    action = request.POST.get("action", "")
    if action in AssessmentBlock.Status.values:
        set_slot_status(block=block, status=action, membership=membership)
        return _("Status er satt til «{status}».").format(
            status=AssessmentBlock.Status(action).label
        )
    if action == "comment":
        add_comment(block=block, text=request.POST.get("text", ""), user=request.user)
        return _("Kommentaren er lagret.")
    if action == "assign":
        owner_uid = parse_uid(request.POST.get("owner", ""))
        owner = None
        if request.POST.get("owner"):
            if owner_uid is not None:
                owner = Person.objects.filter(center=block.center, uid=owner_uid).first()
            if owner is None:
                raise ValidationError(_("Velg en ansatt ved senteret som ansvarlig."))
        due_text = request.POST.get("due_on", "")
        due_on = parse_iso_date(due_text) if due_text else None
        if due_text and due_on is None:
            raise ValidationError(_("Fristen «{date}» er ikke en dato.").format(date=due_text))
        assign_slot(block=block, owner=owner, due_on=due_on, user=request.user)
        return _("Ansvarlig og frist er lagret.")
    if action == "last_year":
        start_from_last_year(block=block, user=request.user)
        return _("Fjorårets tekst er satt inn som utkast. Skriv den om for i år.")
    raise ValidationError(_("Ukjent handling."))


def parse_uid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def parse_iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# --- the texts to Word and back ----------------------------------------------------------
WORD_SESSION_KEY = "oppdrag:word-uploads"
WORD_UPLOADS_KEPT = 3
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@center_view()
def word_download(request: HttpRequest, year: int) -> HttpResponse:
    """The report's texts (or one chapter's, ``?kapittel=N``) as a Word skeleton."""
    center = request.center  # type: ignore[attr-defined]
    chapter_text = request.GET.get("kapittel", "")
    chapter = int(chapter_text) if chapter_text.isdigit() else None
    if chapter_text and chapter is None:
        raise Http404
    try:
        name, data = skeleton_for(center, year, chapter)
    except LookupError as exc:
        raise Http404 from exc
    return attachment(name, DOCX, data)


@center_view(role=Membership.Role.EDITOR)
def word_upload(request: HttpRequest, year: int) -> HttpResponse:
    """Upload a filled-in skeleton: a preview of what changes, saved only on confirmation."""
    center = request.center  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "center": center,
        "year": year,
        "chapters": list(enumerate(chapters(slots(center, year)), start=1)),
        "delivered": is_delivered(center, year),
        "max_mb": MAX_BYTES // (1024 * 1024),
    }
    pending = request.session.get(WORD_SESSION_KEY, {})
    token = request.POST.get("token", "")
    if request.method == "POST" and token:
        entry = pending.get(token)
        if not entry or entry["center"] != center.slug or entry["year"] != year:
            raise Http404
        try:
            saved = apply_word_texts(
                center=center, year=year, changes=entry["changes"], user=request.user
            )
        except ValidationError as exc:
            context["problems"] = exc.messages
            return render(request, "reports/word_upload.html", context, status=409)
        pending.pop(token, None)
        request.session[WORD_SESSION_KEY] = pending
        messages.success(
            request,
            ngettext(
                "{n} tekst er oppdatert fra Word-filen.",
                "{n} tekster er oppdatert fra Word-filen.",
                len(saved),
            ).format(n=len(saved)),
        )
        return redirect("reports:overview", center=center.slug, year=year)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = [_("Velg en Word-fil (.docx) å laste opp.")]
            return render(request, "reports/word_upload.html", context, status=400)
        if upload.size is not None and upload.size > MAX_BYTES:
            context["problems"] = [
                _("Filen «{name}» er større enn {mb} MB og leses ikke.").format(
                    name=upload.name, mb=context["max_mb"]
                )
            ]
            return render(request, "reports/word_upload.html", context, status=400)
        reading = changes_from(center, year, upload.read(), upload.name or "")
        context.update(reading=reading, name=upload.name)
        if not reading.ok:
            context["problems"] = reading.problems
            return render(request, "reports/word_upload.html", context, status=400)
        context["changes"] = [
            (change, readable_diff(change.old, change.new)) for change in reading.changes
        ]
        if reading.changes:
            token = secrets.token_urlsafe(16)
            kept = dict(list(pending.items())[-(WORD_UPLOADS_KEPT - 1) :])
            kept[token] = {"center": center.slug, "year": year, "changes": change_payload(reading)}
            request.session[WORD_SESSION_KEY] = kept
            context["token"] = token
    return render(request, "reports/word_upload.html", context)


@center_view(role=Membership.Role.ADMIN)
@require_POST
def approval_settings(request: HttpRequest, year: int) -> HttpResponse:
    """Save who approves the centre's report texts (a centre setting, not a year's)."""
    center = request.center  # type: ignore[attr-defined]
    try:
        save_report_settings(
            center=center,
            approver_role=request.POST.get("approver_role", ""),
            authors_may_approve=request.POST.get("authors_may_approve") == "yes",
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Hvem som godkjenner tekstene, er lagret."))
    return redirect("reports:overview", center=center.slug, year=year)


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

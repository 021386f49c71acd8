"""Grant letters in the staff interface: upload, review the draft, save, year plan.

The draft lives in the database between the upload and the save (``LetterDraft``,
keyed by a random token, so it survives signing in again), as the JSON the parser's
``to_dict`` writes; every correction goes through ``grants.review``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oppdrag.core.concurrency import Conflict, seal_values, unseal
from oppdrag.core.models import Membership
from oppdrag.core.parsing import parse_date
from oppdrag.grants import drafts, review
from oppdrag.grants.extract import TextRejected, extract_bytes
from oppdrag.grants.letter_parser import parse_letter
from oppdrag.grants.models import Grant, LetterDraft
from oppdrag.grants.services import GrantExists, coverage, create_grant_from_draft, grant_calendar
from oppdrag.grants.services import year_plan as grant_year_plan

from .access import STAFF_ROLES, center_view

MAX_LETTER_BYTES = 50 * 1024 * 1024
CALENDAR_SALT = "oppdrag.calendar"


@center_view()
def grant_list(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    grants = Grant.objects.filter(center=center).order_by("-year")
    editor = request.membership.role != Membership.Role.READER  # type: ignore[attr-defined]
    open_drafts = LetterDraft.objects.filter(center=center).select_related("user")
    context: dict[str, Any] = {
        "grants": grants,
        "drafts": list(open_drafts.order_by("-updated_at")[:20]) if editor else [],
    }
    if request.method == "POST":
        if request.membership.role == Membership.Role.READER:  # type: ignore[attr-defined]
            raise PermissionDenied
        upload = request.FILES.get("letter")
        if upload is None:
            context["error"] = _("Velg tilskuddsbrevet (tekst, DOCX eller PDF).")
        elif upload.size and upload.size > MAX_LETTER_BYTES:
            context["error"] = _("Filen er for stor; et tilskuddsbrev er langt mindre enn 50 MB.")
        else:
            try:
                extracted = extract_bytes(upload.read(), upload.name or "brev")
                draft = parse_letter(extracted.text)
            except (TextRejected, ValueError) as exc:
                context["error"] = str(exc)
            else:
                warnings = list(extracted.warnings)
                if review.set_aside_grantor_deadlines(draft):
                    warnings.append(
                        _(
                            "En frist i brevet er tilskuddsgiverens egen frist overfor "
                            "departementet. Den er lagt som «annen dato», ikke som senterets "
                            "frist; fjern den om den ikke skal stå i årshjulet."
                        )
                    )
                letter = drafts.store_draft(
                    center=center,
                    user=request.user,
                    name=upload.name or "brev",
                    text=extracted.text,
                    draft=draft,
                    warnings=warnings,
                )
                return redirect("web:grant_review", center=center.slug, token=letter.token)
        return render(request, "web/grant_list.html", context, status=400)
    return render(request, "web/grant_list.html", context)


OPERATIONS = {"rename", "renumber", "merge", "move", "split"}
DATE_OPERATIONS = {"date_change", "date_remove"}


@center_view(role=Membership.Role.EDITOR)
def grant_review(request: HttpRequest, token: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    letter = get_object_or_404(LetterDraft.objects.filter(center=center), token=token)
    draft = review.draft_from_dict(letter.draft)
    error = ""
    posted: dict[str, str] = {}
    if request.method == "POST":
        operation = request.POST.get("operation", "")
        target = request.POST.get("target", "")
        value = request.POST.get("value", "").strip()
        try:
            if operation == "save":
                return save_reviewed(request, letter, draft)
            if operation in DATE_OPERATIONS:
                posted = {key: request.POST.get(key, "") for key in DATE_FIELDS}
                date_operation(draft, operation, target, posted)
            elif operation not in OPERATIONS:
                raise review.ReviewError(_("Ukjent endring."))
            elif operation == "rename":
                review.rename(draft, target, value)
            elif operation == "renumber":
                review.renumber(draft, target, value)
            elif operation == "merge":
                review.merge(draft, target, value)
            elif operation == "move":
                review.move(draft, target, value or None)
            elif operation == "split":
                parts = [part.strip() for part in value.split(",", 2)]
                if len(parts) != 3 or not parts[0].isdigit():
                    raise review.ReviewError(
                        _("Skriv «leveranse, nytt nummer, tittel», for eksempel «3, G, Ny del».")
                    )
                review.split(draft, target, int(parts[0]) - 1, parts[1], parts[2])
        except (review.ReviewError, GrantExists, ValueError) as exc:
            error = str(exc)
            draft = review.draft_from_dict(letter.draft)  # nothing of a refused change
        else:
            drafts.update_draft(letter, draft)
            anchor = "#datoer" if operation in DATE_OPERATIONS else ""
            return redirect(request.path + anchor)
    year = draft.year
    existing = year is not None and Grant.objects.filter(center=center, year=year).exists()
    return render(
        request,
        "web/grant_review.html",
        {
            "draft": draft,
            "data": letter.draft,
            "nodes": flatten(letter.draft["assignments"]),
            "name": letter.name,
            "warnings": letter.warnings,
            "error": error,
            "error_target": request.POST.get("target", "") if error else "",
            "posted": posted,
            "dates": date_rows(draft),
            "kinds": DATE_KIND_LABELS.items(),
            "numbers": [node.full_number for node in draft.all_assignments()],
            "existing": existing,
        },
        status=400 if error else 200,
    )


def save_reviewed(request: HttpRequest, letter: LetterDraft, draft: Any) -> HttpResponse:
    """Save the reviewed draft as the year's grant, or over it when the reviewer chose
    to replace the year's letter with this newer version."""
    center = request.center  # type: ignore[attr-defined]
    year = int(request.POST.get("year") or draft.year or 0) or None
    if year and request.POST.get("replace") == "1":
        if not Grant.objects.filter(center=center, year=year).exists():
            raise GrantExists(
                _("Det er ikke noe tilskudd for {year} å erstatte.").format(year=year)
            )
        result = drafts.replace_grant_from_draft(
            center, draft, request.user, year=year, letter_name=letter.name, letter_text=letter.text
        )
        letter.delete()
        messages.success(request, drafts.replacement_message(result))
        return redirect("web:grant_detail", center=center.slug, year=year)
    grant = create_grant_from_draft(
        center, draft, request.user, year=year, letter_name=letter.name, letter_text=letter.text
    )
    letter.delete()
    messages.success(request, _("Tilskuddet for {year} er lagret.").format(year=grant.year))
    return redirect("web:grant_detail", center=center.slug, year=grant.year)


DATE_FIELDS = ("kind", "text", "date", "start", "end", "assignment")
DATE_KIND_LABELS = {
    "meeting": _lazy("Møte"),
    "deadline": _lazy("Frist for senteret"),
    "report_deadline": _lazy("Frist for årsrapporten"),
    "campaign": _lazy("Kampanjeperiode"),
    "other": _lazy("Annen dato"),
}


def _posted_date(text: str, label: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise review.ReviewError(
            _("{label}: «{text}» er ikke en dato (skriv dd.mm.åååå).").format(
                label=label, text=text[:40]
            )
        ) from exc


def date_operation(draft: Any, operation: str, target: str, posted: dict[str, str]) -> None:
    if not target.isdigit():
        raise review.ReviewError(_("Fant ikke datoen i utkastet; last siden på nytt."))
    index = int(target)
    if operation == "date_remove":
        review.remove_date(draft, index)
        return
    review.change_date(
        draft,
        index,
        kind=posted["kind"],
        text=posted["text"],
        date=_posted_date(posted["date"], _("Dato")),
        period_start=_posted_date(posted["start"], _("Fra")),
        period_end=_posted_date(posted["end"], _("Til")),
        assignment=posted["assignment"] or None,
    )


def _when(item: Any) -> str:
    """When a date of the draft is, in Norwegian: «14.04.2026», «i april–mai 2026»."""
    if item.date:
        return item.date.strftime("%d.%m.%Y")
    start, end = item.period_start, item.period_end
    if start is None or end is None:
        return ""
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole_months and start.year == end.year:
        first, last = MONTHS[start.month - 1], MONTHS[end.month - 1]
        if start.month == 1 and end.month == 12:
            return _("i løpet av {year}").format(year=start.year)
        if first == last:
            return _("i {month} {year}").format(month=first, year=start.year)
        return _("i {first}–{last} {year}").format(first=first, last=last, year=start.year)
    return _("fra {start} til {end}").format(
        start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y")
    )


MONTHS = [
    _lazy("januar"), _lazy("februar"), _lazy("mars"), _lazy("april"), _lazy("mai"),
    _lazy("juni"), _lazy("juli"), _lazy("august"), _lazy("september"), _lazy("oktober"),
    _lazy("november"), _lazy("desember"),
]  # fmt: skip
SENTENCES = {
    "meeting": _lazy("Møte {when}: {what}"),
    "deadline": _lazy("Frist for senteret {when}: {what}"),
    "report_deadline": _lazy("Frist for årsrapporten {when}: {what}"),
    "campaign": _lazy("Kampanjeperiode {when}: {what}"),
    "other": _lazy("Annen dato {when}: {what}"),
}


def date_sentence(item: Any) -> str:
    """One date of the draft as a Norwegian sentence."""
    what = " ".join(item.text.split())
    if len(what) > 160:
        what = what[:159] + "…"
    sentence = str(SENTENCES.get(item.kind, SENTENCES["other"])).format(
        when=_when(item), what=what.rstrip(".")
    )
    sentence += "."
    if item.assignment:
        sentence += " " + _("Gjelder oppdrag {number}.").format(number=item.assignment)
    return sentence


def date_rows(draft: Any) -> list[dict[str, Any]]:
    return [
        {
            "index": index,
            "item": item,
            "sentence": date_sentence(item),
            "grantors": review.is_grantor_deadline(item),
        }
        for index, item in enumerate(draft.dates)
    ]


def flatten(nodes: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for node in nodes:
        rows.append({**node, "depth": depth})
        rows.extend(flatten(node["children"], depth + 1))
    return rows


@center_view()
def grant_detail(request: HttpRequest, year: int) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    grant = get_object_or_404(Grant.objects.filter(center=center), year=year)
    feed_token = signing.dumps(
        {"c": center.pk, "y": year, "u": request.user.pk}, salt=CALENDAR_SALT
    )
    return render(
        request,
        "web/grant_detail.html",
        {
            "grant": grant,
            "budget_lines": grant.budget_lines.all(),
            "plan": grant_year_plan(grant),
            "coverage": coverage_with_hours_and_texts(center, year),
            "feed_url": request.build_absolute_uri(
                reverse("web:grant_calendar", kwargs={"token": feed_token})
            ),
        },
    )


def grant_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The year plan for calendar programs, which cannot sign in: the signed URL is the
    key, and it stops working when the user leaves the centre."""
    try:
        data = signing.loads(token, salt=CALENDAR_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    if not Membership.objects.filter(
        user_id=data["u"], center_id=data["c"], role__in=STAFF_ROLES
    ).exists():
        raise Http404
    grant = get_object_or_404(Grant, center_id=data["c"], year=data["y"])
    response = HttpResponse(grant_calendar(grant), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="arshjul-{grant.year}.ics"'
    return response


def coverage_with_hours_and_texts(center: Any, year: int) -> list[dict[str, Any]]:
    """Coverage per assignment with the hours (by project weights) and how many of
    the chapter's three assessment texts are ready or approved."""
    from oppdrag.grants.models import Assignment
    from oppdrag.hours.tables import hours_per_assignment
    from oppdrag.reports.models import AssessmentBlock

    ids = dict(Assignment.objects.filter(center=center, year=year).values_list("number", "pk"))
    hours = {
        ids[row.number]: float(row.hours)
        for row in hours_per_assignment(center, year)
        if row.number in ids
    }
    done: dict[int, int] = {}
    for assignment_id, status in AssessmentBlock.objects.filter(
        center=center,
        year=year,
        assignment__isnull=False,
        kind__in=[
            AssessmentBlock.Kind.ACTIVITIES,
            AssessmentBlock.Kind.INVOLVEMENT,
            AssessmentBlock.Kind.RESULTS,
        ],
    ).values_list("assignment_id", "status"):
        if status != AssessmentBlock.Status.DRAFT and str(status).strip():
            done[assignment_id] = done.get(assignment_id, 0) + 1
    status = {
        pk: _("{done} av 3 tekster klare").format(done=done.get(pk, 0)) for pk in ids.values()
    }
    return coverage(center, year, hours=hours, report_status=status)["assignments"]


@center_view(role=Membership.Role.EDITOR)
def grant_carry_forward(request: HttpRequest, year: int) -> HttpResponse:
    """Link this year's assignments to last year's: proposals by title (and number),
    confirmed by a person, so records and hours compare across renumbered years."""
    from oppdrag.grants.models import Assignment
    from oppdrag.grants.services import link_all_to_previous, previous_links

    center = request.center  # type: ignore[attr-defined]
    get_object_or_404(Grant.objects.filter(center=center), year=year)
    previous = list(Assignment.objects.filter(center=center, year=year - 1).order_by("sort_key"))
    by_uid = {str(a.uid): a for a in previous}
    error, posted = "", None
    if request.method == "POST":
        posted = posted_links(request, by_uid)
        try:
            changed = link_all_to_previous(
                center=center,
                year=year,
                choices=posted,
                seen=unseal(request.POST.get("versjon", "")),
                user=request.user,
            )
        except Conflict as conflict:
            error = conflict.message()
        else:
            messages.success(request, _("{n} koblinger er lagret.").format(n=changed))
            return redirect("web:grant_detail", center=center.slug, year=year)
    current = list(
        Assignment.objects.filter(center=center, year=year)
        .select_related("previous")
        .order_by("sort_key")
    )
    context = {
        "year": year,
        "rows": carry_forward_rows(current, previous, posted),
        "previous": previous,
        "version": seal_values(previous_links(current)),
        "error": error,
    }
    return render(request, "web/grant_carry_forward.html", context, status=409 if error else 200)


def posted_links(request: HttpRequest, by_uid: dict[str, Any]) -> dict[str, Any]:
    """The form's choices, assignment uid → last year's assignment (None: no link)."""
    posted = {}
    for key in request.POST:
        if not key.startswith("prev-"):
            continue
        value = request.POST.get(key, "")
        if value and value not in by_uid:
            raise Http404
        posted[key.removeprefix("prev-")] = by_uid.get(value)
    return posted


def carry_forward_rows(
    current: list[Any], previous: list[Any], posted: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """One row per assignment: the link chosen (as posted, after a conflict) or proposed."""
    from oppdrag.grants.services import match_assignments

    proposals = {p.current.pk: p for p in match_assignments(previous, current)}
    rows = []
    for assignment in current:
        proposal = proposals.get(assignment.pk)
        chosen = assignment.previous or (proposal.previous if proposal else None)
        if posted is not None and str(assignment.uid) in posted:
            chosen = posted[str(assignment.uid)]
        rows.append(
            {
                "assignment": assignment,
                "chosen": chosen,
                "score": proposal.score if proposal and proposal.previous else None,
                "confirmed": assignment.previous_id is not None,
            }
        )
    return rows

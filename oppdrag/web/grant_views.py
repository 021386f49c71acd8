"""Grant letters in the staff interface: upload, review the draft, save, year plan.

The draft lives in the session between the upload and the save, as the JSON the
parser's ``to_dict`` writes; every correction goes through ``grants.review``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from oppdrag.core.models import Membership
from oppdrag.grants import review
from oppdrag.grants.extract import TextRejected, extract_bytes
from oppdrag.grants.letter_parser import parse_letter
from oppdrag.grants.models import Grant
from oppdrag.grants.services import GrantExists, coverage, create_grant_from_draft, grant_calendar
from oppdrag.grants.services import year_plan as grant_year_plan

from .access import center_view

DRAFTS = "oppdrag:grant-drafts"
MAX_LETTER_BYTES = 50 * 1024 * 1024
CALENDAR_SALT = "oppdrag.calendar"


@center_view()
def grant_list(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    grants = Grant.objects.filter(center=center).order_by("-year")
    context: dict[str, Any] = {"grants": grants}
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
                token = secrets.token_urlsafe(12)
                drafts = request.session.get(DRAFTS, {})
                drafts[token] = {
                    "draft": draft.to_dict(),
                    "name": upload.name,
                    "text": extracted.text,
                    "warnings": extracted.warnings,
                }
                request.session[DRAFTS] = drafts
                return redirect("web:grant_review", center=center.slug, token=token)
        return render(request, "web/grant_list.html", context, status=400)
    return render(request, "web/grant_list.html", context)


OPERATIONS = {"rename", "renumber", "merge", "move"}


@center_view(role=Membership.Role.EDITOR)
def grant_review(request: HttpRequest, token: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    drafts = request.session.get(DRAFTS, {})
    entry = drafts.get(token)
    if entry is None:
        raise Http404
    draft = review.draft_from_dict(entry["draft"])
    error = ""
    if request.method == "POST":
        operation = request.POST.get("operation", "")
        target = request.POST.get("target", "")
        value = request.POST.get("value", "").strip()
        try:
            if operation == "save":
                year = int(request.POST.get("year") or draft.year or 0) or None
                grant = create_grant_from_draft(
                    center,
                    draft,
                    request.user,
                    year=year,
                    letter_name=entry["name"],
                    letter_text=entry["text"],
                )
                drafts.pop(token)
                request.session[DRAFTS] = drafts
                messages.success(
                    request, _("Tilskuddet for {year} er lagret.").format(year=grant.year)
                )
                return redirect("web:grant_detail", center=center.slug, year=grant.year)
            if operation not in OPERATIONS:
                raise review.ReviewError(_("Ukjent endring."))
            if operation == "rename":
                review.rename(draft, target, value)
            elif operation == "renumber":
                review.renumber(draft, target, value)
            elif operation == "merge":
                review.merge(draft, target, value)
            elif operation == "move":
                review.move(draft, target, value or None)
        except (review.ReviewError, GrantExists, ValueError) as exc:
            error = str(exc)
        else:
            entry["draft"] = draft.to_dict()
            drafts[token] = entry
            request.session[DRAFTS] = drafts
            return redirect(request.path)
    return render(
        request,
        "web/grant_review.html",
        {
            "draft": draft,
            "data": entry["draft"],
            "nodes": flatten(entry["draft"]["assignments"]),
            "name": entry["name"],
            "warnings": entry["warnings"],
            "error": error,
        },
        status=400 if error else 200,
    )


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
            "coverage": coverage(center, year)["assignments"],
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
    if not Membership.objects.filter(user_id=data["u"], center_id=data["c"]).exists():
        raise Http404
    grant = get_object_or_404(Grant, center_id=data["c"], year=data["y"])
    response = HttpResponse(grant_calendar(grant), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="arshjul-{grant.year}.ics"'
    return response

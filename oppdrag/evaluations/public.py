"""The public answer page: no account, no JavaScript, Norwegian, phone-sized.

``/svar/<token>/`` takes either a survey's public token (an event's link and QR
code) or a team's personal invitation token. Every refusal is a page with a
Norwegian message and a 4xx status: closed (410), too large (413), too many
submissions (429), malformed (400), replayed or already answered (409), and a
failed CSRF check (403). Client addresses are used only for the rate limit, as a
keyed hash with the link and the time window, and never stored with an answer.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import answers, services
from .models import Invitation, Question, Survey

DEVICE_COOKIE = "svar_enhet"
DEVICE_COOKIE_AGE = 400 * 24 * 60 * 60
# A full form is a few kilobytes; anything far larger is refused before it is read.
MAX_BODY_BYTES = 64 * 1024
# (well-formed submissions, seconds) per link and client address together. Only
# submissions that pass the CSRF, form-code and answer checks count, so malformed
# posts cannot lock anyone out, and one address cannot use up a link for others. An
# audience behind one office network shares an address, so the limit is generous.
DEFAULT_LIMITS = {"address": (1000, 600)}


def _limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "EVALUATION_RATE_LIMITS", {})}


def rate_limited(request: HttpRequest, survey: Survey) -> bool:
    limit, window = _limits()["address"]
    address = request.META.get("REMOTE_ADDR", "")
    return services.count_submission(survey, address, limit=limit, window=window)


def too_many(request: HttpRequest) -> HttpResponse:
    response = message(
        request,
        _("For mange svar akkurat nå"),
        _("Det er kommet svært mange svar fra denne adressen. Vent et par minutter og send igjen."),
        429,
    )
    response["Retry-After"] = "120"
    return response


def find(token: str) -> tuple[Survey | None, Invitation | None]:
    if len(token) > 60:
        return None, None
    # Event links first: they carry the load after a webinar.
    survey = (
        Survey.objects.select_related("center", "version__questionnaire")
        .filter(token=token)
        .first()
    )
    if survey is not None:
        return survey, None
    invitation = (
        Invitation.objects.select_related(
            "survey__center", "team", "survey__version__questionnaire"
        )
        .filter(token=token)
        .first()
    )
    if invitation is not None:
        return invitation.survey, invitation
    return None, None


def message(request: HttpRequest, title: str, text: str, status: int) -> HttpResponse:
    return render(
        request, "evaluations/public_message.html", {"title": title, "text": text}, status=status
    )


def error_text(error: answers.FieldError) -> str:
    texts = {
        "required": _("Svar på dette spørsmålet."),
        "invalid_choice": _("Velg et av alternativene."),
        "too_many": _("Velg bare ett alternativ."),
        "not_a_number": _("Skriv et tall, for eksempel 12 eller 3,5."),
        "too_long": _("Svaret er for langt: høyst {max_length} tegn."),
        "too_small": _("Tallet må være minst {minimum}."),
        "too_large": _("Tallet kan være høyst {maximum}."),
    }
    params = {k: (f"{v:g}" if isinstance(v, float) else v) for k, v in error.params.items()}
    return texts.get(error.code, _("Svaret kan ikke leses.")).format(**params)


REFUSALS = {
    "closed": (
        410,
        _lazy("Undersøkelsen er stengt"),
        _lazy("Det er ikke lenger mulig å svare. Takk for interessen."),
    ),
    "replayed": (
        409,
        _lazy("Svaret er allerede mottatt"),
        _lazy("Dette skjemaet er allerede sendt inn. Svaret ditt er registrert én gang."),
    ),
    "already_answered": (
        409,
        _lazy("Du har allerede svart"),
        _lazy("Det er registrert et svar fra denne enheten eller dette teamet. Takk!"),
    ),
    "expired": (
        400,
        _lazy("Skjemaet er utløpt"),
        _lazy("Skjemaet har stått åpent for lenge. Åpne lenken på nytt og send svaret igjen."),
    ),
    "bad_nonce": (
        400,
        _lazy("Skjemaet kan ikke leses"),
        _lazy("Innsendingen mangler en gyldig skjemakode. Åpne lenken på nytt og svar derfra."),
    ),
}


def refuse(request: HttpRequest, code: str) -> HttpResponse:
    status, title, text = REFUSALS[code]
    return message(request, str(title), str(text), status)


def render_form(
    request: HttpRequest,
    survey: Survey,
    questions: list[Question],
    *,
    nonce: str,
    invitation: Invitation | None = None,
    values: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    values = values or {}
    errors = errors or {}
    municipalities = (
        services.municipality_choices()
        if any(q.kind == answers.MUNICIPALITY for q in questions)
        else []
    )
    sections: list[dict[str, Any]] = []
    for q in questions:
        title = q.section.title if q.section else ""
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "questions": []})
        if q.kind == answers.MUNICIPALITY:
            options = municipalities
        elif q.kind == answers.SCALE:
            options = [
                (str(i), f"{i} – {label}" if label else str(i))
                for i, label in enumerate(q.scale_labels(), 1)
            ]
        else:
            options = [(str(o), str(o)) for o in q.options or []]
        sections[-1]["questions"].append(
            {
                "q": q,
                "name": q.field_name,
                "options": options,
                "values": values.get(q.field_name, []),
                "value": (values.get(q.field_name) or [""])[0],
                "error": errors.get(q.field_name, ""),
            }
        )
    context = {
        "survey": survey,
        "questionnaire": survey.version.questionnaire,
        "sections": sections,
        "nonce": nonce,
        "team": invitation.team if invitation is not None else None,
        "errors": errors,
        "max_text": answers.MAX_TEXT,
    }
    response = render(request, "evaluations/public_form.html", context, status=status)
    if DEVICE_COOKIE not in request.COOKIES:
        _set_device_cookie(response, secrets.token_urlsafe(24))
    return response


def _no_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _csrf_checked(request: HttpRequest) -> HttpResponse:
    """Stands in for the view in the CSRF check (the view itself is marked exempt)."""
    return HttpResponse()


def _set_device_cookie(response: HttpResponse, value: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_AGE,
        path="/svar/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@csrf_exempt  # checked below, so a failure gets a Norwegian page instead of Django's
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    survey, invitation = find(token)
    if survey is None:
        return message(
            request,
            _("Fant ikke undersøkelsen"),
            _("Lenken er ikke gyldig. Sjekk at hele lenken er med, eller skann QR-koden på nytt."),
            404,
        )
    if not services.is_open(survey):
        return refuse(request, "closed")
    device = request.COOKIES.get(DEVICE_COOKIE, "")[:100]
    if invitation is not None and invitation.status == Invitation.Status.ANSWERED:
        return refuse(request, "already_answered")
    if survey.one_per_device and services.has_answered(survey, device):
        return refuse(request, "already_answered")
    questions = list(survey.version.questions.select_related("section").order_by("position", "id"))
    if request.method == "GET":
        if invitation is not None:
            services.mark_opened(invitation)
        return render_form(
            request, survey, questions, nonce=services.new_nonce(survey), invitation=invitation
        )

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if length > MAX_BODY_BYTES:
        return message(
            request,
            _("Svaret er for stort"),
            _(
                "Innsendingen er større enn et utfylt skjema kan være. "
                "Kort ned fritekstsvarene og prøv igjen."
            ),
            413,
        )
    try:
        data = {key: request.POST.getlist(key) for key in request.POST}
    except (RequestDataTooBig, SuspiciousOperation):
        return message(
            request,
            _("Skjemaet kan ikke leses"),
            _("Innsendingen har for mange felt eller et ugyldig format."),
            400,
        )
    if CsrfViewMiddleware(_no_response).process_view(request, _csrf_checked, (), {}):
        return message(
            request,
            _("Skjemaet kunne ikke sendes"),
            _(
                "Nettleseren sendte ikke sikkerhetskoden skjemaet trenger. Tillat "
                "informasjonskapsler for dette nettstedet, åpne lenken på nytt og svar derfra."
            ),
            403,
        )
    nonce = (data.get("skjemakode") or [""])[0][:500]
    try:
        nonce_key = services.check_nonce(survey, nonce)
    except services.SubmissionRefused as refused:
        return refuse(request, refused.code)
    parsed = answers.parse_submission(
        services.specs_for(
            questions,
            [pk for pk, _n in services.municipality_choices()]
            if any(q.kind == answers.MUNICIPALITY for q in questions)
            else [],
        ),
        data,
    )
    if not parsed.ok:
        errors = {name: error_text(error) for name, error in parsed.errors.items()}
        return render_form(
            request,
            survey,
            questions,
            nonce=nonce,
            invitation=invitation,
            values=data,
            errors=errors,
            status=400,
        )
    if rate_limited(request, survey):
        return too_many(request)
    new_device = device or secrets.token_urlsafe(24)
    try:
        services.submit_response(
            survey=survey,
            questions=questions,
            values=parsed.values,
            nonce_key=nonce_key,
            device=new_device,
            invitation=invitation,
        )
    except services.SubmissionRefused as refused:
        return refuse(request, refused.code)
    response = redirect("evaluations_public:thanks", token=token)
    response.status_code = 303
    if not device:
        _set_device_cookie(response, new_device)
    return response


@require_http_methods(["GET"])
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey, _invitation = find(token)
    if survey is None:
        return message(request, _("Fant ikke undersøkelsen"), _("Lenken er ikke gyldig."), 404)
    return message(
        request, _("Takk for svaret!"), _("Svaret ditt er registrert. Du kan lukke siden."), 200
    )

"""Staff pages for evaluations. Every view goes through ``center_view``: readers see
results, editors create, attach, send, remind, close and export."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from oppdrag.activities.models import EventSeries
from oppdrag.core.converters import parse_year
from oppdrag.core.models import Membership
from oppdrag.grants.models import Assignment
from oppdrag.web.access import center_view, has_role
from oppdrag.web.exports import table_response
from oppdrag.web.years import year_in_view

from . import charts, services
from .exports import raw_answer_table
from .forms import AttachForm, QuestionForm, QuestionnaireForm, ReminderForm, TeamSurveyForm
from .models import Invitation, Questionnaire, Survey
from .results import GroupResult, group_results
from .standard import SCALE_KEYS
from .statistics import suppressed

EDITOR = Membership.Role.EDITOR


def _year(request: HttpRequest) -> int:
    """``?ar=``, or the year in view when it is absent or not a year (``parse_year``)."""
    return parse_year(request.GET.get("ar", "")) or year_in_view(request)


def public_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("evaluations_public:answer", args=[token]))


def chart_context(result: GroupResult) -> dict[str, Any]:
    """SVG charts of one result: the means of the scale questions, one bar chart each."""
    means = [
        (q.text, q.mean.mean, q.mean.ci_low, q.mean.ci_high)
        for q in result.questions
        if q.kind == "scale" and not q.suppressed and q.mean is not None
    ]
    return {
        "result": result,
        "mean_chart": charts.mean_chart(_("Gjennomsnitt med 95 % konfidensintervall"), means)
        if means
        else "",
        "bars": {
            q.key: charts.bar_chart(q.text, q.distribution)
            for q in result.questions
            if q.distribution and not q.suppressed
        },
    }


def _survey(request: HttpRequest, uid: Any) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("version__questionnaire", "event", "series", "team_type"),
        center=request.center,  # type: ignore[attr-defined]
        uid=uid,
    )


@center_view()
def evaluation_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    center = request.center  # type: ignore[attr-defined]
    surveys = (
        Survey.objects.filter(center=center, year=year)
        .select_related("event", "series", "team_type")
        .annotate(n_responses=Count("responses", distinct=True))
        .order_by("kind", "title")
    )
    return render(
        request,
        "evaluations/list.html",
        {
            "year": year,
            "surveys": surveys,
            "questionnaires": services.questionnaires_for(center).order_by("center", "name"),
            "can_edit": has_role(request.membership, EDITOR),  # type: ignore[attr-defined]
        },
    )


@center_view(EDITOR)
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.create_questionnaire(
            center=request.center,  # type: ignore[attr-defined]
            name=form.cleaned_data["name"],
            purpose=form.cleaned_data["purpose"],
            intro=form.cleaned_data["intro"],
            base_on_standard=form.cleaned_data["base_on_standard"],
        )
        return redirect(
            "evaluations:questionnaire",
            center=request.center.slug,  # type: ignore[attr-defined]
            uid=questionnaire.uid,
        )
    return render(request, "evaluations/form.html", {"form": form, "title": _("Nytt skjema")})


@center_view()
def questionnaire_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    questionnaire = get_object_or_404(
        Questionnaire.objects.filter(Q(center=center) | Q(center__isnull=True)), uid=uid
    )
    version = services.current_version(questionnaire)
    can_edit = questionnaire.center_id == center.pk and has_role(
        request.membership,  # type: ignore[attr-defined]
        EDITOR,
    )
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if "remove" in request.POST:
            services.remove_question(
                questionnaire=questionnaire, center=center, key=request.POST["remove"][:60]
            )
            messages.success(request, _("Spørsmålet er fjernet fra neste versjon."))
            return redirect(request.path)
        if form.is_valid():
            d = form.cleaned_data
            services.add_question(
                questionnaire=questionnaire,
                center=center,
                data=services.QuestionData(
                    text=d["text"],
                    kind=d["kind"],
                    required=d["required"],
                    options=d["option_list"],
                    section=d["section"],
                    minimum=d["minimum"],
                    maximum=d["maximum"],
                ),
            )
            messages.success(request, _("Spørsmålet er lagt til."))
            return redirect(request.path)
    return render(
        request,
        "evaluations/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "questions": version.questions.select_related("section").order_by("position"),
            "form": form,
            "can_edit": can_edit,
        },
    )


@center_view(EDITOR)
def survey_create(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    year = _year(request)
    form = AttachForm(
        request.POST or None,
        center=center,
        questionnaires=services.questionnaires_for(center),
        year=year,
    )
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        is_series = isinstance(target, EventSeries)
        survey = services.attach_evaluation(
            center=center,
            questionnaire=form.cleaned_data["questionnaire"],
            event=None if is_series else target,
            series=target if is_series else None,
            closes_on=form.cleaned_data["closes_on"],
            one_per_device=form.cleaned_data["one_per_device"],
        )
        return redirect("evaluations:survey", center=center.slug, uid=survey.uid)
    return render(
        request,
        "evaluations/form.html",
        {"form": form, "title": _("Evaluer et arrangement ({year})").format(year=year)},
    )


@center_view(EDITOR)
def team_survey_create(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    form = TeamSurveyForm(
        request.POST or None,
        initial={"year": year_in_view(request)},
        questionnaires=services.questionnaires_for(center),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        survey = services.send_team_survey(
            center=center,
            questionnaire=d["questionnaire"],
            team_type=d["team_type"],
            year=d["year"],
            title=d["title"],
            closes_on=d["closes_on"],
        )
        if d["email"]:
            services.mail_team_links(
                survey=survey,
                address=d["email"],
                base_url=request.build_absolute_uri("/"),
                reminder=False,
            )
            messages.success(request, _("Lenkene er sendt på e-post."))
        return redirect("evaluations:survey", center=center.slug, uid=survey.uid)
    return render(
        request, "evaluations/form.html", {"form": form, "title": _("Ny teamundersøkelse")}
    )


@center_view()
def survey_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    survey = _survey(request, uid)
    can_edit = has_role(request.membership, EDITOR)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "survey": survey,
        "can_edit": can_edit,
        "is_open": services.is_open(survey),
        "public_url": public_url(request, survey.token) if survey.kind != Survey.Kind.TEAM else "",
        "reminder_form": ReminderForm(),
        **chart_context(group_results(Survey.objects.filter(pk=survey.pk), survey.title)),
    }
    if survey.kind == Survey.Kind.TEAM:
        invitations = list(survey.invitations.select_related("team__region").order_by("team__name"))
        regions: dict[str, dict[str, int]] = {}
        for inv in invitations:
            name = inv.team.region.name if inv.team.region else _("Ukjent region")
            row = regions.setdefault(name, {"answered": 0, "opened": 0, "not_opened": 0})
            row[inv.status] += 1
        total = {
            k: sum(r[k] for r in regions.values()) for k in ("answered", "opened", "not_opened")
        }
        context["regions"] = sorted(regions.items())
        context["region_total"] = total
        context["invited"] = len(invitations)
        if can_edit:
            context["links"] = "\n".join(
                services.link_lines(
                    [i for i in invitations if i.status != Invitation.Status.ANSWERED],
                    request.build_absolute_uri("/"),
                )
            )
    return render(request, "evaluations/survey.html", context)


def _posted_survey(request: HttpRequest, uid: Any) -> Survey | None:
    """The centre's survey for a POST-only action, or None for another method.

    The survey is looked up first, so another centre's uid is 404 whatever the method.
    """
    survey = _survey(request, uid)
    return survey if request.method == "POST" else None


@center_view(EDITOR)
def survey_close(request: HttpRequest, uid: Any) -> HttpResponse:
    survey = _posted_survey(request, uid)
    if survey is None:
        return HttpResponseNotAllowed(["POST"])
    services.close_survey(survey)
    messages.success(request, _("Evalueringen er stengt for nye svar."))
    return redirect("evaluations:survey", center=survey.center.slug, uid=survey.uid)


@center_view(EDITOR)
def survey_remind(request: HttpRequest, uid: Any) -> HttpResponse:
    survey = _posted_survey(request, uid)
    if survey is None:
        return HttpResponseNotAllowed(["POST"])
    form = ReminderForm(request.POST)
    if survey.kind != Survey.Kind.TEAM:
        raise Http404
    if form.is_valid():
        sent = services.mail_team_links(
            survey=survey,
            address=form.cleaned_data["email"],
            base_url=request.build_absolute_uri("/"),
            reminder=True,
        )
        messages.success(request, _("Påminnelse sendt med lenker til {n} team.").format(n=sent))
    else:
        messages.error(request, _("Skriv en gyldig e-postadresse."))
    return redirect("evaluations:survey", center=survey.center.slug, uid=survey.uid)


@center_view()
def survey_qr(request: HttpRequest, uid: Any, fmt: str) -> HttpResponse:
    survey = _survey(request, uid)
    if survey.kind == Survey.Kind.TEAM:
        raise Http404
    qr = segno.make(public_url(request, survey.token), error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=8, border=2, title=_("QR-kode til evalueringen"))
        content_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=10, border=2)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    if request.GET.get("last-ned"):
        response["Content-Disposition"] = f'attachment; filename="qr-evaluering.{fmt}"'
    return response


@center_view(EDITOR)
def survey_export(request: HttpRequest, uid: Any, fmt: str) -> HttpResponse:
    survey = _survey(request, uid)
    header, rows = raw_answer_table(survey)
    if suppressed(len(rows)):
        messages.success(request, _("Svarene kan eksporteres når det er minst fem svar."))
        return redirect("evaluations:survey", center=survey.center.slug, uid=survey.uid)
    if survey.is_demo:  # generated answers say so in the file, on every row
        header = [*header, _("Eksempeldata")]
        rows = [[*row, _("ja")] for row in rows]
    return table_response(f"svar-{survey.year}", header, rows, fmt)


@center_view()
def results_overview(request: HttpRequest, year: int) -> HttpResponse:
    """The year's results: all of them together, by event, by series and by assignment."""
    center = request.center  # type: ignore[attr-defined]
    surveys = Survey.objects.filter(center=center, year=year)
    scope_title = _("Alle evalueringer {year}").format(year=year)
    series_uid = request.GET.get("serie")
    assignment_number = request.GET.get("oppdrag")
    if series_uid:
        series = get_object_or_404(EventSeries, center=center, uid=series_uid)
        surveys = surveys.filter(Q(series=series) | Q(event__series=series))
        scope_title = series.name
    elif assignment_number:
        assignment = get_object_or_404(
            Assignment, center=center, year=year, number=assignment_number
        )
        surveys = surveys.filter(
            Q(event__assignments=assignment) | Q(series__events__assignments=assignment)
        )
        scope_title = _("Oppdrag {number} {title}").format(
            number=assignment.number, title=assignment.title
        )
    surveys = surveys.exclude(kind=Survey.Kind.TEAM).distinct()
    result = group_results(surveys, scope_title)
    from .figures import evaluation_figures

    figures = evaluation_figures(center, year)
    series_rows = (
        EventSeries.objects.filter(center=center, year=year)
        .filter(Q(evaluations__isnull=False) | Q(events__evaluations__isnull=False))
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "evaluations/results.html",
        {
            "year": year,
            "figures": figures,
            "series_rows": series_rows,
            "scoped": bool(series_uid or assignment_number),
            "standard_keys": SCALE_KEYS,
            "has_demo": Survey.objects.filter(center=center, year=year, is_demo=True).exists(),
            **chart_context(result),
        },
    )

"""Staff pages for service teams, pilot projects and fidelity reviews.

Every view goes through ``center_view``: readers see the lists, the pages and the
charts and download feedback reports; editors and admins register and change. Every
record is looked up under ``request.center``, so another centre's uid answers 404.
Writes go through ``services``; a refusal comes back on the form, nothing saved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields as dataclass_fields
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from oppdrag.activities.models import Deletion
from oppdrag.core.concurrency import Conflict, check_sealed, seal
from oppdrag.core.models import Membership
from oppdrag.web import fragments
from oppdrag.web.access import center_view, has_role

from . import charts, services
from .feedback import render_feedback
from .filters import PilotFilter, TeamFilter, with_current_status
from .forms import MAX_RATERS, PilotForm, ReviewForm, StatusForm, TeamForm
from .models import (
    FidelityReview,
    FidelityScaleVersion,
    PilotProject,
    ServiceTeam,
    TeamStatus,
)
from .scales import Scale, parse_scale, score

EDITOR = Membership.Role.EDITOR
PAGE_SIZE = 50
FEEDBACK_FORMATS = ("docx", "pdf", "html")


def _can_edit(request: HttpRequest) -> bool:
    return has_role(request.membership, EDITOR)  # type: ignore[attr-defined]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _team(request: HttpRequest, uid: Any) -> ServiceTeam:
    return get_object_or_404(
        ServiceTeam.objects.select_related("model_type", "region", "contact_organization"),
        center=request.center,  # type: ignore[attr-defined]
        uid=uid,
    )


def _history(record: Any) -> list[tuple[Any, list[Any]]]:
    """The record's last 50 changes, each with its field changes against the one
    before, compared in Python so the page's queries stay fixed."""
    entries = list(record.history.select_related("history_user").order_by("-history_date")[:51])
    changes = []
    for index, entry in enumerate(entries[:50]):
        before = entries[index + 1] if index + 1 < len(entries) else None
        diff = entry.diff_against(before).changes if before is not None else []
        changes.append((entry, diff))
    return changes


def _refused(form: Any, error: ValidationError) -> None:
    """Put a service's refusal on the form: by field where it names one of the form's."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


# --- teams -------------------------------------------------------------------------------


def team_rows(queryset: QuerySet[ServiceTeam]) -> QuerySet[Any]:
    """Teams with what the list shows, in a fixed number of queries."""
    return (
        with_current_status(queryset, timezone.localdate())
        .select_related("model_type", "region")
        .prefetch_related("municipalities", "districts", "organizations")
        .annotate(last_review=Max("reviews__date"))
        .order_by("model_type__sort_order", "name", "pk")
    )


def owners_text(team: ServiceTeam) -> str:
    """The owners as the list shows them: municipalities and districts, then «; » and
    the organisations. Joined here rather than by three loops in the template, which
    cost more than the rest of the row."""
    places = [m.name for m in team.municipalities.all()] + [d.name for d in team.districts.all()]
    text = ", ".join(places)
    organizations = [o.name for o in team.organizations.all()]
    return f"{text}; {', '.join(organizations)}" if organizations else text


@center_view()
def team_list(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]

    def body() -> str:
        filterset = TeamFilter(
            request.GET or None, queryset=ServiceTeam.objects.filter(center=center), center=center
        )
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        page = Paginator(team_rows(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
        statuses = dict(TeamStatus.Status.choices)
        context = {
            "center": center,
            "filter": filterset,
            "page": page,
            "rows": [
                (team, statuses.get(team.current_status, ""), owners_text(team)) for team in page
            ],
            "query": _query_without_page(request),
        }
        return render_to_string("teams/_team_list.html", context)

    # The filter form, rows and pager are the same for every reader with the same query,
    # kept under the centre's data version (web.fragments) and by the day, since the
    # status shown is today's. The editors' links are rendered around them.
    parts = (timezone.localdate().isoformat(), request.GET.urlencode())
    return render(
        request,
        "teams/team_list.html",
        {
            "body": fragments.cached(center.pk, "team_list", parts, body),
            "can_edit": _can_edit(request),
        },
    )


def _team_data(form: TeamForm) -> services.TeamData:
    d = form.cleaned_data
    return services.TeamData(
        model_type=d["model_type"],
        name=d["name"],
        start_date=d["start_date"],
        status=d.get("status") or TeamStatus.Status.ESTABLISHED,
        municipalities=list(d["municipalities"]),
        districts=list(d["districts"]),
        organizations=list(d["organizations"]),
        contact_organization=d["contact_organization"],
        notes=d["notes"],
    )


@center_view(EDITOR)
def team_create(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    form = TeamForm(request.POST or None, center=center, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.register_team(center=center, user=request.user, data=_team_data(form))
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Teamet er registrert."))
            return redirect("teams:team_detail", center=center.slug, uid=team.uid)
    return render(
        request, "teams/form.html", {"form": form, "title": _("Registrer team"), "wide": False}
    )


@center_view(EDITOR)
def team_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    team = _team(request, uid)
    form = TeamForm(
        request.POST or None, initial=TeamForm.initial_for(team), center=center, creating=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_team(team=team, user=request.user, data=_team_data(form))
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("teams:team_detail", center=center.slug, uid=team.uid)
    return render(
        request,
        "teams/form.html",
        {"form": form, "title": _("Endre {team}").format(team=team.name), "wide": False},
    )


def review_series(reviews: list[FidelityReview]) -> list[dict[str, Any]]:
    """The team's scored reviews by scale, each with its two charts and table rows."""
    by_version: dict[int, list[FidelityReview]] = defaultdict(list)
    scales: dict[int, Scale] = {}
    for review in reviews:
        version = review.scale_version
        if version.definition is None:
            continue
        if version.pk not in scales:
            scales[version.pk] = parse_scale(version.definition)
        by_version[version.pk].append(review)
    series = []
    for version_pk, scored in by_version.items():
        scale = scales[version_pk]
        points = []
        for review in scored:
            result = score(scale, services.consensus_scores(review))
            points.append(charts.ReviewPoint(review.date, result.total, result.items))
        items = [(item.code, item.name) for item in scale.items]
        name = f"{scale.name} {scale.version}"
        series.append(
            {
                "name": name,
                "points": points,
                "total_chart": charts.total_chart(
                    _("Totalskår per måling, {scale}").format(scale=name),
                    points,
                    scale.minimum,
                    scale.maximum,
                ),
                "item_chart": charts.item_chart(
                    _("Skår per indikator og måling, {scale}").format(scale=name),
                    points,
                    items,
                    scale.minimum,
                    scale.maximum,
                ),
                "rows": [
                    (code, item_name, [charts.number(p.items.get(code)) for p in points])
                    for code, item_name in items
                ],
                "totals": [charts.number(p.total) for p in points],
            }
        )
    return series


@center_view()
def team_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    team = _team(request, uid)
    can_edit = _can_edit(request)

    def body() -> str:
        context = team_detail_context(center, team)
        context.update(fragments.csrf_context(), can_edit=can_edit)
        context["status_form"] = StatusForm() if can_edit else None
        return render_to_string("teams/_team_detail.html", context)

    # The body is the same for every reader of the same role (editors get the status
    # form, its CSRF token filled in per request): kept under the centre's data version
    # (web.fragments) and by the day, since the status shown is today's.
    parts = (team.pk, can_edit, timezone.localdate().isoformat())
    kept = fragments.cached(center.pk, "team_detail", parts, body)
    return render(
        request,
        "teams/team_detail.html",
        {"team": team, "body": fragments.with_csrf(request, kept), "can_edit": can_edit},
    )


def team_detail_context(center: Any, team: ServiceTeam) -> dict[str, Any]:
    """What a team's page shows besides its title and forms: the same for every reader."""
    prefetch_related_objects(
        [team],
        Prefetch("municipalities", queryset=_owner_municipalities()),
        "districts__municipality",
        "organizations",
        "statuses",
        "pilot_projects",
    )
    # Only what the page shows: the consensus scores for the charts, not the raters'.
    reviews = list(
        team.reviews.order_by("date", "pk")
        .select_related("scale_version", "scale_version__scale")
        .prefetch_related("consensus", "shared_with")
    )
    statuses = sorted(team.statuses.all(), key=lambda s: s.valid_from)
    return {
        "center": center,
        "team": team,
        "statuses": statuses,
        "current_status": services.status_at(statuses, timezone.localdate()),
        "status_labels": dict(TeamStatus.Status.choices),
        "reviews": reviews,
        "series": review_series(reviews),
        "changes": _history(team),
    }


def _owner_municipalities() -> QuerySet[Any]:
    from oppdrag.core.models import Municipality

    return Municipality.objects.select_related("county").order_by("name")


@center_view(EDITOR)
def team_status(request: HttpRequest, uid: Any) -> HttpResponse:
    """A new status (pause, established again, closed) from a date: POST only."""
    team = _team(request, uid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StatusForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.change_team_status(
                team=team,
                user=request.user,
                status=d["status"],
                valid_from=d["valid_from"],
                note=d["note"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Statusen er registrert."))
            return redirect("teams:team_detail", center=team.center.slug, uid=team.uid)
    return render(
        request,
        "teams/status_form.html",
        {"team": team, "form": form},
        status=400,
    )


# --- fidelity reviews ---------------------------------------------------------------------


def _versions(request: HttpRequest) -> list[FidelityScaleVersion]:
    return list(
        FidelityScaleVersion.objects.filter(center=request.center)  # type: ignore[attr-defined]
        .select_related("scale", "scale__model_type")
        .order_by("scale__name", "version")
    )


def _chosen_version(
    versions: list[FidelityScaleVersion], team: ServiceTeam, uid: str | None
) -> FidelityScaleVersion | None:
    """The version asked for (``?skala=``), else the one for the team's model, else the
    first with a definition, else the first."""
    if uid:
        chosen = next((v for v in versions if str(v.uid) == uid), None)
        if chosen is None:
            raise Http404
        return chosen
    loaded = [v for v in versions if v.definition is not None]
    for version in loaded:
        if version.scale.model_type_id == team.model_type_id:
            return version
    candidates = loaded or versions
    return candidates[0] if candidates else None


def _rater_count(request: HttpRequest) -> int:
    text = request.GET.get("bedommere", "")
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_RATERS else 2


@center_view(EDITOR)
def review_create(request: HttpRequest, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    team = _team(request, uid)
    if request.method == "POST" and request.POST.get("action") == "load-dacts":
        services.load_builtin_scale(center, "dacts")
        messages.success(request, _("DACTS er lastet inn."))
        return redirect(request.path)
    versions = _versions(request)
    version = _chosen_version(versions, team, request.GET.get("skala"))
    raters = _rater_count(request)
    scale = parse_scale(version.definition) if version and version.definition else None
    form = ReviewForm(
        request.POST or None,
        center=center,
        scale=scale,
        raters=raters,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and version is not None and form.is_valid():
        data = _review_input(form)
        try:
            review = services.record_review(
                center=center,
                team=team,
                scale_version=version,
                user=request.user,
                **{f.name: getattr(data, f.name) for f in dataclass_fields(data)},
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Fidelitymålingen er registrert."))
            return redirect("teams:review_detail", center=center.slug, uid=review.uid)
    return render(
        request,
        "teams/review_form.html",
        {
            "team": team,
            "form": form,
            "versions": versions,
            "version": version,
            "scale": scale,
            "rater_count": raters,
            "rater_choices": range(1, MAX_RATERS + 1),
        },
    )


def _review(request: HttpRequest, uid: Any) -> FidelityReview:
    return get_object_or_404(
        services.reviews_with_scores(
            FidelityReview.objects.filter(center=request.center)  # type: ignore[attr-defined]
        ).prefetch_related("shared_with", "raters__organization"),
        uid=uid,
    )


def _review_input(form: ReviewForm) -> services.ReviewInput:
    d = form.cleaned_data
    return services.ReviewInput(
        date=d["date"],
        raters=[services.RaterInput(**rater) for rater in form.raters()],
        consensus=form.consensus(),
        comments=form.comments(),
        agreement_signed_on=d["agreement_signed_on"],
        dpo_approved_on=d["dpo_approved_on"],
        status=d["status"],
        follow_up=d["follow_up"],
        shared_with=d["shared_with"],
    )


def _score_text(value: Any) -> str:
    """A stored score as a user types it: «3», «3,5»."""
    return "" if value is None else charts.number(float(value))


def _review_initial(review: FidelityReview, raters: list[Any]) -> dict[str, Any]:
    """The edit form's values: the review as saved."""
    initial: dict[str, Any] = {
        "date": review.date,
        "status": review.status,
        "agreement_signed_on": review.agreement_signed_on,
        "dpo_approved_on": review.dpo_approved_on,
        "follow_up": review.follow_up,
        "shared_with": [c.pk for c in review.shared_with.all()],
    }
    for n, rater in enumerate(raters, start=1):
        initial[f"r{n}_name"] = rater.name
        initial[f"r{n}_organization"] = rater.organization_id
        initial[f"r{n}_role"] = rater.role
        for entry in rater.scores.all():
            initial[f"r{n}_{entry.item_code}"] = _score_text(entry.score)
    for entry in review.consensus.all():
        initial[f"c_{entry.item_code}"] = _score_text(entry.score)
        initial[f"k_{entry.item_code}"] = entry.comment
    return initial


@center_view(EDITOR)
def review_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    """Change a review through the same form and checks as registering one."""
    review = _review(request, uid)
    version = review.scale_version
    scale = parse_scale(version.definition) if version.definition is not None else None
    raters = list(review.raters.all())
    asked = request.GET.get("bedommere", "")
    count = _rater_count(request) if asked else min(max(len(raters), 1), MAX_RATERS)
    sealed = request.POST.get("versjon", "") if request.method == "POST" else seal(review)
    form = ReviewForm(
        request.POST or None,
        center=request.center,  # type: ignore[attr-defined]
        scale=scale,
        raters=count,
        initial=_review_initial(review, raters),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                check_sealed(review, sealed)
                services.change_review(review, data=_review_input(form), user=request.user)
        except Conflict as conflict:
            form.add_error(None, conflict.message())
            sealed, status = seal(FidelityReview.objects.get(pk=review.pk)), 409
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("teams:review_detail", center=review.center.slug, uid=review.uid)
    context = {
        "team": review.team,
        "review": review,
        "form": form,
        "versions": [version],
        "version": version,
        "scale": scale,
        "rater_count": count,
        "rater_choices": range(1, MAX_RATERS + 1),
        "versjon": sealed,
        "fields_html": kept_review_fields(request, review, form, scale, count),
    }
    return render(request, "teams/review_form.html", context, status=status)


def kept_review_fields(
    request: HttpRequest,
    review: FidelityReview,
    form: ReviewForm,
    scale: Scale | None,
    count: int,
) -> SafeString | None:
    """An unchanged review's form fields, kept under the centre's data version by review
    and number of raters (web.fragments): under load on national data the form missed
    p99 < 250 ms. A posted form (values, errors) is written afresh."""
    if form.is_bound:
        return None
    return fragments.cached(
        review.center_id,
        "review_form_fields",
        (str(review.uid), count),
        lambda: render_to_string("teams/_review_fields.html", {"form": form, "scale": scale}),
    )


@center_view(EDITOR)
def review_delete(request: HttpRequest, uid: Any) -> HttpResponse:
    """Ask, naming what goes with the review; delete on a confirming post."""
    review = _review(request, uid)
    if request.method == "POST":
        services.delete_review(review, user=request.user)
        messages.success(
            request,
            _(
                "Målingen «{title}» er slettet. Du kan gjenopprette den fra listen over "
                "slettede målinger."
            ).format(title=review),
        )
        return redirect("teams:team_detail", center=review.center.slug, uid=review.team.uid)
    raters = list(review.raters.all())
    context = {
        "review": review,
        "raters": len(raters),
        "scores": sum(len(r.scores.all()) for r in raters),
        "consensus": len(review.consensus.all()),
        "shared_with": ", ".join(c.name for c in review.shared_with.all()),
    }
    return render(request, "teams/review_delete.html", context)


@center_view(EDITOR)
def review_deleted(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    deletions = Deletion.objects.filter(
        center=center, kind=services.DELETED_REVIEWS, restored_at__isnull=True
    ).select_related("deleted_by")
    page = Paginator(deletions, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (d, reverse("teams:review_restore", kwargs={"center": center.slug, "uid": d.uid}))
        for d in page.object_list
    ]
    return render(
        request,
        "teams/review_deleted.html",
        {"page": page, "rows": rows, "query": _query_without_page(request)},
    )


@center_view(EDITOR)
def review_restore(request: HttpRequest, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    deletion = get_object_or_404(
        Deletion.objects.filter(center=center, kind=services.DELETED_REVIEWS), uid=uid
    )
    if request.method != "POST":
        return redirect("teams:review_deleted", center=center.slug)
    try:
        review = services.restore_review(deletion, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("teams:review_deleted", center=center.slug)
    messages.success(request, _("«{title}» er gjenopprettet.").format(title=deletion.title))
    return redirect("teams:review_detail", center=center.slug, uid=review.uid)


@center_view()
def review_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    review = _review(request, uid)
    version = review.scale_version
    scale = parse_scale(version.definition) if version.definition is not None else None
    consensus = {c.item_code: c for c in review.consensus.all()}
    raters = list(review.raters.all())
    rater_scores = [{s.item_code: s.score for s in r.scores.all()} for r in raters]
    items = []
    if scale is not None:
        for section in scale.sections:
            for item in section.items:
                entry = consensus.get(item.code)
                items.append(
                    {
                        "section": section.name,
                        "code": item.code,
                        "name": item.name,
                        "raters": [charts.number(_float(s.get(item.code))) for s in rater_scores],
                        "score": charts.number(_float(entry.score if entry else None)),
                        "comment": entry.comment if entry else "",
                    }
                )
    result = score(scale, services.consensus_scores(review)) if scale else None
    shared_with = list(review.shared_with.all())
    return render(
        request,
        "teams/review_detail.html",
        {
            "review": review,
            "scale": scale,
            "items": items,
            "raters": raters,
            "result": result,
            "total": charts.number(result.total) if result else "–",
            "shared_with": shared_with,
            "shared_names": ", ".join(c.name for c in shared_with),
            "formats": FEEDBACK_FORMATS,
            "can_edit": _can_edit(request),
        },
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@center_view()
def review_feedback(request: HttpRequest, uid: Any, fmt: str) -> HttpResponse:
    """The review's feedback report to the team, in one of the report formats."""
    review = _review(request, uid)
    if fmt not in FEEDBACK_FORMATS:
        raise Http404
    name, mimetype, data = render_feedback(review, fmt)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- pilot projects -------------------------------------------------------------------------


def _pilot(request: HttpRequest, uid: Any) -> PilotProject:
    return get_object_or_404(
        PilotProject.objects.select_related("model_type", "region", "team").prefetch_related(
            "municipalities", "organizations"
        ),
        center=request.center,  # type: ignore[attr-defined]
        uid=uid,
    )


@center_view()
def pilot_list(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    filterset = PilotFilter(
        request.GET or None, queryset=PilotProject.objects.filter(center=center), center=center
    )
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    rows = (
        queryset.select_related("model_type", "region", "team")
        .prefetch_related("municipalities")
        .order_by("model_type__sort_order", "name", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teams/pilot_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without_page(request),
            "can_edit": _can_edit(request),
        },
    )


def _pilot_data(form: PilotForm) -> services.PilotData:
    d = form.cleaned_data
    return services.PilotData(
        model_type=d["model_type"],
        name=d["name"],
        grant_years=d["grant_years"],
        municipalities=list(d["municipalities"]),
        organizations=list(d["organizations"]),
        outcome=d["outcome"],
        ended_on=d["ended_on"],
        team=d["team"],
    )


@center_view(EDITOR)
def pilot_create(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    form = PilotForm(
        request.POST or None,
        center=center,
        initial={"grant_years": str(timezone.localdate().year)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.register_pilot(
                center=center, user=request.user, data=_pilot_data(form)
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Forprosjektet er registrert."))
            return redirect("teams:pilot_detail", center=center.slug, uid=pilot.uid)
    return render(request, "teams/form.html", {"form": form, "title": _("Registrer forprosjekt")})


@center_view(EDITOR)
def pilot_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    pilot = _pilot(request, uid)
    form = PilotForm(request.POST or None, initial=PilotForm.initial_for(pilot), center=center)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_pilot(pilot=pilot, user=request.user, data=_pilot_data(form))
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("teams:pilot_detail", center=center.slug, uid=pilot.uid)
    return render(
        request, "teams/form.html", {"form": form, "title": _("Endre {name}").format(name=pilot)}
    )


@center_view()
def pilot_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    pilot = _pilot(request, uid)
    return render(
        request,
        "teams/pilot_detail.html",
        {"pilot": pilot, "changes": _history(pilot), "can_edit": _can_edit(request)},
    )

"""The staff interface's pages. Each view is thin: access, a query, a template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oppdrag.activities import models as m
from oppdrag.activities.services import register_event, update_event
from oppdrag.core.concurrency import Conflict, check_sealed, seal
from oppdrag.core.converters import MAX_YEAR, MIN_YEAR, parse_year
from oppdrag.core.models import Membership, Municipality, Region
from oppdrag.figures.keyfigures import years_compared
from oppdrag.figures.todate import counts_to_date
from oppdrag.grants.models import Assignment, GrantDate
from oppdrag.importing.registry import all_importers

from . import throttle, uploads
from .access import center_view, landing_url, user_memberships
from .exports import EVENT_COLUMNS, event_row, table_response
from .filters import FILTERSETS, EventFilter
from .forms import EventForm, LoginForm
from .grant_views import coverage_with_hours_and_texts
from .oidc import oidc_enabled
from .reach import reach, tile_map
from .registry import KINDS, Kind

PAGE_SIZE = 50
KIND_LABELS = {
    "events": _lazy("Arrangementer"),
    "presentations": _lazy("Presentasjoner"),
    "op_eds": _lazy("Kronikker og leserinnlegg"),
    "consultation_responses": _lazy("Høringsinnspill"),
    "publications": _lazy("Produkter"),
    "media_appearances": _lazy("Medieoppslag"),
    "groups": _lazy("Grupper og nettverk"),
    "web_articles": _lazy("Nettsaker"),
    "advice_requests": _lazy("Henvendelser"),
}
LAST_ASSIGNMENT = "oppdrag:last-assignment"


class LoginView(auth_views.LoginView):
    """Sign-in; failures are counted and locked out by django-axes (``throttle``)."""

    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        context["oidc_provider"] = settings.OIDC_PROVIDER_NAME
        return context


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client address and per e-mail address."""

    template_name = "web/password_reset.html"
    email_template_name = "web/password_reset_email.txt"
    subject_template_name = "web/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        wait = throttle.reset_request_wait(self.request, form.cleaned_data["email"])
        if wait is None:
            return super().form_valid(form)
        message = _(
            "For mange forespørsler om nytt passord. Vent {minutes} minutter og prøv igjen."
        )
        form.add_error(None, message.format(minutes=throttle.wait_minutes(wait)))
        return self.render_to_response(self.get_context_data(form=form), status=429)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    memberships = user_memberships(request.user)
    if len(memberships) == 1:
        return redirect(landing_url(memberships[0]))
    return render(
        request,
        "web/home.html",
        {"centers": [(ms.center, landing_url(ms)) for ms in memberships]},
    )


def default_year() -> int:
    return timezone.localdate().year


@center_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    year = requested_year(request) or latest_year(center)
    return render(request, "web/dashboard.html", dashboard_context(center, year))


def requested_year(request: HttpRequest) -> int | None:
    """``?year=`` as a number, None when absent; 404 when it is not a year."""
    text = request.GET.get("year")
    if not text:
        return None
    year = parse_year(text)
    if year is None:
        raise Http404(_("«%(year)s» er ikke et årstall.") % {"year": text})
    return year


def dashboard_context(center: Any, year: int) -> dict[str, Any]:
    """Everything the dashboard's body shows; the same for every reader of the centre."""
    figures, previous = years_compared(center, year)
    for comparison in figures["comparisons"]:
        comparison["label"] = KIND_LABELS.get(comparison["key"], comparison["key"])
    latest = (
        m.Event.objects.filter(center=center)
        .order_by("-created_at", "-id")
        .only("uid", "title", "theme", "created_at", "center_id")[:8]
    )
    today = timezone.localdate()
    to_date = counts_to_date(center, year, today)
    upcoming = (
        GrantDate.objects.filter(center=center)
        .filter(Q(date__gte=today) | Q(period_end__gte=today))
        .select_related("assignment")
        .order_by(Coalesce("date", "period_start"), "id")[:6]
    )
    return {
        "center": center,
        "year": year,
        "to_date": to_date,
        "to_date_rows": [
            (KIND_LABELS.get(kind, kind), row) for kind, row in to_date["kinds"].items()
        ],
        "coverage": coverage_with_hours_and_texts(center, year),
        "upcoming": upcoming,
        "findings": cached_findings(center, year),
        "figures": figures,
        "previous": previous,
        "comparison_rows": [
            (KIND_LABELS.get(kind, kind), figures["counts"][kind], previous["counts"][kind])
            for kind in figures["counts"]
        ],
        "latest": latest,
        "kinds": KINDS.values(),
    }


FINDINGS_SECONDS = 300


def cached_findings(center: Any, year: int) -> dict[str, Any]:
    """The year's open data-quality findings by severity, computed at most every five
    minutes per centre and year (the checks read the whole year; the page says when)."""
    from django.core.cache import cache

    from oppdrag.reports.checks import run_checks

    key = f"dashboard-findings:{center.pk}:{year}"
    summary = cache.get(key)
    if summary is None:
        findings = run_checks(center, year)
        summary = {
            "errors": sum(1 for f in findings if f.severity == "error"),
            "others": sum(1 for f in findings if f.severity != "error"),
            "first": [f.message for f in findings[:5]],
            "at": timezone.localtime(),
        }
        cache.set(key, summary, FINDINGS_SECONDS)
    return summary


def latest_year(center: Any) -> int:
    events = m.Event.objects.filter(center=center, year__range=(MIN_YEAR, MAX_YEAR))
    years = events.order_by("-year").values_list("year", flat=True)
    return years.first() or default_year()


def event_queryset(center: Any) -> Any:
    # The related rows carry only what a row of the list shows (``event_row``) and the
    # edit form needs (their keys): a page of 50 events makes some 500 of them.
    return (
        m.Event.objects.filter(center=center)
        .select_related("series")
        .prefetch_related(
            Prefetch(
                "eventorganizer_set",
                queryset=m.EventOrganizer.objects.select_related("organization").only(
                    "event_id", "organization__name"
                ),
            ),
            Prefetch("regions", queryset=Region.objects.only("name")),
            Prefetch("municipalities", queryset=Municipality.objects.only("name")),
            Prefetch("assignments", queryset=Assignment.objects.only("number")),
        )
        .order_by("-year", "id")
    )


@center_view()
def event_list(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]

    filterset = EventFilter(request.GET or None, queryset=event_queryset(center), center=center)
    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        rows = (event_row(e) for e in filterset.qs)
        return table_response(f"arrangementer-{center.slug}", EVENT_COLUMNS, rows, fmt)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "center": center,
        "filter": filterset,
        "page": page,
        "rows": [(e, event_row(e)) for e in page.object_list],
        "columns": EVENT_COLUMNS,
        "query": query_without_page(request),
        "can_edit": can_edit(request),
    }
    return render(request, "web/event_list.html", context)


def query_without_page(request: HttpRequest) -> str:
    """The list's query string for its page links: without the page and any export."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()


def can_edit(request: HttpRequest) -> bool:
    return request.membership.role in {  # type: ignore[attr-defined]
        Membership.Role.EDITOR,
        Membership.Role.ADMIN,
    }


@center_view(role=Membership.Role.EDITOR)
def event_create(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    initial = event_defaults(request)
    like = request.GET.get("like")
    if like:
        model = get_object_or_404(event_queryset(center), uid=like)
        initial.update(copy_of(model))
    form = EventForm(request.POST or None, center=center, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organizers = list(data.pop("organizers") or [])
        event = register_event(center=center, user=request.user, data=data, organizers=organizers)
        chosen = [a.pk for a in form.cleaned_data["assignments"]]
        if chosen:
            request.session[LAST_ASSIGNMENT] = chosen
        messages.success(request, _("Arrangementet «{title}» er registrert.").format(title=event))
        if "another" in request.POST:
            url = reverse("web:event_create", kwargs={"center": center.slug})
            return redirect(f"{url}?like={event.uid}")
        return redirect("web:event_detail", center=center.slug, uid=event.uid)
    return render(request, "web/event_form.html", {"form": form, "creating": True})


def event_defaults(request: HttpRequest) -> dict[str, Any]:
    return {
        "year": default_year(),
        "date_start": timezone.localdate(),
        "assignments": request.session.get(LAST_ASSIGNMENT, []),
    }


def copy_of(event: m.Event) -> dict[str, Any]:
    """Initial values for «register another like this»: all but the date and count."""
    return {
        "year": event.year,
        "theme": event.theme,
        "title": event.title,
        "scope": event.scope,
        "format": event.format,
        "audience": event.audience,
        "series": event.series_id,
        "assignments": [a.pk for a in event.assignments.all()],
        "regions": [r.pk for r in event.regions.all()],
        "municipalities": [mu.pk for mu in event.municipalities.all()],
        "organizers": [link.organization_id for link in event.eventorganizer_set.all()],
    }


@center_view()
def event_detail(request: HttpRequest, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    event = get_object_or_404(event_queryset(center), uid=uid)
    history = list(event.history.select_related("history_user").order_by("-history_date")[:50])
    changes = []
    for record in history:
        previous = record.prev_record
        diff = record.diff_against(previous).changes if previous else []
        changes.append((record, diff))
    return render(
        request,
        "web/event_detail.html",
        {
            "event": event,
            "row": zip(EVENT_COLUMNS, event_row(event), strict=True),
            "changes": changes,
            "can_edit": can_edit(request),
        },
    )


@center_view(role=Membership.Role.EDITOR)
def event_edit(request: HttpRequest, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    event = get_object_or_404(event_queryset(center), uid=uid)
    version = request.POST.get("versjon", "") if request.method == "POST" else seal(event)
    form = EventForm(
        request.POST or None,
        instance=event,
        center=center,
        initial={"organizers": [link.organization_id for link in event.eventorganizer_set.all()]},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("organizers", None)
        try:
            with transaction.atomic():
                check_sealed(event, version)
                update_event(event=event, user=request.user, data=data)
        except Conflict as conflict:
            form.add_error(None, conflict.message())
            version, status = seal(event_queryset(center).get(pk=event.pk)), 409
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("web:event_detail", center=center.slug, uid=event.uid)
    context = {"form": form, "creating": False, "event": event, "version": version}
    return render(request, "web/event_form.html", context, status=status)


# --- every other kind: list, export, detail, upload -------------------------------------


def kind_or_404(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


@center_view()
def kind_list(request: HttpRequest, kind: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)

    filterset = FILTERSETS[spec.slug](
        request.GET or None, queryset=spec.queryset(center), center=center
    )
    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        rows = (spec.row(r) for r in filterset.qs)
        return table_response(f"{spec.slug}-{center.slug}", spec.columns, rows, fmt)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "center": center,
        "kind": spec,
        "filter": filterset,
        "page": page,
        "rows": [(r, spec.row(r)) for r in page.object_list],
        "query": query_without_page(request),
        "can_edit": can_edit(request),
    }
    return render(request, "web/kind_list.html", context)


@center_view()
def kind_detail(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    record = get_object_or_404(spec.queryset(center), uid=uid)
    history = list(record.history.select_related("history_user").order_by("-history_date")[:50])
    changes = [
        (entry, entry.diff_against(entry.prev_record).changes if entry.prev_record else [])
        for entry in history
    ]
    return render(
        request,
        "web/kind_detail.html",
        {
            "kind": spec,
            "record": record,
            "title": spec.row(record)[spec.title_column],
            "row": zip(spec.columns, spec.row(record), strict=True),
            "changes": changes,
        },
    )


@center_view(role=Membership.Role.EDITOR)
def kind_upload(request: HttpRequest, kind: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    importer_class = all_importers()[spec.importer]
    context: dict[str, Any] = {"kind": spec, "year": timezone.localdate().year}
    if request.method == "POST" and request.POST.get("token"):
        entry = uploads.stored(
            request.session, request.POST["token"], center=center.slug, kind=spec.slug
        )
        if entry is None:
            raise Http404
        result = importer_class(center, entry["year"], request.user).run(Path(entry["path"]))
        if result.ok:
            uploads.forget(request.session, request.POST["token"])
            messages.success(
                request,
                _("{added} rader fra {name} er importert.").format(
                    added=result.added, name=entry["name"]
                ),
            )
            return redirect("web:kind_list", center=center.slug, kind=spec.slug)
        context.update(result=result, token=request.POST["token"], name=entry["name"])
        context.update(problem_context(result, entry["name"]))
        context.update(
            zip(
                ("header", "rows", "truncated"),
                uploads.preview_rows(Path(entry["path"]), result),
                strict=True,
            )
        )
        return render(request, "web/upload.html", context)
    if request.method == "POST":
        upload = request.FILES.get("file")
        year_text = request.POST.get("year", "")
        if upload is None or not year_text.isdigit():
            context["error"] = _("Velg en fil og et år.")
            return render(request, "web/upload.html", context, status=400)
        year = int(year_text)
        token = uploads.store(
            request.session, upload, center=center.slug, kind=spec.slug, year=year
        )
        entry = uploads.stored(request.session, token, center=center.slug, kind=spec.slug)
        assert entry is not None
        path = Path(entry["path"])
        result = importer_class(center, year, request.user).run(path, dry_run=True)
        header, rows, truncated = uploads.preview_rows(path, result)
        context.update(
            result=result,
            token=token,
            name=upload.name,
            year=year,
            header=header,
            rows=rows,
            truncated=truncated,
            **problem_context(result, upload.name or ""),
        )
        if not result.ok:
            uploads.forget(request.session, token)
            context["token"] = None
    return render(request, "web/upload.html", context)


def problem_context(result: Any, name: str) -> dict[str, Any]:
    listed, more, total = uploads.listed_problems(result, name)
    return {"problems": listed, "more_problems": more, "problem_count": total}


@center_view()
def municipality_reach(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    year = requested_year(request) or latest_year(center)
    rows = reach(center, year)
    return render(
        request,
        "web/reach.html",
        {
            "year": year,
            "rows": rows,
            "tiles": tile_map(rows),
            "reached": sum(len(r.reached) for r in rows),
            "total": sum(r.total for r in rows),
        },
    )


@center_view()
def hours_overview(request: HttpRequest, year: int) -> HttpResponse:
    """Appendix 7 as computed, and where the published table differs from it."""
    from oppdrag.hours.tables import appendix_7, appendix_8, reconciliation

    center = request.center  # type: ignore[attr-defined]
    return render(
        request,
        "web/hours.html",
        {
            "year": year,
            "table": appendix_7(center, year),
            "staff": appendix_8(center, year),
            "differences": reconciliation(center, year),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post (``CSRF_FAILURE_VIEW``): Norwegian, with the site header."""
    return render(request, "403_csrf.html", status=403)

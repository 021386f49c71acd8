"""The staff interface's pages. Each view is thin: access, a query, a template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import F, IntegerField, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oppdrag.core.models import Membership
from oppdrag.figures.keyfigures import years_compared
from oppdrag.figures.reach import CHANNELS
from oppdrag.figures.reach import municipality_reach as reach_of
from oppdrag.figures.todate import DATE_FIELDS, counts_to_date
from oppdrag.grants.models import GrantDate
from oppdrag.importing.registry import all_importers

from . import fragments, throttle, uploads
from .access import center_view, landing_url, user_memberships
from .findings import fix_link
from .forms import LoginForm
from .grant_views import coverage_with_hours_and_texts
from .oidc import oidc_enabled
from .reach import reach, tile_map
from .registry import KINDS, Kind
from .years import year_in_view

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
    year = year_in_view(request)
    # The body is the same for every reader; kept under the centre's data version, and
    # by the day, since «Hittil i år» and the coming deadlines count from today.
    body = fragments.cached(
        center.pk,
        "dashboard",
        (year, timezone.localdate().isoformat()),
        lambda: render_to_string("web/_dashboard.html", dashboard_context(center, year)),
    )
    return render(request, "web/dashboard.html", {"center": center, "year": year, "body": body})


def dashboard_context(center: Any, year: int) -> dict[str, Any]:
    """Everything the dashboard's body shows; the same for every reader of the centre."""
    figures, previous = years_compared(center, year)
    for comparison in figures["comparisons"]:
        comparison["label"] = KIND_LABELS.get(comparison["key"], comparison["key"])
    today = timezone.localdate()
    to_date = counts_to_date(center, year, today)
    upcoming = (
        GrantDate.objects.filter(center=center)
        .filter(Q(date__gte=today) | Q(period_end__gte=today))
        .select_related("assignment")
        .order_by(Coalesce("date", "period_start"), "id")[:6]
    )
    dated_kinds = to_date["kinds"]
    return {
        "center": center,
        "year": year,
        # "Hittil i år" means something only while the year runs.
        "is_current_year": year == today.year,
        "to_date": to_date,
        "to_date_rows": [(KIND_LABELS.get(kind, kind), row) for kind, row in dated_kinds.items()],
        "undated": sum(row["undated_this_year"] for row in dated_kinds.values()),
        "datable": sum(figures["counts"][kind] for kind in dated_kinds),
        "coverage": coverage_with_hours_and_texts(center, year),
        "upcoming": upcoming,
        "findings": cached_findings(center, year),
        "figures": figures,
        "previous": previous,
        # The same number as the reach page, the report and ``figures --json``.
        "reach": reach_of(center, year),
        # Last year is a comparison only when it has records at all.
        "has_previous": any(previous["counts"].values()),
        "comparison_rows": [
            (KIND_LABELS.get(kind, kind), figures["counts"][kind], previous["counts"][kind])
            for kind in figures["counts"]
        ],
        "latest": latest_by_date(center, year, today),
        "kinds": KINDS.values(),
    }


# The field that names a record in a short list, where it is not ``title``.
LABEL_FIELDS = {"advice_requests": "topic"}
SLUG_BY_MODEL = {kind.model: kind.slug for kind in KINDS.values()}


def latest_by_date(center: Any, year: int, today: Any, limit: int = 8) -> list[dict[str, Any]]:
    """The year's most recent activities by their own date (not the day they were
    typed in), up to today, of every dated kind: one query."""
    per_kind = [
        model._default_manager.filter(
            center=center, year=year, **{f"{field}__isnull": False, f"{field}__lte": today}
        )
        .order_by()
        .annotate(
            k=Value(index, output_field=IntegerField()),
            u=F("uid"),
            t=F(LABEL_FIELDS.get(kind, "title")),
            d=F(field),
        )
        .values_list("k", "u", "t", "d")
        for index, (kind, (model, field)) in enumerate(DATE_FIELDS.items())
    ]
    rows = per_kind[0].union(*per_kind[1:], all=True).order_by("-d", "k")[:limit]
    kinds = list(DATE_FIELDS.items())
    latest = []
    for index, uid, title, day in rows:
        kind, (model, _field) = kinds[index]
        if kind == "events":
            url = reverse("activities:event_detail", kwargs={"center": center.slug, "uid": uid})
        else:
            slug = SLUG_BY_MODEL[model]
            url = reverse(
                "activities:kind_detail", kwargs={"center": center.slug, "kind": slug, "uid": uid}
            )
        latest.append(
            {"kind": KIND_LABELS.get(kind, kind), "title": title, "date": day, "url": url}
        )
    return latest


FINDINGS_SECONDS = 300
SEVERITY_ORDER = {"error": 0, "warning": 1}


def cached_findings(center: Any, year: int) -> dict[str, Any]:
    """The year's open data-quality findings, errors first, each with the page where it
    is fixed; computed at most every five minutes per centre and year (the checks read
    the whole year; the page says when)."""
    from django.core.cache import cache

    from oppdrag.reports.checks import run_checks

    key = f"dashboard-findings:{center.pk}:{year}"
    summary = cache.get(key)
    if summary is None:
        findings = sorted(run_checks(center, year), key=lambda f: SEVERITY_ORDER.get(f.severity, 2))
        summary = {
            "errors": sum(1 for f in findings if f.severity == "error"),
            "others": sum(1 for f in findings if f.severity != "error"),
            "links": [fix_link(f, center.slug, year) for f in findings],
            "at": timezone.localtime(),
        }
        cache.set(key, summary, FINDINGS_SECONDS)
    return summary


def kind_or_404(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


@center_view(role=Membership.Role.EDITOR)
def kind_upload(request: HttpRequest, kind: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    importer_class = all_importers()[spec.importer]
    context: dict[str, Any] = {"kind": spec, "year": year_in_view(request)}
    if request.method == "POST" and request.POST.get("token"):
        entry = uploads.stored(
            request.session, request.POST["token"], center=center.slug, kind=spec.slug
        )
        if entry is None:
            raise Http404
        importer = importer_class(center, entry["year"], request.user)
        result = importer.run(Path(entry["path"]))
        if result.ok:
            uploads.forget(request.session, request.POST["token"])
            messages.success(
                request,
                _("{added} rader fra {name} er importert.").format(
                    added=result.added, name=entry["name"]
                ),
            )
            return redirect("activities:kind_list", center=center.slug, kind=spec.slug)
        context.update(result=result, token=request.POST["token"], name=entry["name"])
        context.update(problem_context(result, entry["name"]))
        context.update(preview_context(importer, spec, Path(entry["path"]), result))
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
        importer = importer_class(center, year, request.user)
        result = importer.run(path, dry_run=True)
        context.update(
            result=result,
            token=token,
            name=upload.name,
            year=year,
            **preview_context(importer, spec, path, result),
            **problem_context(result, upload.name or ""),
        )
        if not result.ok:
            uploads.forget(request.session, token)
            context["token"] = None
    return render(request, "web/upload.html", context)


def preview_context(importer: Any, spec: Kind, path: Path, result: Any) -> dict[str, Any]:
    """The preview's rows, each with its problems and its probable-duplicate mark."""
    duplicates = uploads.duplicate_marks(
        spec.model, importer.center, importer.year, importer.validated_rows
    )
    header, rows, truncated = uploads.preview_rows(path, result, duplicates)
    return {
        "header": header,
        "rows": rows,
        "truncated": truncated,
        "duplicate_count": len(duplicates),
        "flagged_count": sum(1 for row in rows if row.problems or row.duplicate),
        "preview_numbers": {row.number for row in rows},
    }


def problem_context(result: Any, name: str) -> dict[str, Any]:
    listed, more, total = uploads.listed_problems(result, name)
    return {"problems": listed, "more_problems": more, "problem_count": total}


@center_view()
def municipality_reach(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    year = year_in_view(request)
    found, rows, districts = reach(center, year)
    return render(
        request,
        "web/reach.html",
        {
            "year": year,
            "reach": found,
            "reached": found.value,  # the printed number, as everywhere else
            "by_channel": [(CHANNELS[key], n) for key, n in found.by_channel().items()],
            "districts": districts,
            "rows": rows,
            "tiles": tile_map(rows),
            "total": sum(r.total for r in rows),
        },
    )


@center_view()
def hours_overview(request: HttpRequest, year: int) -> HttpResponse:
    """Appendix 7 as computed, where the published table differs from it, and the hours
    per month and assignment."""
    from django.utils.dates import MONTHS, MONTHS_3

    from oppdrag.hours.tables import appendix_7, appendix_8, hours_per_month, reconciliation

    center = request.center  # type: ignore[attr-defined]
    return render(
        request,
        "web/hours.html",
        {
            "year": year,
            "table": appendix_7(center, year),
            "staff": appendix_8(center, year),
            "differences": reconciliation(center, year),
            "months": hours_per_month(center, year),
            # Django's own month names (translated): «jan» with «januar» as its title.
            "month_labels": [(MONTHS_3[m], MONTHS[m]) for m in range(1, 13)],
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post (``CSRF_FAILURE_VIEW``): Norwegian, with the site header."""
    return render(request, "403_csrf.html", status=403)

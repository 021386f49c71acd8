"""Submitting a year's report to the grantor, and what the grantor may read.

The grantor reads a snapshot of the report tree taken at submission; the live
registry, drafts and unsubmitted years are never shown to it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.models import Center, ReportingYear

from . import tree as t
from .builder import build_report
from .models import SubmittedReport

# The key figures compared across centres and years, in this order.
# A figure is compared where the centres chose to publish it (their key figures).
COMPARED_FIGURES = [
    "events",
    "presentations",
    "consultation_responses",
    "networks",
    "municipalities_reached",
    "participations",
    "participants_unique",
    "publications",
    "media_appearances",
    "advice_requests",
    "web_visits",
    "web_articles",
]


class NotSubmittable(ValueError):
    """The centre cannot submit (a grantor does not report to itself)."""


class YearDelivered(ValidationError):
    """The year's report is delivered: its texts are read-only until a new version starts."""


@transaction.atomic
def submit_report(*, center: Center, year: int, user: Any, note: str = "") -> SubmittedReport:
    """Snapshot the year's report tree as a new version and mark the year submitted.

    The delivered year is read-only from here on (``ensure_open``); ``start_new_version``
    opens it again, and the next delivery is the next version, with ``note`` saying why.
    """
    if center.kind != Center.Kind.CENTRE:
        raise NotSubmittable(_("Bare kompetansesentre leverer årsrapport."))
    report = build_report(center, year, include_findings=False)
    submitted = SubmittedReport.objects.create(
        center=center,
        year=year,
        version=delivered_versions(center, year) + 1,
        submitted_by=user,
        submitted_at=timezone.now(),
        note=note.strip(),
        tree=report.to_json(),
    )
    reporting_year, _created = ReportingYear.objects.get_or_create(center=center, year=year)
    reporting_year.status = ReportingYear.Status.SUBMITTED
    reporting_year._history_user = user  # type: ignore[attr-defined]
    reporting_year.save(update_fields=["status", "updated_at"])
    return submitted


def delivered_versions(center: Center, year: int) -> int:
    """How many versions of the year have been delivered (0 when none)."""
    versions = SubmittedReport.objects.filter(center=center, year=year).aggregate(v=Max("version"))
    return versions["v"] or 0


def is_delivered(center: Center, year: int) -> bool:
    """Whether the year stands delivered, so that its texts are read-only."""
    return ReportingYear.objects.filter(
        center=center, year=year, status=ReportingYear.Status.SUBMITTED
    ).exists()


def ensure_open(center: Center, year: int) -> None:
    """Refuse a change to a slot of a delivered year (every text write calls this)."""
    if is_delivered(center, year):
        raise YearDelivered(
            _(
                "Årsrapporten for {year} er levert, og tekstene kan ikke endres. "
                "Start en ny versjon av rapporten for å endre dem."
            ).format(year=year)
        )


@transaction.atomic
def start_new_version(*, center: Center, year: int, user: Any) -> ReportingYear:
    """Open a delivered year for changes again; what was delivered stays as it was.

    The texts can be changed from now on, and the next delivery becomes a new version.
    """
    reporting_year = ReportingYear.objects.select_for_update().get(center=center, year=year)
    if reporting_year.status != ReportingYear.Status.SUBMITTED:
        raise ValidationError(
            _("Årsrapporten for {year} er ikke levert, så den kan endres allerede.").format(
                year=year
            )
        )
    reporting_year.status = ReportingYear.Status.REPORTING
    reporting_year._history_user = user  # type: ignore[attr-defined]
    reporting_year.save(update_fields=["status", "updated_at"])
    return reporting_year


def latest_submissions() -> QuerySet[SubmittedReport]:
    """The newest version of every centre's submitted year, in one query."""
    newest = (
        SubmittedReport.objects.filter(center=OuterRef("center"), year=OuterRef("year"))
        .order_by("-version")
        .values("version")[:1]
    )
    return (
        SubmittedReport.objects.filter(version=Subquery(newest), center__kind=Center.Kind.CENTRE)
        .select_related("center", "submitted_by")
        .order_by("center__name", "-year")
    )


def snapshot_report(submitted: SubmittedReport) -> t.Report:
    return t.report_from_json(submitted.tree)


def comparison(submissions: list[SubmittedReport]) -> tuple[list[str], list[list[Any]]]:
    """Key figures of the given snapshots side by side: (column labels, rows).

    Each row is (centre, year, figure …); a figure missing from a snapshot is None.
    Labels are the ones printed in the snapshots themselves.
    """
    labels: dict[str, str] = {}
    rows = []
    for submitted in submissions:
        figures = t.key_figures_of(snapshot_report(submitted))
        for key in COMPARED_FIGURES:
            if key in figures:
                labels.setdefault(key, figures[key].label)
        rows.append(
            [
                submitted.center.short_name or submitted.center.name,
                submitted.year,
                *[figures[k].value if k in figures else None for k in COMPARED_FIGURES],
            ]
        )
    keys = [k for k in COMPARED_FIGURES if k in labels]
    index = [COMPARED_FIGURES.index(k) + 2 for k in keys]
    return [labels[k] for k in keys], [[row[0], row[1], *[row[i] for i in index]] for row in rows]

"""«Delt med oss»: what other centres shared with this centre, and the grantor's pages.

Partner members see only these pages; grantor members only the submitted reports.
Both reach records through the sharing (``shared_with``) or the submission, never
through another centre's own lists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from oppdrag.activities import models as m
from oppdrag.reports.renderers import RENDERERS
from oppdrag.reports.renderers.html import stylesheet
from oppdrag.reports.submission import comparison, latest_submissions, snapshot_report
from oppdrag.teams.models import FidelityReview
from oppdrag.teams.services import review_result, reviews_with_scores

from .access import grantor_view, shared_view
from .middleware import policy_allowing_styles


def shared_reviews(center: Any) -> Any:
    return (
        FidelityReview.objects.filter(shared_with=center)
        .exclude(center=center)
        .select_related("center", "team", "team__model_type", "scale_version__scale")
        .order_by("-date", "id")
    )


def shared_groups(center: Any) -> Any:
    return (
        m.Group.objects.filter(shared_with=center)
        .exclude(center=center)
        .select_related("center")
        .annotate(meeting_count=Count("meetings"))
        .order_by("-year", "name", "id")
    )


@shared_view
def shared_list(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    return render(
        request,
        "web/shared_list.html",
        {"reviews": shared_reviews(center), "groups": shared_groups(center)},
    )


@shared_view
def shared_review(request: HttpRequest, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    review = get_object_or_404(reviews_with_scores(shared_reviews(center)), uid=uid)
    scale = review.scale_version.parsed()
    consensus = {c.item_code: c for c in review.consensus.all()}
    result = review_result(review)
    items = []
    if scale is not None:
        for section in scale.sections:
            for item in section.items:
                entry = consensus.get(item.code)
                items.append(
                    (section.name, item.code, item.name, entry.score if entry else None,
                     entry.comment if entry else "")
                )  # fmt: skip
    else:
        items = [("", c.item_code, "", c.score, c.comment) for c in consensus.values()]
    return render(
        request,
        "web/shared_review.html",
        {"review": review, "items": items, "result": result},
    )


@shared_view
def shared_group(request: HttpRequest, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    group = get_object_or_404(
        shared_groups(center).prefetch_related(
            Prefetch("meetings", queryset=m.GroupMeeting.objects.order_by("date", "id"))
        ),
        uid=uid,
    )
    return render(request, "web/shared_group.html", {"group": group})


# --- the grantor ------------------------------------------------------------------------


@grantor_view
def submitted_list(request: HttpRequest) -> HttpResponse:
    submissions = list(latest_submissions().defer("tree"))
    return render(request, "web/submitted_list.html", {"submissions": submissions})


@grantor_view
def submitted_report(request: HttpRequest, uid: str) -> HttpResponse:
    """A submitted report as HTML, rendered from its snapshot (latest versions only)."""
    submitted = get_object_or_404(latest_submissions(), uid=uid)
    _name, mimetype, data = RENDERERS["html"].render(snapshot_report(submitted))
    response = HttpResponse(data, content_type=mimetype)
    # The report document carries its own stylesheet: let exactly that one through.
    response["Content-Security-Policy"] = policy_allowing_styles(stylesheet())
    return response


@grantor_view
def submitted_comparison(request: HttpRequest) -> HttpResponse:
    submissions = list(latest_submissions())
    columns, rows = comparison(submissions)
    return render(
        request,
        "web/submitted_comparison.html",
        {"columns": columns, "rows": rows},
    )

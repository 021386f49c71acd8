"""Back-office for teams, pilot projects, scales and fidelity reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from oppdrag.core.admin import ReferenceAdmin, TenantAdmin, TenantInline, user_centers

from . import models as m
from . import services


@admin.register(m.TeamModelType)
class TeamModelTypeAdmin(ReferenceAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]


class TeamStatusInline(TenantInline):
    model = m.TeamStatus
    extra = 0
    fields = ["status", "valid_from", "note"]


@admin.register(m.ServiceTeam)
class ServiceTeamAdmin(TenantAdmin):
    list_display = ["name", "model_type", "region", "start_date", "is_placeholder"]
    list_filter = ["model_type", "region", "is_placeholder"]
    search_fields = ["name", "municipalities__name", "districts__name"]
    autocomplete_fields = ["municipalities", "districts", "organizations", "contact_organization"]
    list_select_related = ["center", "model_type", "region"]
    inlines = [TeamStatusInline]


@admin.register(m.PilotProject)
class PilotProjectAdmin(TenantAdmin):
    list_display = ["name", "model_type", "outcome", "ended_on", "team", "is_placeholder"]
    list_filter = ["model_type", "outcome", "is_placeholder"]
    search_fields = ["name", "municipalities__name"]
    autocomplete_fields = ["municipalities", "organizations", "team"]
    list_select_related = ["center", "model_type", "team"]


class ScaleVersionInline(TenantInline):
    model = m.FidelityScaleVersion
    extra = 0
    fields = ["version", "definition"]


@admin.register(m.FidelityScale)
class FidelityScaleAdmin(TenantAdmin):
    list_display = ["name", "key", "model_type"]
    search_fields = ["name", "key"]
    inlines = [ScaleVersionInline]


class ReviewRaterInline(TenantInline):
    model = m.ReviewRater
    extra = 0
    fields = ["name", "organization", "role"]
    autocomplete_fields = ["organization"]


class ConsensusInline(TenantInline):
    model = m.ConsensusScore
    extra = 0
    fields = ["item_code", "score", "comment"]


@admin.register(m.FidelityReview)
class FidelityReviewAdmin(TenantAdmin):
    """Own reviews are editable; reviews another centre shared are read-only (the
    base allows changing and deleting only the user's own centre's records)."""

    list_display = ["team", "date", "scale_version", "status", "is_demo", "center"]
    list_filter = ["status", "is_demo", "scale_version"]
    search_fields = ["team__name"]
    list_select_related = ["center", "team", "scale_version", "scale_version__scale"]
    autocomplete_fields = ["team"]
    filter_horizontal = ["shared_with"]
    inlines = [ReviewRaterInline, ConsensusInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        centers = user_centers(request)
        shared = m.FidelityReview.shared_with.through.objects.filter(center__in=centers).values(
            "fidelityreview_id"
        )
        return m.FidelityReview.objects.filter(
            Q(center__in=centers) | Q(pk__in=shared)
        ).select_related(*self.list_select_related)

    # Deleting goes through the service the staff pages use, so a review deleted here
    # is listed among the deleted reviews and can be restored with its scores.
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_review(obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for review in queryset:
            services.delete_review(review, user=request.user)

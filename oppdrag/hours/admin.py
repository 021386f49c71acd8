"""Hours, staff and FTE in the back-office, scoped to the user's centres."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from oppdrag.core.admin import TenantAdmin, TenantInline

from .models import (
    ExternalHours,
    HoursColumnMapping,
    PositionChange,
    ProjectAssignment,
    ProjectMapping,
    PublishedHoursTotal,
    ReportGroup,
    StaffMember,
    TimeEntry,
    TimeProject,
)


class ProjectAssignmentInline(TenantInline):
    model = ProjectAssignment
    extra = 0
    fields = ["assignment", "weight"]


@admin.register(TimeProject)
class TimeProjectAdmin(TenantAdmin):
    list_display = ["number", "name", "active_from", "active_to", "center"]
    search_fields = ["number", "name"]
    inlines = [ProjectAssignmentInline]


@admin.register(ReportGroup)
class ReportGroupAdmin(TenantAdmin):
    list_display = ["year", "position", "label", "title", "kind", "counts_as"]
    list_filter = ["year", "kind", "counts_as"]
    search_fields = ["label", "title"]


@admin.register(ProjectMapping)
class ProjectMappingAdmin(TenantAdmin):
    list_display = ["year", "project", "group"]
    list_filter = ["year"]
    list_select_related = ["center", "project", "group"]
    search_fields = ["project__number", "project__name", "group__title"]


@admin.register(TimeEntry)
class TimeEntryAdmin(TenantAdmin):
    """Imported hours, read only: they are corrected in the time system and imported again."""

    list_display = ["start", "end", "person", "project", "hours", "batch"]
    list_select_related = ["center", "person", "project", "batch"]
    search_fields = ["person__name", "project__number", "project__name"]
    date_hierarchy = "start"
    fields = ["person", "project", "start", "end", "hours", "batch"]
    readonly_fields = fields

    # No history rows of its own (the import record is its history): Django's own
    # history page (the admin log) instead of simple-history's.
    object_history_template = "admin/object_history.html"

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HoursColumnMapping)
class HoursColumnMappingAdmin(TenantAdmin):
    list_display = ["center", "updated_at"]


class PositionChangeInline(TenantInline):
    model = PositionChange
    extra = 0
    fields = ["kind", "start", "end", "percentage", "note"]


@admin.register(StaffMember)
class StaffMemberAdmin(TenantAdmin):
    list_display = ["person", "role", "is_external", "department"]
    list_filter = ["is_external"]
    list_select_related = ["center", "person"]
    search_fields = ["person__name", "role", "areas", "competence"]
    inlines = [PositionChangeInline]


@admin.register(ExternalHours)
class ExternalHoursAdmin(TenantAdmin):
    list_display = ["year", "staff", "hours"]
    list_filter = ["year"]
    list_select_related = ["center", "staff__person"]
    filter_horizontal = ["projects"]


@admin.register(PublishedHoursTotal)
class PublishedHoursTotalAdmin(TenantAdmin):
    list_display = ["year", "kind", "label", "title", "hours", "share", "fte"]
    list_filter = ["year", "kind"]
    search_fields = ["title", "label"]

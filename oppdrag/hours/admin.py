"""Hours, staff and FTE in the back-office, scoped to the user's centres."""

from __future__ import annotations

from django.contrib import admin

from oppdrag.core.admin import TenantAdmin

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


class ProjectAssignmentInline(admin.TabularInline):
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
    list_display = ["start", "end", "granularity", "person", "project", "hours"]
    list_filter = ["granularity"]
    list_select_related = ["center", "person", "project"]
    search_fields = ["person__name", "project__number", "project__name"]
    date_hierarchy = "start"
    raw_id_fields = ["person", "project"]


@admin.register(HoursColumnMapping)
class HoursColumnMappingAdmin(TenantAdmin):
    list_display = ["center", "updated_at"]


class PositionChangeInline(admin.TabularInline):
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

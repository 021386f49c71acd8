"""Back-office for the report's staff-written text."""

from __future__ import annotations

from django.contrib import admin

from oppdrag.core.admin import TenantAdmin

from .models import AssessmentBlock


@admin.register(AssessmentBlock)
class AssessmentBlockAdmin(TenantAdmin):
    list_display = ["year", "assignment", "section_key", "kind", "status", "author", "updated_at"]
    list_filter = ["year", "kind", "status"]
    search_fields = ["text", "section_key", "assignment__number", "assignment__title"]
    list_select_related = ["center", "assignment", "author"]
    raw_id_fields = ["assignment"]

"""Back-office for the report's staff-written text."""

from __future__ import annotations

from django.contrib import admin

from oppdrag.core.admin import TenantAdmin

from .models import AssessmentBlock, SlotComment


@admin.register(AssessmentBlock)
class AssessmentBlockAdmin(TenantAdmin):
    list_display = ["year", "assignment", "section_key", "kind", "status", "author", "updated_at"]
    list_filter = ["year", "kind", "status"]
    search_fields = ["text", "section_key", "assignment__number", "assignment__title"]
    list_select_related = ["center", "assignment", "author"]
    raw_id_fields = ["assignment"]


@admin.register(SlotComment)
class SlotCommentAdmin(TenantAdmin):
    list_display = ["block", "author", "created_at"]
    list_select_related = ["center", "block", "author"]
    raw_id_fields = ["block"]
    search_fields = ["text"]

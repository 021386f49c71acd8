from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from oppdrag.core.admin import TenantAdmin

from .models import Assignment, FocusArea, Grant


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]


@admin.register(Grant)
class GrantAdmin(TenantAdmin):
    list_display = ["center", "year", "grantor", "amount_nok"]
    list_filter = ["year"]
    search_fields = ["scheme", "grantor"]


@admin.register(Assignment)
class AssignmentAdmin(TenantAdmin):
    list_display = ["number", "title", "year", "center"]
    list_filter = ["year"]
    search_fields = ["number", "title", "text"]
    ordering = ["year", "sort_key"]
    fieldsets = [(None, {"fields": ["center", "year", "number", "title", "text", "parent"]})]
    list_display_links = ["number", "title"]
    actions_on_top = True
    empty_value_display = _("(ingen)")

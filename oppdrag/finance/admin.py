"""Budget and accounts in the back-office, scoped to the user's centres."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from oppdrag.core.admin import TenantAdmin

from .models import (
    AccountMapping,
    AuditorConfirmation,
    BudgetItem,
    BudgetRevision,
    Explanation,
    FinanceSettings,
    Funding,
    LedgerImport,
    LedgerLine,
    LedgerProject,
)


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(TenantAdmin):
    list_display = ["center", "deviation_percent", "deviation_minimum", "report_chapter"]


@admin.register(Funding)
class FundingAdmin(TenantAdmin):
    list_display = ["year", "grantor", "reference", "chapter", "post", "amount", "center"]
    list_filter = ["year"]


@admin.register(BudgetRevision)
class BudgetRevisionAdmin(TenantAdmin):
    list_display = ["year", "number", "needs_approval", "approved_on", "is_generated", "center"]
    list_filter = ["year"]


@admin.register(BudgetItem)
class BudgetItemAdmin(TenantAdmin):
    list_display = ["revision", "source", "assignment", "cost_type", "amount"]
    list_select_related = ["center", "revision", "assignment"]


@admin.register(AccountMapping)
class AccountMappingAdmin(TenantAdmin):
    list_display = ["account", "name", "cost_type", "center"]
    search_fields = ["account", "name"]


@admin.register(LedgerProject)
class LedgerProjectAdmin(TenantAdmin):
    list_display = ["year", "code", "name", "assignment", "funding"]
    list_filter = ["year"]
    list_select_related = ["center", "assignment", "funding"]
    search_fields = ["code", "name"]


@admin.register(LedgerImport)
class LedgerImportAdmin(TenantAdmin):
    list_display = ["year", "start", "end", "file_name", "rows", "total", "is_generated"]
    list_filter = ["year", "is_generated"]


@admin.register(LedgerLine)
class LedgerLineAdmin(TenantAdmin):
    """Ledger lines, read only: they are corrected in the accounting system and the
    period is imported again."""

    list_display = ["date", "account", "project", "text", "amount"]
    list_filter = ["year"]
    search_fields = ["account", "project", "text"]
    show_full_result_count = False
    fields = ["batch", "year", "date", "account", "project", "text", "amount"]
    readonly_fields = fields

    # No history rows of their own (the import record is their history): Django's own
    # history page (the admin log) instead of simple-history's, as for the hours.
    object_history_template = "admin/object_history.html"

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Explanation)
class ExplanationAdmin(TenantAdmin):
    list_display = ["year", "key", "text"]


@admin.register(AuditorConfirmation)
class AuditorConfirmationAdmin(TenantAdmin):
    list_display = ["year", "status", "engagement", "auditor", "file_name"]
    exclude = ["document"]

"""Budget and accounts in the back-office, scoped to the user's centres."""

from __future__ import annotations

from django.contrib import admin

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
    list_display = ["date", "account", "project", "text", "amount"]
    list_filter = ["year"]
    search_fields = ["account", "project", "text"]
    show_full_result_count = False


@admin.register(Explanation)
class ExplanationAdmin(TenantAdmin):
    list_display = ["year", "key", "text"]


@admin.register(AuditorConfirmation)
class AuditorConfirmationAdmin(TenantAdmin):
    list_display = ["year", "status", "engagement", "auditor", "file_name"]
    exclude = ["document"]

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from oppdrag.core.admin import ReferenceAdmin, TenantAdmin, TenantInline, is_tenant_model

from .models import (
    Assignment,
    BudgetLine,
    Deliverable,
    DeliverableTag,
    FocusArea,
    Grant,
    GrantDate,
    NormativeProduct,
)


@admin.register(FocusArea)
class FocusAreaAdmin(ReferenceAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]


class BudgetLineInline(TenantInline):
    model = BudgetLine
    extra = 0
    fields = ["chapter", "post", "amount_nok", "source_start_line", "source_end_line"]


class GrantDateInline(TenantInline):
    model = GrantDate
    extra = 0
    fields = ["kind", "title", "date", "period_start", "period_end", "assignment"]


@admin.register(Grant)
class GrantAdmin(TenantAdmin):
    list_display = ["center", "year", "grantor", "amount_nok", "parse_confidence"]
    list_filter = ["year"]
    search_fields = ["scheme", "grantor", "recipient"]
    inlines = [BudgetLineInline, GrantDateInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "center",
                    "year",
                    "grantor",
                    "recipient",
                    "scheme",
                    "amount_nok",
                    "application_date",
                    "regulation_date",
                    "report_deadline",
                ]
            },
        ),
        (
            _("Innlest brev"),
            {
                "classes": ["collapse"],
                "fields": ["letter_name", "parse_confidence", "parse_notes", "letter_text"],
            },
        ),
    ]


class DeliverableInline(TenantInline):
    model = Deliverable
    extra = 0
    fields = ["position", "text", "source_start_line", "source_end_line"]


@admin.register(Assignment)
class AssignmentAdmin(TenantAdmin):
    list_display = ["number", "title", "year", "previous", "center"]
    list_filter = ["year"]
    search_fields = ["number", "title", "text"]
    ordering = ["year", "sort_key"]
    fieldsets = [
        (None, {"fields": ["center", "year", "number", "title", "text", "parent", "previous"]}),
        (_("Kilde i brevet"), {"fields": ["source_start_line", "source_end_line"]}),
    ]
    list_display_links = ["number", "title"]
    list_select_related = ["center", "previous"]
    inlines = [DeliverableInline]
    actions_on_top = True
    empty_value_display = _("(ingen)")


@admin.register(Deliverable)
class DeliverableAdmin(TenantAdmin):
    list_display = ["__str__", "assignment", "position"]
    list_select_related = ["center", "assignment"]
    search_fields = ["text", "assignment__number", "assignment__title"]


class DeliverableTagForm(forms.ModelForm):
    """The tagged record must exist and belong to the deliverable's centre."""

    class Meta:
        model = DeliverableTag
        fields = ["center", "deliverable", "content_type", "object_id"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        deliverable, kind = data.get("deliverable"), data.get("content_type")
        record_id = data.get("object_id")
        if deliverable is None or kind is None or record_id is None:
            return data
        model = kind.model_class()
        if (
            model is None
            or not is_tenant_model(model)
            or not model._default_manager.filter(
                pk=record_id, center=deliverable.center_id
            ).exists()
        ):
            message = _("Leveransens senter har ingen post av typen «{kind}» med id {id}.")
            self.add_error("object_id", message.format(kind=kind.name, id=record_id))
        return data


@admin.register(DeliverableTag)
class DeliverableTagAdmin(TenantAdmin):
    form = DeliverableTagForm
    list_display = ["deliverable", "content_type", "object_id"]
    list_select_related = ["center", "deliverable", "content_type"]


@admin.register(GrantDate)
class GrantDateAdmin(TenantAdmin):
    list_display = ["title", "kind", "date", "period_start", "period_end", "assignment"]
    list_filter = ["kind"]
    list_select_related = ["center", "assignment"]
    search_fields = ["title", "text"]


@admin.register(NormativeProduct)
class NormativeProductAdmin(TenantAdmin):
    list_display = ["title", "kind", "issuer", "group", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "issuer", "group"]


@admin.register(BudgetLine)
class BudgetLineAdmin(TenantAdmin):
    list_display = ["grant", "chapter", "post", "amount_nok"]
    list_select_related = ["center", "grant"]
    search_fields = ["chapter", "post"]

"""The back-office: every model in the admin, scoped to the user's centres."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Center,
    CityDistrict,
    County,
    Membership,
    Municipality,
    Organization,
    Person,
    Region,
    ReportingYear,
)


def user_centers(request: HttpRequest) -> QuerySet[Center]:
    """The centres whose data this user may see in the admin."""
    if request.user.is_superuser:
        return Center.objects.all()
    # Partner and grantor members see nothing of the centre's own data.
    return Center.objects.filter(  # type: ignore[misc]
        membership__user=request.user,
        membership__role__in=[
            Membership.Role.READER,
            Membership.Role.EDITOR,
            Membership.Role.ADMIN,
        ],
    )


class TenantAdmin(SimpleHistoryAdmin):
    """Admin for tenant-owned models: lists, lookups and choices stay within the
    user's centres, and a new record goes to the user's centre when they have one."""

    list_select_related = ["center"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(center__in=user_centers(request))

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        # A filter on a relation offers only values the scoped list refers to, so
        # the sidebar never shows another centre's assignments or people.
        filters: list[Any] = [
            (spec, admin.RelatedOnlyFieldListFilter)
            if isinstance(spec, str) and self._is_relation(spec)
            else spec
            for spec in super().get_list_filter(request)
        ]
        if user_centers(request).count() > 1:
            filters.insert(0, ("center", admin.RelatedOnlyFieldListFilter))
        return filters

    def _is_relation(self, name: str) -> bool:
        if "__" in name:
            return False
        try:
            return self.model._meta.get_field(name).is_relation
        except FieldDoesNotExist:  # not a model field: leave the spec alone
            return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        model = db_field.remote_field.model
        if model is Center:
            kwargs["queryset"] = user_centers(request)
        elif any(f.name == "center" for f in model._meta.fields):
            kwargs["queryset"] = model._default_manager.filter(center__in=user_centers(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        model = db_field.remote_field.model
        if model is Center:  # sharing: with other competence centres, never a grantor
            kwargs["queryset"] = Center.objects.filter(kind=Center.Kind.CENTRE)
        elif any(f.name == "center" for f in model._meta.fields):
            kwargs["queryset"] = model._default_manager.filter(center__in=user_centers(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        # Inline rows that are tenant-owned belong to the parent's centre.
        instances = formset.save(commit=False)
        for instance in instances:
            if hasattr(instance, "center_id") and not instance.center_id:
                instance.center_id = form.instance.center_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        centers = list(user_centers(request)[:2])
        if len(centers) == 1:
            initial.setdefault("center", centers[0].pk)
        return initial


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "number"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "valid_from", "valid_to"]
    list_filter = ["county__region", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "number"]


@admin.register(CityDistrict)
class CityDistrictAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "municipality"]
    search_fields = ["name", "number"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization_number"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases", "organization_number"]
    autocomplete_fields = ["municipality"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        # Only a superuser makes someone a grantor: the role reads every centre's reports.
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [
                choice for choice in Membership.Role.choices if choice[0] != Membership.Role.GRANTOR
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "slug"]
    search_fields = ["name", "short_name", "slug"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Center]:
        return user_centers(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A centre cannot make itself a grantor; only a superuser sets the kind.
        return () if request.user.is_superuser else ("kind",)


@admin.register(ReportingYear)
class ReportingYearAdmin(TenantAdmin):
    list_display = ["center", "year", "status"]
    list_filter = ["status"]
    search_fields = ["year"]


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    list_display = ["name", "is_staff_member", "affiliation", "center"]
    list_filter = ["is_staff_member"]
    search_fields = ["name", "affiliation"]

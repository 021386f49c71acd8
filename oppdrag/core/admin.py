"""The back-office: every model in the admin, scoped to the user's centres."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import router
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
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
    TenantModel,
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


def user_center_ids(request: HttpRequest) -> frozenset[int]:
    """The ids of ``user_centers``, looked up once per request: the permission
    checks of one page ask many times."""
    ids: frozenset[int] | None = getattr(request, "_admin_center_ids", None)
    if ids is None:
        ids = frozenset(user_centers(request).values_list("pk", flat=True))
        request._admin_center_ids = ids  # type: ignore[attr-defined]
    return ids


def is_tenant_model(model: type[Model]) -> bool:
    return issubclass(model, TenantModel)


def scoped_choices(model: type[Model], request: HttpRequest) -> QuerySet[Any] | None:
    """The rows of ``model`` a form field may offer this user, or None for shared
    reference data, which every centre may choose from."""
    if model is Center:
        return user_centers(request)
    if is_tenant_model(model):
        return model._default_manager.filter(center__in=user_centers(request))
    if model is get_user_model() and not request.user.is_superuser:
        return model._default_manager.filter(centers__in=user_centers(request)).distinct()
    return None


def foreign_center_names(objs: Any, request: HttpRequest) -> set[str]:
    """The kinds of the records deleting ``objs`` would reach that belong to a centre
    outside the user's: the confirmation page names these kinds and no record."""
    collector = NestedObjects(using=router.db_for_write(Center))
    collector.collect(objs)
    ids = user_center_ids(request)
    reached = [row for rows in collector.data.values() for row in rows]
    return {
        str(row._meta.verbose_name)
        for row in [*reached, *collector.protected]
        if isinstance(row, TenantModel) and row.center_id not in ids
    }


class ScopedChoicesMixin:
    """Foreign keys and many-to-many fields offer, and so accept when posted, only
    the user's centres, their records and their members.

    Sharing (a many-to-many to ``Center``) offers the other competence centres,
    never a grantor.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        queryset = scoped_choices(db_field.remote_field.model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        model = db_field.remote_field.model
        if model is Center:
            kwargs["queryset"] = Center.objects.filter(kind=Center.Kind.CENTRE)
        elif (queryset := scoped_choices(model, request)) is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class TenantInline(ScopedChoicesMixin, admin.TabularInline):
    """An inline whose choices stay within the user's centres."""


class ScopedDeleteMixin:
    """A deletion that would reach another centre's records is refused, and its
    confirmation page names only the kinds of records, not the records."""

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        foreign = foreign_center_names(objs, request)
        if foreign:
            return [], {}, foreign, []
        return super().get_deleted_objects(objs, request)  # type: ignore[misc]


class TenantAdmin(ScopedChoicesMixin, ScopedDeleteMixin, SimpleHistoryAdmin):
    """Admin for tenant-owned models: lists, lookups, choices, history and
    permissions stay within the user's centres, and a new record goes to the
    user's centre when they have one."""

    list_select_related = ["center"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(center__in=user_centers(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        visible = obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
        return visible and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._owns(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._owns(request, obj) and super().has_delete_permission(request, obj)

    def _owns(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or obj.center_id in user_center_ids(request)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # simple-history looks the record up in its history when the scoped list
        # does not have it, which would show any centre's record: look first.
        if self._history_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # simple-history reads the revision by its id alone: the record must be one
        # the user sees, the revision one of its own centre's, and only who may
        # change the record may revert it.
        obj = self._history_object(request, unquote(object_id))
        revisions = self._revisions(unquote(object_id))
        revision = revisions.filter(history_id=version_id).first() if obj else None
        if revision is None or revision.center_id != obj.center_id:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _history_object(self, request: HttpRequest, object_id: str) -> Any:
        """The record, or for a deleted one its last revision, when the user may see it."""
        obj = self.get_object(request, object_id)
        if obj is not None or getattr(self.opts, "simple_history_manager_attribute", None) is None:
            return obj
        last = self._revisions(object_id).order_by("-history_date").first()
        return last.instance if last is not None and self._owns(request, last) else None

    def _revisions(self, object_id: str) -> QuerySet[Any]:
        name = getattr(self.opts, "simple_history_manager_attribute", None)
        if name is None:  # a model without history rows of its own
            return self.model._default_manager.none()
        return getattr(self.model, name).filter(**{self.opts.pk.attname: object_id})

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


class ReferenceAdmin(ScopedDeleteMixin, admin.ModelAdmin):
    """Shared reference data: every centre reads it, only a superuser changes it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


def used_by_other_centers(obj: Model, request: HttpRequest) -> bool:
    """Whether a record of a centre outside the user's refers to ``obj``."""
    ids = user_center_ids(request)
    for relation in obj._meta.related_objects:
        model: Any = relation.related_model
        lookup = {relation.field.name: obj}
        rows: QuerySet[Any]
        if model is Center:
            rows = Center.objects.filter(**lookup).exclude(pk__in=ids)
        elif is_tenant_model(model):
            rows = model._default_manager.filter(**lookup).exclude(center__in=ids)
        else:
            continue
        if rows.exists():
            return True
    return False


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(County)
class CountyAdmin(ReferenceAdmin):
    list_display = ["number", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "number"]


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceAdmin):
    list_display = ["number", "name", "county", "valid_from", "valid_to"]
    list_filter = ["county__region", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "number"]


@admin.register(CityDistrict)
class CityDistrictAdmin(ReferenceAdmin):
    list_display = ["number", "name", "municipality"]
    search_fields = ["name", "number"]


@admin.register(Organization)
class OrganizationAdmin(ReferenceAdmin):
    """A centre administrator may propose an organisation, and change or delete one
    as long as no other centre refers to it; the rest is the operators' work."""

    list_display = ["name", "kind", "organization_number"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases", "organization_number"]
    autocomplete_fields = ["municipality"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return admin.ModelAdmin.has_add_permission(self, request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.ModelAdmin.has_change_permission(self, request, obj) and self._only_ours(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj) and self._only_ours(
            request, obj
        )

    def _only_ours(self, request: HttpRequest, obj: Any) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        return not used_by_other_centers(obj, request)


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
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

"""The back-office never crosses centres: every page of every registered model, asked
by the administrator of another centre, shows and changes nothing of the first.

The models come from ``admin.site._registry``, so a model registered later is walked
too; the first centre is the full NAPHA demo, which has a record of every tenant model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Model, QuerySet
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from oppdrag.activities.models import Event, EventOrganizer, GroupMeeting
from oppdrag.activities.models import Group as ActivityGroup
from oppdrag.core.admin import is_tenant_model
from oppdrag.core.models import Center, Membership, Organization
from oppdrag.grants.models import Assignment, Deliverable

REGISTRY = admin.site._registry
# Bookkeeping written by signing in and by every request, not data.
NOT_DATA = {Session}


def owned(model: type[Model]) -> bool:
    """Records of this model belong to a centre (the centre itself counts)."""
    return model is Center or is_tenant_model(model)


def url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def first_centres_record(model: type[Model], center: Center) -> Any:
    """A record of ``center``; for shared reference data one the centre refers to."""
    if model is Center:
        return center
    rows = model._default_manager.order_by("pk")
    if is_tenant_model(model):
        return rows.filter(center=center).first() or made_up(model, center)
    for relation in model._meta.related_objects:
        lookup = relation.field.related_query_name()
        if relation.related_model is Center:
            record = rows.filter(**{lookup: center}).first()
        elif any(f.name == "center" for f in relation.related_model._meta.fields):
            record = rows.filter(**{f"{lookup}__center": center}).first()
        else:
            continue
        if record is not None:
            return record
    record = rows.first()
    assert record is not None, f"no {model.__name__} to test with"
    return record


def made_up(model: type[Model], center: Center) -> Model:
    """A record of ``center`` for a model the demo has none of: every required field
    filled in, links to the centre's own records (made up in turn when missing)."""
    values: dict[str, Any] = {"center": center}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if type(field) is models.DateField:  # every date, for rules like "a date or a period"
            values[field.name] = dt.date(2025, 3, 1)
        if field.name in values or field.primary_key or field.has_default() or field.null:
            continue
        if field.is_relation:
            values[field.name] = first_centres_record(field.related_model, center)
        elif field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.CharField | models.TextField):
            values[field.name] = "" if field.blank else "Prøve"[: field.max_length]
        else:  # numbers
            values[field.name] = 1
    return model._default_manager.create(**values)


def dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (history and links included)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model not in NOT_DATA
    }


def posted_form(model_admin: admin.ModelAdmin, request: Any, obj: Model, center: Center) -> dict:
    """What a browser posts from the record's form as ``request.user`` sees it, moved
    to ``center``: values the user is not offered are dropped, as a browser drops them."""
    form = model_admin.get_form(request, obj)(instance=obj)
    data: dict[str, Any] = {}
    for bound in form:
        value, field = bound.value(), bound.field
        if isinstance(field, forms.ModelChoiceField) and value not in (None, "", []):
            many = isinstance(value, list | tuple)
            offered = [
                str(pk)
                for pk in field.queryset.filter(pk__in=value if many else [value]).values_list(
                    "pk", flat=True
                )
            ]
            value = offered if many else (offered[0] if offered else "")
        if isinstance(field.widget, forms.MultiWidget):
            parts = field.widget.decompress(value)
            data |= {f"{bound.html_name}_{i}": "" if p is None else p for i, p in enumerate(parts)}
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = value
    if "center" in form.fields:
        data["center"] = str(center.pk)
    for inline in model_admin.get_inline_instances(request, obj):
        prefix = inline.get_formset(request, obj).get_default_prefix()
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


@dataclass
class Probe:
    what: str
    method: str
    path: str
    data: dict | None = None


def probes(model: type[Model], model_admin: Any, obj: Model, form: dict) -> Iterator[Probe]:
    """Every admin URL kind for one record."""
    yield Probe("change", "get", url(model, "change", obj.pk))
    yield Probe("change POST", "post", url(model, "change", obj.pk), form)
    yield Probe("delete", "get", url(model, "delete", obj.pk))
    yield Probe("delete POST", "post", url(model, "delete", obj.pk), {"post": "yes"})
    yield Probe("history", "get", url(model, "history", obj.pk))
    history = getattr(model._meta, "simple_history_manager_attribute", None)
    if history and isinstance(model_admin, SimpleHistoryAdmin):
        revision = getattr(model, history).filter(**{model._meta.pk.attname: obj.pk}).first()
        assert revision is not None, f"{model.__name__} {obj.pk} has no history"
        revision_url = url(model, "simple_history", obj.pk, revision.history_id)
        yield Probe("revision", "get", revision_url)
        yield Probe("revision POST", "post", revision_url, form)
    for _func, name, _label in model_admin._get_base_actions():
        action = {"action": name, "_selected_action": [str(obj.pk)], "index": "0", "post": "yes"}
        yield Probe(f"action {name}", "post", url(model, "changelist"), action)


def refused(response: Any) -> bool:
    """Refused, or answered as for a record that does not exist."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"].split("?")[0] in (
        reverse("admin:index"),
        reverse("admin:login"),
    )


def holds_centres_rows(rows: QuerySet[Any], center: Center) -> bool:
    """Whether ``rows`` include the centre itself, one of its records or members."""
    if rows.model is Center:
        return rows.filter(pk=center.pk).exists()
    if is_tenant_model(rows.model):
        return rows.filter(center=center).exists()
    if rows.model is get_user_model():
        return rows.filter(membership__center=center).exists()
    return False


def choices_leak(response: Any, center: Center) -> list[str]:
    """The form fields (inlines included) that offer one of ``center``'s records."""
    context = response.context
    forms_shown = [context["adminform"].form] + [
        inline.formset.empty_form for inline in context["inline_admin_formsets"]
    ]
    return [
        f"{type(form).__name__}.{name}"
        for form in forms_shown
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
        and name != form._meta.model._meta.pk.name  # an inline row's own id, hidden
        # Sharing lists the other centres by name (never a grantor).
        and not (
            field.queryset.model is Center and isinstance(field, forms.ModelMultipleChoiceField)
        )
        and holds_centres_rows(field.queryset, center)
    ]


@pytest.fixture
def outsider(full_demo, make_center, make_user, client):
    """The administrator of another centre, signed in."""
    user = make_user("ute", make_center("rvts-vest"), Membership.Role.ADMIN)
    client.force_login(user)
    client.raise_request_exception = False  # a crash is one more failure to list
    return user


def test_no_admin_page_of_a_centres_record_answers_another_centres_administrator(
    full_demo, outsider, client
):
    request = RequestFactory().get("/admin/")
    request.user = outsider
    other = Center.objects.get(slug="rvts-vest")
    records = {m: first_centres_record(m, full_demo) for m in REGISTRY if owned(m)}
    before = dump()
    failures = []
    for model, obj in records.items():
        model_admin = REGISTRY[model]
        form = posted_form(model_admin, request, obj, other)
        for probe in probes(model, model_admin, obj, form):
            snapshot = model._default_manager.filter(pk=obj.pk).values().first()
            response = getattr(client, probe.method)(probe.path, probe.data)
            changed = model._default_manager.filter(pk=obj.pk).values().first() != snapshot
            # An action on a record outside the list finds nothing selected and
            # returns to the list (or shows it, when the user may not run it); the
            # dump below shows it did nothing.
            shut = refused(response) or (
                probe.what.startswith("action")
                and response.status_code in (200, 302)
                and str(obj) not in response.content.decode()
            )
            if changed or not shut:
                failures.append(f"{model.__name__} {probe.what}: {response.status_code}")
    assert failures == []
    assert dump() == before


def test_lists_and_add_forms_offer_another_administrator_nothing_of_the_centre(
    full_demo, outsider, client
):
    failures = []
    for model in REGISTRY:
        listing = client.get(url(model, "changelist"))
        if listing.status_code == 200 and owned(model):
            shown = listing.context["cl"].result_list
            if any(getattr(row, "center_id", row.pk) == full_demo.pk for row in shown):
                failures.append(f"{model.__name__} changelist")
        elif listing.status_code != 403:
            assert listing.status_code == 200, model
        add = client.get(url(model, "add"))
        if add.status_code == 200:
            failures += [f"{model.__name__} add: {leak}" for leak in choices_leak(add, full_demo)]
    assert failures == []


def autocomplete_sources() -> Iterator[tuple[type[Model], str, type[Model]]]:
    """For every registered model with a search, one field that points to it."""
    for target, model_admin in REGISTRY.items():
        if not model_admin.search_fields:
            continue
        for model in apps.get_models():
            field = next(
                (
                    f
                    for f in [*model._meta.fields, *model._meta.many_to_many]
                    if f.is_relation and f.related_model is target
                ),
                None,
            )
            if field is not None:
                yield model, field.name, target
                break


def test_autocomplete_offers_another_administrator_nothing_of_the_centre(
    full_demo, outsider, client
):
    failures = []
    sources = list(autocomplete_sources())
    assert sources, "no autocomplete to test"
    for model, field, target in sources:
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
                "term": "",
            },
        )
        if response.status_code in (403, 404):
            continue
        ids = [row["id"] for row in response.json()["results"]]
        if holds_centres_rows(target._default_manager.filter(pk__in=ids), full_demo):
            failures.append(target.__name__)
    assert failures == []


def test_shared_reference_data_is_changed_by_superusers_only(full_demo, outsider, client):
    other = Center.objects.get(slug="rvts-vest")
    request = RequestFactory().get("/admin/")
    request.user = outsider
    before = dump()
    failures = []
    for model, model_admin in REGISTRY.items():
        if owned(model):
            continue
        if not model.__module__.startswith("oppdrag.") and not model._default_manager.exists():
            # The operators' bookkeeping from other packages (sign-in attempts, background
            # tasks) has no rows in the demo: a centre administrator may not even list it.
            for path in (url(model, "changelist"), url(model, "add")):
                if client.get(path).status_code != 403:
                    failures.append(f"{model.__name__} {path}")
            continue
        obj = first_centres_record(model, full_demo)
        form = posted_form(model_admin, request, obj, other)
        for what, path, data in [
            ("change POST", url(model, "change", obj.pk), form),
            ("delete", url(model, "delete", obj.pk), None),
            ("delete POST", url(model, "delete", obj.pk), {"post": "yes"}),
        ]:
            response = client.post(path, data) if data else client.get(path)
            if response.status_code != 403:
                failures.append(f"{model.__name__} {what}: {response.status_code}")
        # Anyone may propose an organisation (tested on its own below).
        if model is not Organization and client.post(url(model, "add"), form).status_code != 403:
            failures.append(f"{model.__name__} add POST")
    assert failures == []
    assert dump() == before


def test_a_centre_administrator_may_propose_an_organisation_and_change_it_until_shared(
    full_demo, outsider, client
):
    response = client.post(url(Organization, "add"), {"name": "Ny forening", "kind": "annet"})
    assert response.status_code == 302
    proposed = Organization.objects.get(name="Ny forening")
    change = url(Organization, "change", proposed.pk)
    assert client.post(change, {"name": "Ny forening AS", "kind": "annet"}).status_code == 302
    proposed.refresh_from_db()
    assert proposed.name == "Ny forening AS"
    # Once another centre's event names it as organiser, it is shared reference data.
    event = first_centres_record(Event, full_demo)
    EventOrganizer.objects.create(event=event, organization=proposed)
    assert client.post(change, {"name": "Omdøpt", "kind": "annet"}).status_code == 403
    assert client.post(url(Organization, "delete", proposed.pk), {"post": "yes"}).status_code == 403
    proposed.refresh_from_db()
    assert proposed.name == "Ny forening AS"


@pytest.mark.parametrize("role", [Membership.Role.PARTNER, Membership.Role.GRANTOR])
def test_partner_and_grantor_members_have_no_admin_even_marked_as_staff(
    full_demo, make_user, client, role
):
    center = Center.objects.get(slug="hdir" if role == Membership.Role.GRANTOR else "korus-ost")
    user = make_user(f"bare-{role}", center, role)
    user.is_staff = True
    user.save()
    client.force_login(user)
    for path in [reverse("admin:index")] + [url(model, "changelist") for model in REGISTRY]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("admin:login")), path


def test_a_deletion_reaching_another_centres_records_is_refused_without_naming_them(
    full_demo, make_center, client
):
    assignment = first_centres_record(Assignment, full_demo)
    # A link across centres that no form makes, as a faulty import might leave.
    stray = Deliverable.objects.create(
        center=make_center("rvts-vest"), assignment=assignment, text="Hemmelig leveranse"
    )
    client.force_login(get_user_model().objects.get(username="demo"))
    delete = url(Assignment, "delete", assignment.pk)
    page = client.get(delete)
    assert "Hemmelig leveranse" not in page.content.decode()
    assert "leveranse" in str(page.context["perms_lacking"])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Deliverable.objects.filter(pk=stray.pk, assignment=assignment).exists()


def test_a_deletion_is_refused_when_it_would_take_another_centres_unlisted_rows_along(
    full_demo, make_center, client
):
    group = first_centres_record(ActivityGroup, full_demo)
    # Meetings have no admin of their own, so no permission of theirs is asked.
    stray = GroupMeeting.objects.create(
        center=make_center("rvts-vest"), group=group, date=dt.date(2025, 5, 5)
    )
    client.force_login(get_user_model().objects.get(username="demo"))
    delete = url(ActivityGroup, "delete", group.pk)
    assert "møte" in str(client.get(delete).context["perms_lacking"])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert GroupMeeting.objects.filter(pk=stray.pk, group=group).exists()

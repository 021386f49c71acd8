"""Writes through the API take the same road as the staff interface's forms.

The serializer checks the JSON's shape and finds related rows by their public keys
within the centre; the values then go through the kind's form (the registry's own
form for the activity kinds, the model's form otherwise), so the form's and the
services' rules apply unchanged, and the activity kinds are saved, deleted and
restored by the services the forms use (``register_record``, ``change_record``,
``delete_record``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.forms.models import model_to_dict, modelform_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, serializers

from oppdrag.activities import models as m
from oppdrag.activities import services
from oppdrag.activities.forms import FORMS, RecordForm
from oppdrag.core import concurrency
from oppdrag.core.models import Center
from oppdrag.web.registry import KINDS

from .resources import Resource


def form_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [form_value(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def form_class(resource: Resource) -> type[forms.ModelForm]:
    if resource.model in FORMS:
        return FORMS[resource.model]
    names = [
        name for name in (*resource.fields, *resource.relations) if name not in resource.read_only
    ]
    return modelform_factory(resource.model, fields=names, formfield_callback=formfield)


def formfield(field: models.Field, **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def errors_of(error: DjangoValidationError | dict[str, Any]) -> dict[str, Any]:
    data = error if isinstance(error, dict) else getattr(error, "message_dict", None)
    if data is None:
        return {"non_field_errors": list(error.messages)}  # type: ignore[union-attr]
    return {
        ("non_field_errors" if key == "__all__" else key): list(value)
        for key, value in data.items()
    }


def constraint_errors(resource: Resource, error: DjangoValidationError) -> dict[str, Any]:
    """Name the field a per-centre uniqueness rule is about (``center`` + one field)."""
    errors = errors_of(error)
    fields = {
        name
        for constraint in resource.model._meta.constraints
        for name in getattr(constraint, "fields", ())
        if name != "center"
    }
    if len(fields) == 1 and "non_field_errors" in errors:
        errors[fields.pop()] = errors.pop("non_field_errors")
    return errors


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = _lazy(
        "Posten er endret av noen andre siden du hentet den. Hent den på nytt og send "
        "endringen igjen med den nye ETag-verdien i If-Match."
    )
    default_code = "precondition_failed"


class InUse(exceptions.APIException):
    status_code = 409
    default_detail = _lazy("Posten er i bruk av andre poster og kan ikke slettes.")
    default_code = "in_use"


def delete(resource: Resource, record: models.Model, *, user: Any, expected: str | None) -> None:
    """Delete ``record`` (an activity kind through ``delete_record``, so it can be
    restored); 412 (PreconditionFailed) if it no longer has version ``expected``,
    409 (InUse) if something depends on it."""
    try:
        with transaction.atomic():
            if expected is not None:
                concurrency.check(record, expected=expected)
            if type(record) in FORMS:
                # The staff pages list deletions by their kind's segment (topic pages too).
                slug = resource.kind or next(
                    (k.slug for k in KINDS.values() if k.model is type(record)), ""
                )
                services.delete_record(record, user=user, kind=slug)
            else:
                record._history_user = user  # type: ignore[attr-defined]
                record.delete()
    except concurrency.Conflict as exc:
        raise PreconditionFailed from exc
    except services.Protected as exc:
        raise InUse(str(exc)) from exc


def save(
    resource: Resource,
    *,
    center: Center,
    user: Any,
    data: dict[str, Any],
    instance: models.Model | None = None,
    expected: str | None = None,
) -> models.Model:
    """Validate ``data`` with the kind's form and save it; 400 (ValidationError) if not,
    412 (PreconditionFailed) if ``instance`` no longer has the version ``expected``."""
    form_type = form_class(resource)
    writable = {*resource.fields, *resource.relations} - set(resource.read_only)
    names = [name for name in form_type.base_fields if name in writable]
    values: dict[str, Any] = {}
    if instance is not None:
        values = {k: form_value(v) for k, v in model_to_dict(instance, fields=names).items()}
    values.update({k: form_value(v) for k, v in data.items() if k in names})
    if resource.model is m.MediaAppearance:
        # The form takes the person by name, as the spreadsheets give it.
        person = data.get("person") or getattr(instance, "person", None)
        values["person"] = person.name if person is not None else ""
    registry_form = issubclass(form_type, RecordForm)
    kwargs: dict[str, Any] = {"center": center} if registry_form else {}
    form = form_type(data=values, instance=instance, **kwargs)
    for name in list(form.fields):
        if name not in names:
            del form.fields[name]  # what the API does not write stays as it is
    if not form.is_valid():
        raise serializers.ValidationError(errors_of(dict(form.errors)))
    try:
        with transaction.atomic():
            if instance is not None and expected is not None:
                concurrency.check(instance, expected=expected)
            if registry_form:
                cleaned = form.service_data()  # type: ignore[attr-defined]
                if instance is None:
                    return services.register_record(
                        resource.model, center=center, user=user, data=cleaned
                    )
                return services.change_record(instance, user=user, data=cleaned)
            record = form.save(commit=False)
            record.center = center
            try:
                record.validate_constraints()
            except DjangoValidationError as exc:
                raise serializers.ValidationError(constraint_errors(resource, exc)) from exc
            record._history_user = user  # type: ignore[attr-defined]
            record.save()
            form.save_m2m()
            return record
    except concurrency.Conflict as exc:
        raise PreconditionFailed from exc
    except DjangoValidationError as exc:
        raise serializers.ValidationError(errors_of(exc)) from exc
    except IntegrityError as exc:
        raise serializers.ValidationError(
            {"non_field_errors": [_("Posten strider mot en annen post (finnes den fra før?).")]}
        ) from exc

"""Writes through the API take the same road as the staff interface's forms.

The serializer checks the JSON's shape and finds related rows by their public keys
within the centre; the values then go through the kind's form (``EventForm`` for
events, the model's own form otherwise), so the model's and the form's rules apply
unchanged, and events are saved by ``register_event``/``update_event``.
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
from oppdrag.activities.services import register_event, update_event
from oppdrag.core import concurrency
from oppdrag.core.models import Center
from oppdrag.web.forms import EventForm

from .resources import Resource

FORMS: dict[type[models.Model], type[forms.ModelForm]] = {m.Event: EventForm}


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


def delete(record: models.Model, *, expected: str | None) -> None:
    """Delete ``record``; 412 (PreconditionFailed) if it no longer has version ``expected``."""
    try:
        with transaction.atomic():
            if expected is not None:
                concurrency.check(record, expected=expected)
            record.delete()
    except concurrency.Conflict as exc:
        raise PreconditionFailed from exc


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
    names = list(form_type.base_fields)
    values: dict[str, Any] = {}
    if instance is not None:
        values = {k: form_value(v) for k, v in model_to_dict(instance, fields=names).items()}
    values.update({k: form_value(v) for k, v in data.items() if k in names})
    kwargs: dict[str, Any] = {"center": center} if form_type is EventForm else {}
    form = form_type(data=values, instance=instance, **kwargs)
    if not form.is_valid():
        raise serializers.ValidationError(errors_of(dict(form.errors)))
    cleaned = dict(form.cleaned_data)
    try:
        with transaction.atomic():
            if instance is not None and expected is not None:
                concurrency.check(instance, expected=expected)
            if resource.model is m.Event:
                cleaned.pop("organizers", None)
                if instance is None:
                    return register_event(center=center, user=user, data=cleaned)
                return update_event(event=instance, user=user, data=cleaned)  # type: ignore[arg-type]
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

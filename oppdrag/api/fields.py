"""Relation fields that name related rows by a public key (uid, code, number, name)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.STR)
class KeyField(serializers.RelatedField):
    """A related row by one of its unique public keys.

    ``scoped`` querysets are narrowed to the request's centre in the serializer, so a
    uid from another centre is answered exactly like an unknown one.
    """

    def __init__(self, key: str, **kwargs: Any):
        self.key = key
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, self.key))

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str | int) or isinstance(data, bool) or str(data) == "":
            raise serializers.ValidationError(_("Ventet en tekst."))
        queryset: QuerySet[Any] = self.get_queryset()
        try:
            rows = list(queryset.filter(**{self.key: str(data)})[:2])
        except (ValueError, TypeError, DjangoValidationError):  # e.g. not a UUID
            rows = []
        if len(rows) != 1:
            raise serializers.ValidationError(
                _("Fant ingen «{value}».").format(value=str(data)[:100])
            )
        return rows[0]

"""One serializer per resource, built from its declaration."""

from __future__ import annotations

from functools import cache
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .fields import KeyField
from .resources import RESOURCES, Relation, Resource


class Computed(serializers.Field):
    """A read-only value computed from the (prefetched) row."""

    def __init__(self, function: Any, **kwargs: Any):
        self.function = function
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return self.function(value)


class RecordSerializer(serializers.ModelSerializer):
    resource: Resource

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        center = self.context.get("center")
        for name, relation in self.resource.relations.items():
            field = self.fields.get(name)
            if field is None or field.read_only:
                continue
            target = field.child_relation if relation.many else field
            target.queryset = (
                relation.choices(center) if center is not None else target.queryset.none()
            )


def relation_field(resource: Resource, name: str, relation: Relation) -> KeyField:
    """A relation by public key; the choices are narrowed to the centre per request."""
    if not resource.writable:
        return KeyField(relation.key, many=relation.many, read_only=True)
    model_field = resource.model._meta.get_field(name)
    related = model_field.related_model._default_manager.none()  # type: ignore[union-attr]
    if relation.many:
        return KeyField(relation.key, many=True, queryset=related, required=False)
    nullable = bool(getattr(model_field, "null", False))
    return KeyField(relation.key, queryset=related, required=not nullable, allow_null=nullable)


@cache
def serializer_for(slug: str) -> type[RecordSerializer]:
    resource = RESOURCES[slug]
    model = resource.model
    attrs: dict[str, Any] = {"uid": serializers.UUIDField(read_only=True), "resource": resource}
    for name, relation in resource.relations.items():
        attrs[name] = relation_field(resource, name, relation)
    for name, (function, schema) in resource.computed.items():
        field_class = extend_schema_field(schema)(
            type(f"{model.__name__}{name.title()}Field", (Computed,), {})
        )
        attrs[name] = field_class(function)
    fields = ["uid", *resource.fields, *resource.relations, *resource.computed]
    read_only = [*resource.read_only, "created_at", "updated_at"]
    if not resource.writable:
        read_only = [*fields]
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": [*fields, "created_at", "updated_at"],
            "read_only_fields": [f for f in read_only if f not in attrs],
        },
    )
    attrs["Meta"] = meta
    name = "".join(part.title() for part in slug.split("-")) + "Serializer"
    return type(name, (RecordSerializer,), attrs)

"""Multiply a centre's year of records, for query-count tests and benchmarks.

``multiply(center, year, factor)`` adds ``factor - 1`` copies of every activity of
the year, with their links (assignments, regions, organisers, contributors …), so
the year has ``factor`` times the rows while every breakdown keeps its shape.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models, transaction

from oppdrag.activities import models as m
from oppdrag.core.models import Center

from .keyfigures import KINDS

# Ordered through-tables (not auto-created) and the field pointing at the activity.
THROUGH: dict[type[models.Model], list[tuple[Any, str]]] = {
    m.Event: [(m.EventOrganizer, "event")],
    m.Presentation: [(m.PresentationContributor, "presentation")],
    m.OpEd: [(m.OpEdAuthor, "op_ed")],
    m.Publication: [(m.PublicationContributor, "publication")],
}


@transaction.atomic
def multiply(center: Center, year: int, factor: int) -> None:
    for model in KINDS.values():
        originals = list(model._default_manager.filter(center=center, year=year))
        if not originals or factor < 2:
            continue
        auto_m2m = [
            f
            for f in model._meta.many_to_many
            if f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
        ]
        links = {
            f.name: list(
                f.remote_field.through.objects.filter(  # type: ignore[union-attr]
                    **{f"{f.m2m_field_name()}__in": originals}
                ).values_list(f"{f.m2m_field_name()}_id", f"{f.m2m_reverse_field_name()}_id")
            )
            for f in auto_m2m
        }
        ordered = {
            through: list(through.objects.filter(**{f"{fk}__in": originals}))
            for through, fk in THROUGH.get(model, [])
        }
        for copy in range(1, factor):
            mapping: dict[int, models.Model] = {}
            clones = []
            for original in originals:
                clone = model(
                    **{
                        f.attname: getattr(original, f.attname)
                        for f in model._meta.concrete_fields
                        if not f.primary_key
                    }
                )
                clone.uid = uuid.uuid4()  # type: ignore[attr-defined]
                if getattr(original, "ref", ""):
                    clone.ref = f"{original.ref}-x{copy}"  # type: ignore[attr-defined]
                if getattr(original, "nva_id", ""):
                    # One record per NVA result and centre: a copy is a new result.
                    clone.nva_id = f"{original.nva_id}-x{copy}"  # type: ignore[attr-defined]
                clones.append(clone)
            model._default_manager.bulk_create(clones, batch_size=1000)
            for original, clone in zip(originals, clones, strict=True):
                mapping[original.pk] = clone
            for f in auto_m2m:
                link_model: Any = f.remote_field.through
                src, dst = f"{f.m2m_field_name()}_id", f"{f.m2m_reverse_field_name()}_id"
                link_model.objects.bulk_create(
                    [link_model(**{src: mapping[a].pk, dst: b}) for a, b in links[f.name]],
                    batch_size=1000,
                )
            for through, fk in THROUGH.get(model, []):
                rows = []
                for row in ordered[through]:
                    values = {
                        f.attname: getattr(row, f.attname)
                        for f in through._meta.concrete_fields
                        if not f.primary_key
                    }
                    values[f"{fk}_id"] = mapping[values[f"{fk}_id"]].pk
                    rows.append(through(**values))
                through.objects.bulk_create(rows, batch_size=1000)

"""Each centre's data version: one number that changes whenever the centre's data does.

Pages and documents that are costly to make are cached under it (the dashboard's
figures, a rendered report), so the cache can live as long as the data reads the
same and not a moment longer. The number follows the database's own writes rather
than a list kept by hand:

- every ``save()`` and ``delete()`` of a model that belongs to a centre (directly
  through ``center`` or through a parent that does, such as an event's organisers)
  and every change to its many-to-many fields raises it, through Django's signals;
- writes that send no signals (``bulk_create``, ``QuerySet.update``, large deletes
  of bulk tables) call :func:`touched` themselves: the bulk history writer and the
  hours import do;
- a model that is itself a cache kept under the version (a rendered report) says
  ``center_data = False``: writing it must not move the version it is keyed by.

A write of any kind marks the centre; the number rises once, when the transaction
commits, so a reader never sees a new number before the data it stands for (and a
rolled-back transaction raises nothing). A write made outside Django (an operator's
SQL, a restore with ``psql``) is not seen: caches keyed by the version therefore also
carry a short lifetime as a backstop.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

# Tables written in bulk and deleted by the hundred thousand: their writers call
# ``touched`` once, and Django keeps its fast delete for them (a delete signal
# would make it load every row first).
BULK_TABLES = frozenset({"hours.timeentry"})


def current(center_id: int) -> int:
    """The centre's data version now (one query; 0 before its first change)."""
    from .models import CenterVersion

    found = CenterVersion.objects.filter(center_id=center_id).values_list("counter", flat=True)
    return next(iter(found), 0)


def touched(center_ids: int | Iterable[int]) -> None:
    """Mark centres as changed: their version rises when the current transaction commits."""
    ids = {center_ids} if isinstance(center_ids, int) else set(center_ids)
    ids.discard(None)  # type: ignore[arg-type]
    if not ids:
        return
    if not connection.in_atomic_block:
        _raise(ids)
        return
    pending: _Pending | None = getattr(connection, "_oppdrag_versions_pending", None)
    # A rolled-back transaction drops its commit callbacks: start a new set then.
    if pending is None or not any(entry[1] == pending.flush for entry in connection.run_on_commit):
        pending = _Pending()
        connection._oppdrag_versions_pending = pending  # type: ignore[attr-defined]
        transaction.on_commit(pending.flush)
    pending.ids |= ids


class _Pending:
    def __init__(self) -> None:
        self.ids: set[int] = set()

    def flush(self) -> None:
        if getattr(connection, "_oppdrag_versions_pending", None) is self:
            connection._oppdrag_versions_pending = None  # type: ignore[attr-defined]
        ids, self.ids = self.ids, set()
        _raise(ids)


def _raise(ids: set[int]) -> None:
    from .models import Center, CenterVersion

    raised = CenterVersion.objects.filter(center_id__in=ids).update(counter=F("counter") + 1)
    if raised < len(ids):
        missing = ids - set(
            CenterVersion.objects.filter(center_id__in=ids).values_list("center_id", flat=True)
        )
        existing = set(Center.objects.filter(pk__in=missing).values_list("pk", flat=True))
        CenterVersion.objects.bulk_create(
            [CenterVersion(center_id=pk, counter=1) for pk in existing], ignore_conflicts=True
        )


# -- which centre a row belongs to -------------------------------------------------


@cache
def _path_to_center(model: type[models.Model]) -> tuple[str, ...] | None:
    """The foreign keys from ``model`` to its centre (``("center",)`` for most), if any."""
    label = model._meta.label_lower
    if label in BULK_TABLES or label == "core.centerversion" or "historical" in label:
        return None
    if not getattr(model, "center_data", True):
        return None  # a cache kept under the version (``center_data = False``), not data
    if model._meta.label_lower == "core.center":
        return ()
    return _search(model, depth=3)


def _search(model: type[models.Model], depth: int) -> tuple[str, ...] | None:
    fields = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for field in fields:
        if field.name == "center":
            return ("center",)
    if depth == 1:
        return None
    for field in fields:
        related = field.related_model
        if not isinstance(related, type) or related is model:
            continue
        if related._meta.app_label in {"auth", "core"}:
            continue
        rest = _search(related, depth - 1)
        if rest is not None:
            return (field.name, *rest)
    return None


def center_of(instance: models.Model) -> int | None:
    """The id of the centre ``instance`` belongs to, or None (reference data, users)."""
    path = _path_to_center(type(instance))
    if path is None:
        return None
    if not path:
        return instance.pk  # a centre itself
    obj: Any = instance
    for name in path[:-1]:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{path[-1]}_id", None)


def _on_write(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures loading: nothing is cached yet
    center_id = center_of(instance)
    if center_id is not None:
        touched(center_id)


def _on_m2m(sender: Any, instance: models.Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        _on_write(type(instance), instance)


def connect() -> None:
    """Listen to every model that belongs to a centre (called once, from ``CoreConfig.ready``)."""
    post_save.connect(_on_write, dispatch_uid="oppdrag.versions.save")
    m2m_changed.connect(_on_m2m, dispatch_uid="oppdrag.versions.m2m")
    # Delete signals only where they belong: a listener on a model turns off Django's
    # fast delete for it, so reference data and bulk tables get none.
    for model in apps.get_models():
        if _path_to_center(model) is not None:
            post_delete.connect(
                _on_write, sender=model, dispatch_uid=f"oppdrag.versions.delete.{model._meta.label}"
            )

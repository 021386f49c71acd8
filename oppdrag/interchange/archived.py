"""Which tables a centre's archive carries, found by looking at the models.

A model belongs to a centre (is tenant-owned) when it has a ``center`` foreign key to
``Center``, or a foreign key to a model that belongs to one: ``Answer`` → ``Response``
→ ``Survey`` → ``center``. Many-to-many tables made by Django count through their
owning side only: ``Group.shared_with`` names other centres, it does not make the link
theirs. Every tenant-owned model of every app is carried, except

- ``Membership``, written as ``memberships.csv`` with the accounts in ``users.csv``
  (user names and roles, never passwords), and the centre itself (``center.csv``);
- change history (django-simple-history's ``Historical…`` tables): the archive is the
  current state. History rows point at records and accounts by this database's ids,
  also at records deleted since, so they cannot be carried to another installation
  with their meaning; a restored record starts its history with one «created» row by
  whoever imported it;
- the models in ``EXCLUDED``, each with its reason.

Accounts, their sessions and API keys belong to users, not to a centre: they are not
tenant-owned. ``users.csv`` carries the accounts the centre's members and records name
(user name, names, e-mail address, active), never a password hash, key or session.

A model added later is carried without touching this module, and
``test_every_tenant_owned_model_is_carried`` fails when one is not.
"""

from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from oppdrag.core.models import Center, Membership

# Tenant-owned models the archive leaves out on purpose, by label, with the reason.
EXCLUDED: dict[str, str] = {
    # Replay protection: a nonce is signed with this installation's SECRET_KEY, so a
    # form shown by another installation is refused here anyway; the marks guard nothing.
    "evaluations.usednonce": "form nonces signed with the old installation's secret key",
    # One answer per device: a hash of the link token and a cookie that the participant's
    # browser sends only to the old installation's address. Kept per link, never per
    # answer; a moved survey counts devices afresh.
    "evaluations.devicemark": "device cookies belong to the old installation's address",
    # Report files the worker made from the records: a cache, made again on demand.
    "reports.rendereddocument": "report files are made again from the records",
    # A counter of this installation's committed changes, the key its caches live under;
    # the restoring installation counts its own (the restore itself raises it).
    "core.centerversion": "the data version counts this installation's own changes",
}
# Carried in files of their own (``center.csv``, ``memberships.csv`` and ``users.csv``).
CARRIED_APART: tuple[type[models.Model], ...] = (Membership,)


def is_history(model: type[models.Model]) -> bool:
    return any(f.name == "history_id" for f in model._meta.concrete_fields)


def _parents(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The foreign keys through which a row of ``model`` may belong to a centre."""
    auto_created = bool(model._meta.auto_created)
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation
        and (f.many_to_one or f.one_to_one)
        and f.related_model is not model
        and not (auto_created and f.related_model is Center)
    ]


@functools.cache
def center_paths() -> dict[type[models.Model], tuple[str, ...]]:
    """Every tenant-owned model with the lookups that lead from it to its centre.

    A model with its own ``center`` has that one path; any other has one per foreign
    key to a tenant-owned model (a row belongs to the centre any of them reaches:
    an answer to a built-in question still belongs to its response's centre).
    """
    paths: dict[type[models.Model], tuple[str, ...]] = {}
    candidates = [m for m in apps.get_models(include_auto_created=True) if m is not Center]
    while True:  # until no model gains a path: chains are found link by link
        found = {m: p for m in candidates if (p := _paths_of(m, paths))}
        if found == paths:
            return paths
        paths = found


def _paths_of(
    model: type[models.Model], known: dict[type[models.Model], tuple[str, ...]]
) -> tuple[str, ...]:
    parents = _parents(model)
    if any(f.name == "center" and f.related_model is Center for f in parents):
        return ("center",)
    return tuple(
        f"{f.name}__{known[f.related_model][0]}"  # type: ignore[index]
        for f in parents
        if f.related_model in known
    )


def tenant_owned_models() -> list[type[models.Model]]:
    return list(center_paths())


def archived_models() -> list[type[models.Model]]:
    """The models that have a file of their own in the archive, in a stable order."""
    found = [
        model
        for model in tenant_owned_models()
        if not is_history(model)
        and model not in CARRIED_APART
        and model._meta.label_lower not in EXCLUDED
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def belongs_to(model: type[models.Model], center: Center) -> Q:
    """The condition for ``model``'s rows that belong to ``center``."""
    condition = Q()
    for path in center_paths()[model]:
        condition |= Q(**{path: center})
    return condition


def shared_rows(model: type[models.Model]) -> Q:
    """Rows of a tenant-owned model that belong to no centre (a built-in questionnaire)."""
    return Q(**{f"{center_paths()[model][0]}__isnull": True})


def can_be_shared(model: type[models.Model]) -> bool:
    """Whether the chain from ``model`` to its centre may end in no centre at all."""
    current: Any = model
    for name in center_paths()[model][0].split("__"):
        field = current._meta.get_field(name)
        if field.null:
            return True
        current = field.related_model
    return False


def identity_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Fields that identify a row across installations: unique, with a random default
    (``uid``, a UUID primary key, a link token). A copy next to the original gets new ones."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.unique and callable(f.default) and f.default is not models.NOT_PROVIDED
    ]


def row_key_field(model: type[models.Model]) -> str | None:
    """The column that names a row in references: ``uid``, else a UUID primary key;
    ``None`` when rows are named by their position in the file (1, 2, …)."""
    names = {f.name for f in identity_fields(model)}
    if "uid" in names:
        return "uid"
    pk = model._meta.pk
    if pk is not None and pk.name in names and isinstance(pk, models.UUIDField):
        return pk.name
    return None

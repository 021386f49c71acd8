"""A centre's whole registry as one ZIP of CSV files (the way back in: ``restore``).

``export_center`` writes one CSV per model that belongs to the centre: every
tenant-owned model of every app, found by looking at the models
(``oppdrag.interchange.archived``: records with a ``center``, and every table that
hangs on them through foreign keys — links, contributors, evaluations, their
versions, questions, responses and answers). Besides those: the centre itself, its
members (user name and role; never passwords) and the organisations its records
name, plus ``manifest.json`` with the format version, the app version, the centre,
the time, and each file's row count and SHA-256.

References are written as keys that mean the same in any installation: records by
their ``uid`` (or UUID primary key), rows without one by their position in their
file (1, 2, …; files are ordered by primary key); reference data by official codes
(region code, county and municipality numbers — a municipality as
``number|valid_from`` — district number, focus-area code, team-model code); the
built-in questionnaires by key, version number and question key; organisations by
name; users by user name; other centres by slug; content types as
``app_label|model``. Change history is not exported: the archive is the current
state (see ``archived``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import metadata
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from oppdrag.core.models import (
    Center,
    CityDistrict,
    County,
    Membership,
    Municipality,
    Organization,
    Region,
)
from oppdrag.importing.writers import SafeWriter, restore

from .archived import (
    archived_models,
    belongs_to,
    can_be_shared,
    center_paths,
    row_key_field,
    shared_rows,
)

FORMAT = "oppdrag-center-export"
# 2: time entries travel packed per person and project (``hours.timeseries.csv``, the
# entries in base64) instead of one row each (``hours.timeentry.csv``).
# 3: every tenant-owned table, evaluations included; rows without a uid are named by
# their position. An installation that reads only 2 must refuse a 3 rather than drop
# what it does not know; 2 is read still (its evaluations were never exported). People
# open these files in a spreadsheet program too, so from 3 on text that would compute
# there carries an apostrophe in front, taken off on import (``importing/writers.py``);
# a version 2 archive is read as written.
# 4: time entries travel one row each again (``hours.timeentry.csv``); the series of a
# version 2 or 3 archive are unpacked into such rows when it is read
# (``restore.entries_from_series``).
FORMAT_VERSION = 4
READABLE_VERSIONS = (2, 3, 4)
# A cell may hold a whole submitted report (the tree as JSON, a few hundred kB): raise
# the csv module's per-field limit (131 072 characters by default) for the archive.
CELL_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))
MANIFEST = "manifest.json"
CENTER_FILE = "center.csv"
USERS_FILE = "users.csv"
MEMBERS_FILE = "memberships.csv"
ORGANIZATIONS_FILE = "organizations.csv"


# --- which models, which columns ----------------------------------------------------
def file_name(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.csv"


def _user_model() -> type[models.Model]:
    return get_user_model()


def reference_keys() -> dict[type[models.Model], tuple[str, ...]]:
    """Shared rows and the fields that identify one in any installation.

    The built-in questionnaires are rows of tenant-owned models that belong to no
    centre; a centre's surveys and answers name them by these keys.
    """
    keys: dict[type[models.Model], tuple[str, ...]] = {
        Region: ("code",),
        County: ("number",),
        Municipality: ("number", "valid_from"),
        CityDistrict: ("number",),
        Organization: ("name",),
        Center: ("slug",),
        ContentType: ("app_label", "model"),
        _user_model(): ("username",),
    }
    with contextlib.suppress(LookupError):
        keys[apps.get_model("grants", "FocusArea")] = ("code",)
    with contextlib.suppress(LookupError):
        keys[apps.get_model("teams", "TeamModelType")] = ("code",)
    with contextlib.suppress(LookupError):
        keys[apps.get_model("evaluations", "QuestionnaireVersion")] = (
            "questionnaire__key",
            "number",
        )
        keys[apps.get_model("evaluations", "Question")] = (
            "version__questionnaire__key",
            "version__number",
            "key",
        )
    return keys


def _shared_queryset(model: type[models.Model]) -> Any:
    """``model``'s rows a reference key may name: all, or for a tenant-owned model the
    shared ones (never another centre's)."""
    manager: Any = model._default_manager
    return manager.filter(shared_rows(model)) if model in center_paths() else manager.all()


@dataclass
class Column:
    """One column: a plain field, a reference to a record (uid) or to shared data (key)."""

    name: str
    field: Any
    kind: str  # "value", "record", "reference", "generic"
    target: type[models.Model] | None = None


def _own_center(model: type[models.Model]) -> str | None:
    """The field that makes ``model`` a centre's: left out, the import sets it."""
    return "center" if center_paths().get(model) == ("center",) else None


def columns_for(model: type[models.Model], archived: list[type[models.Model]]) -> list[Column]:
    refs = reference_keys()
    generic = {f.fk_field for f in model._meta.private_fields if isinstance(f, GenericForeignKey)}
    key_field = row_key_field(model)
    columns: list[Column] = []
    for f in model._meta.concrete_fields:
        if (f.primary_key and f.name != key_field) or f.name == _own_center(model):
            continue
        if f.is_relation:
            target: Any = f.related_model
            if target in archived:
                columns.append(Column(f.name, f, "record", target))
            elif target in refs:
                columns.append(Column(f.name, f, "reference", target))
            else:
                raise LookupError(f"{model._meta.label}.{f.name} points to {target}")
        else:
            columns.append(Column(f.name, f, "generic" if f.name in generic else "value"))
    return columns


# --- values as text -----------------------------------------------------------------
def encode(value: Any, f: Any) -> str:
    if value is None:
        return ""
    if isinstance(f, models.JSONField):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def decode(text: str, f: Any) -> Any:
    """The text of ``encode`` back to a value; ``ValueError`` says why not."""
    internal = f.get_internal_type()
    if text == "" and internal in ("CharField", "TextField", "SlugField", "URLField", "EmailField"):
        return None if f.null else ""
    if text == "":
        if f.null:
            return None
        if isinstance(f, models.JSONField):
            raise ValueError("tom verdi")
        raise ValueError("verdien mangler")
    if isinstance(f, models.JSONField):
        return json.loads(text)
    if internal in ("BooleanField", "NullBooleanField"):
        if text not in ("true", "false"):
            raise ValueError(f"«{text}» er ikke true/false")
        return text == "true"
    if internal == "DateTimeField":
        value = dt.datetime.fromisoformat(text)
        if timezone.is_naive(value):
            raise ValueError(f"«{text}» mangler tidssone")
        return value
    if internal == "DateField":
        return dt.date.fromisoformat(text)
    if internal == "TimeField":
        return dt.time.fromisoformat(text)
    if internal == "DecimalField":
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"«{text}» er ikke et tall") from exc
    if internal == "FloatField":
        return float(text)
    if internal in (
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveBigIntegerField",
    ):
        return int(text)
    if internal == "UUIDField":
        return uuid.UUID(text)
    if internal == "BinaryField":
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error as exc:
            raise ValueError("ikke gyldig base64") from exc
    return text


def _key_text(parts: tuple[Any, ...]) -> str:
    return "|".join("" if p is None else encode(p, None) for p in parts)


# --- export -------------------------------------------------------------------------
def csv_dicts(data: bytes, *, escaped: bool = True) -> list[dict[str, str]]:
    """The rows of an archive file with the values as they were before ``_csv_bytes``
    (``escaped`` False: a version 2 file, written without the apostrophes)."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    if not escaped:
        return list(rows)
    return [
        {key: restore(value) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    ]


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _scoped(model: type[models.Model], center: Center) -> Any:
    return model._default_manager.filter(belongs_to(model, center)).order_by("pk")


class RowKeys:
    """The text that names a row in references, by primary key, one query per model.

    A record is named by its ``uid`` (or UUID primary key); a row without one by its
    position in its file (1, 2, …: the file is ordered by primary key, and a restore
    inserts in file order). A shared row (a built-in question) by its reference key.
    """

    def __init__(self, center: Center) -> None:
        self.center = center
        self._own: dict[type[models.Model], dict[Any, str]] = {}
        self._shared: dict[type[models.Model], dict[Any, str]] = {}

    def name(self, model: type[models.Model], pk: Any) -> str | None:
        if model not in self._own:
            self._own[model] = self._load(model)
        found = self._own[model].get(pk)
        if found is None and can_be_shared(model) and model in reference_keys():
            if model not in self._shared:
                self._shared[model] = shared_keys(model)
            found = self._shared[model].get(pk)
        return found

    def _load(self, model: type[models.Model]) -> dict[Any, str]:
        rows = _scoped(model, self.center)
        key = row_key_field(model)
        if key is None:
            pks = rows.values_list("pk", flat=True)
            return {pk: str(number) for number, pk in enumerate(pks, start=1)}
        return {pk: encode(value, None) for pk, value in rows.values_list("pk", key)}


def shared_keys(model: type[models.Model]) -> dict[Any, str]:
    """The reference key of each row a reference may name, by primary key."""
    keys = reference_keys()[model]
    return {
        values[0]: _key_text(tuple(values[1:]))
        for values in _shared_queryset(model).values_list("pk", *keys)
    }


def _value_paths(columns: list[Column]) -> list[str]:
    refs = reference_keys()
    paths = []
    for column in columns:
        if column.kind == "record":
            paths.append(column.field.attname)
        elif column.kind == "reference":
            assert column.target is not None
            paths.extend(f"{column.name}__{key}" for key in refs[column.target])
        else:
            paths.append(column.name)
    return paths


def model_rows(
    model: type[models.Model], center: Center, archived: list[type[models.Model]], keys: RowKeys
) -> tuple[list[str], list[list[str]]]:
    """The header and rows of one model's file (one query, plus one per model named)."""
    columns = columns_for(model, archived)
    paths = _value_paths(columns)
    refs = reference_keys()
    content_type = next((c.name for c in columns if c.target is ContentType), "")
    rows = []
    for values in _scoped(model, center).values_list(*paths):
        by_path = dict(zip(paths, values, strict=True))
        row = []
        for column in columns:
            if column.kind == "reference":
                assert column.target is not None
                parts = tuple(by_path[f"{column.name}__{k}"] for k in refs[column.target])
                row.append("" if all(p is None for p in parts) else _key_text(parts))
            elif column.kind == "value":
                row.append(encode(by_path[column.name], column.field))
            else:
                row.append(_named(model, column, by_path, keys, content_type))
        rows.append(row)
    return [c.name for c in columns], rows


def _named(
    model: type[models.Model],
    column: Column,
    by_path: dict[str, Any],
    keys: RowKeys,
    content_type: str,
) -> str:
    """A reference to a record (or, through a generic key, any record) as its row key."""
    value = by_path[column.field.attname]
    if value is None:
        return ""
    target = column.target
    if column.kind == "generic":
        label = by_path[f"{content_type}__app_label"], by_path[f"{content_type}__model"]
        target = apps.get_model(*label)
        value = int(value)
    assert target is not None
    named = keys.name(target, value) if target in center_paths() else None
    if named is None:
        raise LookupError(f"{model._meta.label}.{column.name}: {value} is not the centre's")
    return named


def export_files(center: Center) -> dict[str, bytes]:
    """Every file of the archive except the manifest, by name."""
    archived = archived_models()
    keys = RowKeys(center)
    files: dict[str, bytes] = {}
    for model in archived:
        header, rows = model_rows(model, center, archived, keys)
        files[file_name(model)] = _csv_bytes(header, rows)
    files[CENTER_FILE] = _csv_bytes(
        ["slug", "name", "short_name", "organization"],
        [
            [
                center.slug,
                center.name,
                center.short_name,
                center.organization.name if center.organization else "",
            ]
        ],
    )
    members = list(
        Membership.objects.filter(center=center).select_related("user").order_by("user__username")
    )
    files[MEMBERS_FILE] = _csv_bytes(
        ["username", "role"], [[ms.user.get_username(), ms.role] for ms in members]
    )
    files[USERS_FILE] = _users_file(members, files)
    files[ORGANIZATIONS_FILE] = _organizations_file(files)
    return files


def _named_in(files: dict[str, bytes], target: type[models.Model]) -> set[str]:
    """The keys of the ``target`` rows the archive's records name."""
    names: set[str] = set()
    archived = archived_models()
    for model in archived:
        for column in columns_for(model, archived):
            if column.target is target:
                reader = csv_dicts(files[file_name(model)])
                names.update(row[column.name] for row in reader if row[column.name])
    return names


def _users_file(members: list[Membership], files: dict[str, bytes]) -> bytes:
    """The members' accounts and those the records name (authors, who imported hours):
    names and e-mail addresses let a moved centre's people reset their passwords;
    password hashes never leave the installation."""
    user_model: Any = _user_model()
    names = {ms.user.get_username() for ms in members} | _named_in(files, user_model)
    users = user_model._default_manager.filter(username__in=names).order_by("username")
    return _csv_bytes(
        ["username", "first_name", "last_name", "email", "is_active"],
        [
            [u.get_username(), u.first_name, u.last_name, u.email, encode(u.is_active, None)]
            for u in users
        ],
    )


def _organizations_file(files: dict[str, bytes]) -> bytes:
    """The organisations the records name, so a new installation can create missing ones."""
    names = _named_in(files, Organization)
    center_row = csv_dicts(files[CENTER_FILE])[0]
    if center_row["organization"]:
        names.add(center_row["organization"])
    rows = []
    for org in Organization.objects.filter(name__in=names).select_related("municipality"):
        municipality = org.municipality
        rows.append(
            [
                org.name,
                org.kind,
                org.organization_number,
                org.aliases,
                _key_text((municipality.number, municipality.valid_from)) if municipality else "",
            ]
        )
    rows.sort()
    return _csv_bytes(["name", "kind", "organization_number", "aliases", "municipality"], rows)


def app_version() -> str:
    try:
        return metadata.version("oppdrag")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        return "0"


def export_center(center: Center, target: IO[bytes] | str) -> dict[str, Any]:
    """Write the centre's archive to ``target`` (a path or a binary file); return the manifest."""
    files = export_files(center)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "center": center.slug,
        "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
        "files": {
            name: {
                # Counted by the CSV reader: quoted cells may hold line breaks.
                "rows": sum(1 for _ in csv.reader(io.StringIO(data.decode()))) - 1,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in sorted(files.items())
        },
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return manifest

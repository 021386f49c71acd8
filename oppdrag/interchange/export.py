"""A centre's whole registry as one ZIP of CSV files, and the way back in.

``export_center`` writes one CSV per model that belongs to the centre (every model
with a ``center`` and a public ``uid``, and every table that links such records:
many-to-many links, ordered contributors, organisers), the centre itself, its
members (user name and role; never passwords) and the organisations its records
name, plus ``manifest.json`` with the format version, the app version, the centre,
the time, and each file's row count and SHA-256.

References are written as keys that mean the same in any installation: records by
their ``uid``; reference data by official codes (region code, county and
municipality numbers — a municipality as ``number|valid_from`` — district number,
focus-area code, team-model code); organisations by name; users by user name;
other centres by slug; content types as ``app_label|model``. Change history is
not exported: the archive is the current state. People open these files in a
spreadsheet program too, so text that would compute there is written with an apostrophe
in front and read back without it (``oppdrag/importing/writers.py``): the values come
back exactly as they were.

``import_center`` checks the whole archive first (manifest, checksums, row counts,
format version, columns, every reference) and then writes everything in one
transaction, so a damaged or unsuitable archive changes nothing. It refuses a
centre slug that already exists. Record ids are kept unless they already exist in
the database (a copy next to the original), in which case every record gets a new
one. The model list is discovered from the apps, so a model added later is
exported without touching this module.
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import metadata
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from oppdrag.core.models import (
    Center,
    CityDistrict,
    County,
    Membership,
    Municipality,
    Organization,
    Region,
    TenantModel,
)
from oppdrag.core.services import add_member
from oppdrag.importing.writers import SafeWriter, restore

FORMAT = "oppdrag-center-export"
# 2: time entries travel packed per person and project (``hours.timeseries.csv``, the
# entries in base64) instead of one row each (``hours.timeentry.csv``).
# 3: text that would compute in a spreadsheet carries an apostrophe in front, taken off
# on import (``oppdrag/importing/writers.py``). Version 2 archives are read as written.
FORMAT_VERSION = 3
READABLE_VERSIONS = (2, 3)
# A cell may hold a whole submitted report (the tree as JSON, a few hundred kB): raise
# the csv module's per-field limit (131 072 characters by default) for the archive.
CELL_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))
MANIFEST = "manifest.json"
APPS = ("core", "grants", "activities", "hours", "teams", "reports", "interchange")
CENTER_FILE = "center.csv"
USERS_FILE = "users.csv"
MEMBERS_FILE = "memberships.csv"
ORGANIZATIONS_FILE = "organizations.csv"


# --- which models, which columns ----------------------------------------------------
def _is_history(model: type[models.Model]) -> bool:
    return any(f.name == "history_id" for f in model._meta.concrete_fields)


def owned_models() -> list[type[models.Model]]:
    """Models whose rows belong to one centre: a ``center`` and a public ``uid``."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS
        and issubclass(model, TenantModel)
        and not _is_history(model)
    ]


def link_models(owned: list[type[models.Model]]) -> list[type[models.Model]]:
    """Tables without a centre of their own that hang on an owned record."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model in owned or model._meta.app_label not in APPS or _is_history(model):
            continue
        if model in (Membership, Center):
            continue
        if any(
            f.is_relation and f.many_to_one and f.related_model in owned
            for f in model._meta.concrete_fields
        ):
            found.append(model)
    return found


def file_name(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.csv"


def _user_model() -> type[models.Model]:
    return get_user_model()


def reference_keys() -> dict[type[models.Model], tuple[str, ...]]:
    """Shared models and the fields that identify a row in any installation."""
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
    return keys


@dataclass
class Column:
    """One column: a plain field, a reference to a record (uid) or to shared data (key)."""

    name: str
    field: Any
    kind: str  # "value", "record", "reference", "generic"
    target: type[models.Model] | None = None


def columns_for(model: type[models.Model], owned: list[type[models.Model]]) -> list[Column]:
    refs = reference_keys()
    columns: list[Column] = []
    generic = {
        f.fk_field: f.ct_field
        for f in model._meta.private_fields
        if f.__class__.__name__ == "GenericForeignKey"
    }
    for f in model._meta.concrete_fields:
        if f.primary_key or (f.name == "center" and issubclass(model, TenantModel)):
            continue
        if f.is_relation:
            target: Any = f.related_model
            if target in owned:
                columns.append(Column(f.name, f, "record", target))
            elif target in refs:
                columns.append(Column(f.name, f, "reference", target))
            else:
                raise LookupError(f"{model._meta.label}.{f.name} points to {target}")
        elif f.name in generic:
            columns.append(Column(f.name, f, "generic"))
        else:
            columns.append(Column(f.name, f, "value"))
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
def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A file of the archive; people open these too, so text never computes in them."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _csv_dicts(data: bytes, *, escaped: bool = True) -> list[dict[str, str]]:
    """The rows of an archive file with the values as they were before ``_csv_bytes``
    (``escaped`` False: a version 2 file, written without the apostrophes)."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    if not escaped:
        return list(rows)
    return [
        {key: restore(value) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    ]


def _scoped(model: type[models.Model], owned: list[type[models.Model]], center: Center) -> Any:
    manager: Any = model._default_manager
    if model in owned:
        return manager.filter(center=center)
    anchor = next(
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one and f.related_model in owned
    )
    return manager.filter(**{f"{anchor.name}__center": center})


def _value_paths(columns: list[Column]) -> list[str]:
    refs = reference_keys()
    paths = []
    for column in columns:
        if column.kind == "record":
            paths.append(f"{column.name}__uid")
        elif column.kind == "reference":
            assert column.target is not None
            paths.extend(f"{column.name}__{key}" for key in refs[column.target])
        else:
            paths.append(column.name)
    return paths


def model_rows(
    model: type[models.Model], center: Center, owned: list[type[models.Model]]
) -> tuple[list[str], list[list[str]]]:
    """The header and rows of one model's file (one query, plus one per generic key)."""
    columns = columns_for(model, owned)
    refs = reference_keys()
    paths = _value_paths(columns)
    raw = list(_scoped(model, owned, center).order_by("pk").values_list(*paths))
    generic_uids = _generic_uids(model, columns, raw, paths)
    rows = []
    for values in raw:
        by_path = dict(zip(paths, values, strict=True))
        row = []
        for column in columns:
            if column.kind == "record":
                row.append(encode(by_path[f"{column.name}__uid"], None))
            elif column.kind == "reference":
                assert column.target is not None
                parts = tuple(by_path[f"{column.name}__{k}"] for k in refs[column.target])
                row.append("" if all(p is None for p in parts) else _key_text(parts))
            elif column.kind == "generic":
                row.append(
                    generic_uids.get(by_path[column.name], encode(by_path[column.name], None))
                )
            else:
                row.append(encode(by_path[column.name], column.field))
        rows.append(row)
    return [c.name for c in columns], rows


def _generic_uids(
    model: type[models.Model], columns: list[Column], raw: list[tuple[Any, ...]], paths: list[str]
) -> dict[Any, str]:
    """For a generic relation: the pointed-to records' uids by their primary key."""
    if not any(c.kind == "generic" for c in columns):
        return {}
    ct_column = next(c for c in columns if c.kind == "reference" and c.target is ContentType)
    index_app = paths.index(f"{ct_column.name}__app_label")
    index_model = paths.index(f"{ct_column.name}__model")
    index_id = paths.index(next(c.name for c in columns if c.kind == "generic"))
    wanted: dict[tuple[str, str], set[Any]] = {}
    for values in raw:
        wanted.setdefault((values[index_app], values[index_model]), set()).add(values[index_id])
    found: dict[Any, str] = {}
    for (app_label, model_name), ids in wanted.items():
        target = apps.get_model(app_label, model_name)
        if issubclass(target, TenantModel):
            for pk, uid in target._default_manager.filter(pk__in=ids).values_list("pk", "uid"):
                found[pk] = str(uid)
    return found


def export_files(center: Center) -> dict[str, bytes]:
    """Every file of the archive except the manifest, by name."""
    owned = owned_models()
    files: dict[str, bytes] = {}
    for model in [*owned, *link_models(owned)]:
        header, rows = model_rows(model, center, owned)
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
    # Names and e-mail addresses let a moved centre's people reset their passwords;
    # password hashes never leave the installation.
    files[USERS_FILE] = _csv_bytes(
        ["username", "first_name", "last_name", "email", "is_active"],
        [
            [
                ms.user.get_username(),
                getattr(ms.user, "first_name", ""),
                getattr(ms.user, "last_name", ""),
                getattr(ms.user, "email", ""),
                encode(ms.user.is_active, None),
            ]
            for ms in members
        ],
    )
    files[ORGANIZATIONS_FILE] = _organizations_file(files)
    return files


def _organizations_file(files: dict[str, bytes]) -> bytes:
    """The organisations the records name, so a new installation can create missing ones."""
    names: set[str] = set()
    owned = owned_models()
    for model in [*owned, *link_models(owned)]:
        for column in columns_for(model, owned):
            if column.target is Organization:
                reader = _csv_dicts(files[file_name(model)])
                names.update(row[column.name] for row in reader if row[column.name])
    center_row = _csv_dicts(files[CENTER_FILE])[0]
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


# --- import -------------------------------------------------------------------------
class ArchiveRejected(Exception):
    """The archive cannot be imported; ``str()`` names the file, row and column."""

    def __init__(
        self, message: str, *, file: str = "", row: int | None = None, column: str = ""
    ) -> None:
        self.message, self.file, self.row, self.column = message, file, row, column
        where = [
            part
            for part in (file, f"rad {row}" if row else "", column and f"kolonne «{column}»")
            if part
        ]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass
class ImportReport:
    center: Center
    rows: dict[str, int] = field(default_factory=dict)
    new_uids: bool = False
    users_created: list[str] = field(default_factory=list)
    users_linked: list[str] = field(default_factory=list)
    organizations_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_archive(source: IO[bytes] | str) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    """Open and verify the archive; return the manifest and every file's rows."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRejected(f"Filen er ikke et lesbart ZIP-arkiv ({exc}).") from exc
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise ArchiveRejected("Arkivet mangler manifest.json.", file=MANIFEST)
        try:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
            raise ArchiveRejected(f"manifest.json kan ikke leses ({exc}).", file=MANIFEST) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveRejected("Dette er ikke en eksport fra Oppdrag.", file=MANIFEST)
        version = manifest.get("format_version")
        if version not in READABLE_VERSIONS:
            raise ArchiveRejected(
                f"Ukjent formatversjon {version!r}; denne versjonen av Oppdrag leser "
                f"versjon {' og '.join(map(str, READABLE_VERSIONS))}.",
                file=MANIFEST,
            )
        listed = manifest.get("files")
        if not isinstance(listed, dict):
            raise ArchiveRejected("manifest.json mangler fillisten.", file=MANIFEST)
        for name in sorted(names - set(listed) - {MANIFEST}):
            raise ArchiveRejected("Filen står ikke i manifest.json.", file=name)
        contents: dict[str, list[dict[str, str]]] = {}
        for name, info in sorted(listed.items()):
            if name not in names:
                raise ArchiveRejected("Filen mangler i arkivet.", file=name)
            try:
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ArchiveRejected(f"Filen er skadet ({exc}).", file=name) from exc
            if hashlib.sha256(data).hexdigest() != info.get("sha256"):
                raise ArchiveRejected(
                    "Kontrollsummen (SHA-256) stemmer ikke med manifest.json; filen er endret "
                    "eller skadet.",
                    file=name,
                )
            try:
                rows = _csv_dicts(data, escaped=version >= 3)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise ArchiveRejected(f"Filen kan ikke leses som CSV ({exc}).", file=name) from exc
            if len(rows) != info.get("rows"):
                raise ArchiveRejected(
                    f"Filen har {len(rows)} rader, men manifest.json sier {info.get('rows')}.",
                    file=name,
                )
            contents[name] = rows
    return manifest, contents


@contextlib.contextmanager
def _keep_timestamps(models_: list[type[models.Model]]) -> Iterator[None]:
    """Let bulk inserts keep the archive's created/updated times (auto_now off)."""
    changed: list[tuple[Any, bool, bool]] = []
    f: Any
    for model in models_:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _insert_order(
    models_: list[type[models.Model]], owned: list[type[models.Model]]
) -> list[type[models.Model]]:
    """Models ordered so every non-null reference to a record points backwards."""
    ordered: list[type[models.Model]] = []
    pending = list(models_)
    while pending:
        for model in pending:
            needs = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation
                and f.related_model in owned
                and not f.null
                and f.related_model is not model
            }
            # Generic references may point to any record: those tables come last.
            generic = any(
                c.__class__.__name__ == "GenericForeignKey" for c in model._meta.private_fields
            )
            if needs <= set(ordered) and (
                not generic
                or len(pending) == 1
                or all(
                    any(c.__class__.__name__ == "GenericForeignKey" for c in p._meta.private_fields)
                    for p in pending
                )
            ):
                ordered.append(model)
                pending.remove(model)
                break
        else:  # pragma: no cover - a cycle of required references
            raise LookupError(f"cycle among {pending}")
    return ordered


def import_center(
    source: IO[bytes] | str, *, slug: str | None = None, user: Any = None
) -> ImportReport:
    """Restore an archive as a new centre; ``ArchiveRejected`` changes nothing."""
    manifest, contents = read_archive(source)
    owned = owned_models()
    all_models = [*owned, *link_models(owned)]
    for model in all_models:
        # A model newer than the archive (not in its manifest) simply has no rows; a file
        # the manifest lists but the archive lacks was refused by read_archive already.
        contents.setdefault(file_name(model), [])
    for name in (CENTER_FILE, USERS_FILE, MEMBERS_FILE, ORGANIZATIONS_FILE):
        if name not in contents:
            raise ArchiveRejected("Filen mangler i arkivet.", file=name)
    center_rows = contents[CENTER_FILE]
    if len(center_rows) != 1:
        raise ArchiveRejected("Filen skal ha nøyaktig én rad.", file=CENTER_FILE)
    slug = slug or center_rows[0]["slug"]
    if Center.objects.filter(slug=slug).exists():
        raise ArchiveRejected(
            f"Senteret «{slug}» finnes allerede i denne databasen; velg et annet kortnavn "
            "med --slug, eller slett senteret først."
        )
    with transaction.atomic(), _keep_timestamps(all_models):
        return _restore(manifest, contents, slug, owned, all_models, user)


def _restore(
    manifest: dict[str, Any],
    contents: dict[str, list[dict[str, str]]],
    slug: str,
    owned: list[type[models.Model]],
    all_models: list[type[models.Model]],
    user: Any,
) -> ImportReport:
    refs = reference_keys()
    center_row = contents[CENTER_FILE][0]
    organizations_created = _ensure_organizations(contents[ORGANIZATIONS_FILE])
    organization = (
        Organization.objects.filter(name=center_row["organization"], center__isnull=True).first()
        if center_row["organization"]
        else None
    )
    center = Center.objects.create(
        slug=slug,
        name=center_row["name"],
        short_name=center_row["short_name"],
        organization=organization,
    )
    report = ImportReport(center=center, organizations_created=organizations_created)
    if center_row["organization"] and organization is None:
        report.notes.append(
            f"Organisasjonen «{center_row['organization']}» hører allerede til et annet senter "
            "her; det nye senteret er ikke koblet til den."
        )
    _restore_users(contents, center, report)

    # Lookups of shared data by key, one query per model.
    lookups: dict[type[models.Model], dict[str, Any]] = {}
    for target, keys in refs.items():
        lookups[target] = {
            _key_text(tuple(values[1:])): values[0]
            for values in target._default_manager.values_list("pk", *keys)
        }
    uids = {
        str(row["uid"]) for model in owned for row in contents[file_name(model)] if row.get("uid")
    }
    report.new_uids = any(
        model._default_manager.filter(
            uid__in=[r["uid"] for r in contents[file_name(model)]]
        ).exists()
        for model in owned
        if contents[file_name(model)]
    )
    new_uid = {old: str(uuid.uuid4()) for old in uids} if report.new_uids else {}
    pk_by_uid: dict[str, Any] = {}
    deferred: list[tuple[type[models.Model], models.Model, str, str, int]] = []
    for model in _insert_order(all_models, owned):
        name = file_name(model)
        columns = columns_for(model, owned)
        rows = contents[name]
        expected = {c.name for c in columns}
        header = set(rows[0]) if rows else expected
        for extra in sorted(header - expected):
            raise ArchiveRejected(
                "Ukjent kolonne for denne versjonen av Oppdrag.", file=name, column=extra
            )
        objects = []
        skipped: list[str] = []
        kept_rows = []
        for number, row in enumerate(rows, start=2):
            values: dict[str, Any] = {}
            later: list[tuple[str, str]] = []
            skip = False
            for column in columns:
                if column.name not in row:
                    if column.field.has_default() or column.field.null:
                        continue
                    raise ArchiveRejected("Kolonnen mangler.", file=name, column=column.name)
                text = row[column.name]
                attname = column.field.attname
                try:
                    if column.kind == "record":
                        if text == "":
                            if not column.field.null:
                                raise ValueError("verdien mangler")
                            values[attname] = None
                        elif text in pk_by_uid:
                            values[attname] = pk_by_uid[text]
                        elif column.field.null:
                            later.append((attname, text))  # e.g. a parent in the same table
                        else:
                            raise ValueError(f"registreringen {text} finnes ikke i arkivet")
                    elif column.kind == "reference":
                        assert column.target is not None
                        if text == "":
                            if not column.field.null:
                                raise ValueError("verdien mangler")
                            values[attname] = None
                        elif column.target is Center and text == manifest.get("center"):
                            values[attname] = center.pk
                        elif column.target is Center and text not in lookups[Center]:
                            # Shared with a centre this installation does not have.
                            skipped.append(text)
                            skip = True
                        elif text in lookups[column.target]:
                            values[attname] = lookups[column.target][text]
                        else:
                            raise ValueError(
                                f"«{text}» finnes ikke i denne databasen "
                                f"({column.target._meta.verbose_name}); last inn referansedata "
                                "først (oppdrag load-reference-data)."
                            )
                    elif column.kind == "generic":
                        values[attname] = text  # resolved below, once the target exists
                    elif column.name == "uid":
                        values["uid"] = uuid.UUID(new_uid.get(text, text))
                    else:
                        values[attname] = decode(text, column.field)
                except (ValueError, TypeError, json.JSONDecodeError) as exc:
                    raise ArchiveRejected(
                        str(exc), file=name, row=number, column=column.name
                    ) from exc
            if skip:
                continue
            if issubclass(model, TenantModel):
                values["center_id"] = center.pk
            obj = model(**values)
            objects.append(obj)
            kept_rows.append(row)
            for attname, text in later:
                deferred.append((model, obj, attname, text, number))
        _resolve_generic(model, columns, objects, pk_by_uid, new_uid, name)
        if hasattr(model, "history") and objects:
            created = bulk_create_with_history(objects, model, batch_size=500, default_user=user)
        else:
            created = model._default_manager.bulk_create(objects, batch_size=500)
        if issubclass(model, TenantModel):
            for obj, row in zip(created, kept_rows, strict=True):
                pk_by_uid[row["uid"]] = obj.pk
        report.rows[name] = len(created)
        if skipped:
            report.notes.append(
                "{file}: {n} koblinger til sentre som ikke finnes her er utelatt ({slugs}).".format(
                    file=name, n=len(skipped), slugs=", ".join(sorted(set(skipped)))
                )
            )
    _apply_deferred(deferred, pk_by_uid)
    return report


def _resolve_generic(
    model: type[models.Model],
    columns: list[Column],
    objects: list[models.Model],
    pk_by_uid: dict[str, Any],
    new_uid: dict[str, str],
    name: str,
) -> None:
    generic = [c for c in columns if c.kind == "generic"]
    for column in generic:
        for number, obj in enumerate(objects, start=2):
            text = getattr(obj, column.field.attname)
            if text in pk_by_uid:
                setattr(obj, column.field.attname, pk_by_uid[text])
            else:
                raise ArchiveRejected(
                    f"registreringen {text} finnes ikke i arkivet",
                    file=name,
                    row=number,
                    column=column.name,
                )


def _apply_deferred(
    deferred: list[tuple[type[models.Model], models.Model, str, str, int]],
    pk_by_uid: dict[str, Any],
) -> None:
    by_model: dict[type[models.Model], dict[str, list[models.Model]]] = {}
    for model, obj, attname, text, number in deferred:
        if text not in pk_by_uid:
            raise ArchiveRejected(
                f"registreringen {text} finnes ikke i arkivet",
                file=file_name(model),
                row=number,
                column=attname.removesuffix("_id"),
            )
        setattr(obj, attname, pk_by_uid[text])
        by_model.setdefault(model, {}).setdefault(attname, []).append(obj)
    for model, fields_ in by_model.items():
        for attname, objs in fields_.items():
            model._default_manager.bulk_update(objs, [attname], batch_size=500)


def _ensure_organizations(rows: list[dict[str, str]]) -> list[str]:
    existing = set(
        Organization.objects.filter(name__in=[r["name"] for r in rows]).values_list(
            "name", flat=True
        )
    )
    municipalities = {
        _key_text((number, valid_from)): pk
        for pk, number, valid_from in Municipality.objects.values_list("pk", "number", "valid_from")
    }
    created = []
    for number, row in enumerate(rows, start=2):
        if row["name"] in existing:
            continue
        municipality = municipalities.get(row["municipality"]) if row["municipality"] else None
        if row["municipality"] and municipality is None:
            raise ArchiveRejected(
                f"Kommunen «{row['municipality']}» finnes ikke i denne databasen.",
                file=ORGANIZATIONS_FILE,
                row=number,
                column="municipality",
            )
        Organization.objects.create(
            name=row["name"],
            kind=row["kind"],
            organization_number=row["organization_number"],
            aliases=row["aliases"],
            municipality_id=municipality,
        )
        created.append(row["name"])
    return created


def _restore_users(
    contents: dict[str, list[dict[str, str]]], center: Center, report: ImportReport
) -> None:
    user_model: Any = _user_model()
    by_name = {
        u.get_username(): u
        for u in user_model.objects.filter(
            username__in=[r["username"] for r in contents[USERS_FILE]]
        )
    }
    for row in contents[USERS_FILE]:
        if row["username"] in by_name:
            report.users_linked.append(row["username"])
            continue
        account = user_model(
            username=row["username"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            is_active=row["is_active"] == "true",
        )
        account.set_unusable_password()  # they set a new one through «Glemt passord»
        account.save()
        by_name[row["username"]] = account
        report.users_created.append(row["username"])
    roles = {value for value, _label in Membership.Role.choices}
    for number, row in enumerate(contents[MEMBERS_FILE], start=2):
        if row["username"] not in by_name:
            raise ArchiveRejected(
                "Brukeren står ikke i users.csv.", file=MEMBERS_FILE, row=number, column="username"
            )
        if row["role"] not in roles:
            raise ArchiveRejected(
                f"Ukjent rolle «{row['role']}».", file=MEMBERS_FILE, row=number, column="role"
            )
        add_member(center=center, user=by_name[row["username"]], role=row["role"])

"""A centre's archive (``export``) read back in as a new centre, all or nothing.

``import_center`` checks the whole archive first (size, manifest, checksums, row
counts, format version, that every file is a table this installation knows, columns,
every reference) and then writes everything in one transaction, so a damaged or
unsuitable archive changes nothing. It refuses a centre slug that already exists.
Record ids (``uid``, UUID keys, link tokens) are kept unless they already exist in the
database (a copy next to the original), in which case every record gets new ones.
Rows are written by ``oppdrag.core.bulk.create_with_history``, as the importers
write theirs: one «created» history row each, by the importing user.

Accounts: a user name the installation does not have becomes a new account without a
password. An existing account of the same name gets the archived role only with
``grant_roles_to_existing`` (a name alone proves nothing about who owns it). Back-office
access (``is_staff``, ``is_superuser``) is never given from an archive.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import struct
import sys
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from oppdrag.core.bulk import create_with_history, uid_hex
from oppdrag.core.models import Center, Membership, Municipality, Organization
from oppdrag.core.services import add_member, create_center
from oppdrag.importing.zipguard import unpacked_size, unpacks_too_far

from .archived import archived_models, identity_fields, row_key_field
from .export import (
    CENTER_FILE,
    FORMAT,
    MANIFEST,
    MEMBERS_FILE,
    ORGANIZATIONS_FILE,
    READABLE_VERSIONS,
    USERS_FILE,
    Column,
    _key_text,
    _own_center,
    _shared_queryset,
    _user_model,
    columns_for,
    csv_dicts,
    decode,
    file_name,
    reference_keys,
)

# A zip bomb is refused before anything is unpacked (``importing/zipguard.py``: at most a
# hundred times the archive's own size), and never more than this.
MAX_UNPACKED = 5 * 1024**3

Contents = dict[str, list[dict[str, str]]]


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
    # Existing accounts of an archived member's name that got no role (no option given).
    users_not_linked: list[str] = field(default_factory=list)
    organizations_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- reading and checking the archive -----------------------------------------------
def _packed_size(source: IO[bytes] | str) -> int:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    position = source.tell()
    size = source.seek(0, io.SEEK_END)
    source.seek(position)
    return size


def _check_unpacked_size(archive: zipfile.ZipFile, packed: int) -> None:
    if unpacks_too_far(archive, packed, ceiling=MAX_UNPACKED):
        unpacked = unpacked_size(archive)
        raise ArchiveRejected(
            _(
                "Arkivet pakker seg ut til {unpacked} byte fra {packed} byte; det er mer enn "
                "en eksport fra Oppdrag kan være, og arkivet avvises uten å pakkes ut."
            ).format(unpacked=unpacked, packed=packed)
        )


def read_archive(source: IO[bytes] | str) -> tuple[dict[str, Any], Contents]:
    """Open and verify the archive; return the manifest and every file's rows."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRejected(f"Filen er ikke et lesbart ZIP-arkiv ({exc}).") from exc
    with archive:
        _check_unpacked_size(archive, _packed_size(source))
        manifest = _read_manifest(archive)
        names = set(archive.namelist())
        for name in sorted(names - set(manifest["files"]) - {MANIFEST}):
            raise ArchiveRejected("Filen står ikke i manifest.json.", file=name)
        escaped = manifest["format_version"] >= 3  # written with the apostrophes
        contents = {
            name: _read_file(archive, name, info, names, escaped=escaped)
            for name, info in sorted(manifest["files"].items())
        }
    entries_from_series(contents)
    drop_retired_columns(contents)
    return manifest, contents


# Columns an earlier version wrote that this one no longer keeps, by file: read and left
# out. Their models dropped a field; an archive that has them is otherwise the same.
RETIRED_COLUMNS = {
    # Who chose the key figures: the history's ``history_user`` now (a restored record's
    # history starts with the importing user).
    "figures.keyfigureselection.csv": ("changed_by",),
}


def drop_retired_columns(contents: Contents) -> None:
    """Leave out the columns of ``RETIRED_COLUMNS`` where an older archive has them."""
    for name, columns in RETIRED_COLUMNS.items():
        for row in contents.get(name, []):
            for column in columns:
                row.pop(column, None)


SERIES_FILE = "hours.timeseries.csv"
ENTRIES_FILE = "hours.timeentry.csv"


def entries_from_series(contents: Contents) -> None:
    """The time entries of an archive of version 2 or 3, packed per person and project
    (``hours.timeseries.csv``, the entries in base64), as the rows of
    ``hours.timeentry.csv`` this installation keeps: one per entry, with the series'
    person, project, import and timestamps and an id of its own."""
    series = contents.pop(SERIES_FILE, None)
    if series is None:
        return
    # As the series were packed: day of the year the period starts (0 = 1 January),
    # unit (day, ISO week, month, year), hours in hundredths.
    layout = struct.Struct("<HBi")
    rows = contents.setdefault(ENTRIES_FILE, [])
    for number, row in enumerate(series, start=2):
        try:
            first = dt.date(int(row["year"]), 1, 1)
            packed = layout.iter_unpack(base64.b64decode(row["entries"], validate=True))
            for day, unit, hundredths in packed:
                start = first + dt.timedelta(days=day)
                end = [
                    start,
                    start + dt.timedelta(days=6),
                    start.replace(day=calendar.monthrange(start.year, start.month)[1]),
                    dt.date(start.year, 12, 31),
                ][unit]
                rows.append(
                    {
                        **{k: row[k] for k in ("created_at", "updated_at", "person", "project")},
                        "batch": row["batch"],
                        "uid": str(uuid.uuid4()),
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "hours": str(Decimal(hundredths).scaleb(-2)),
                    }
                )
        except (KeyError, ValueError, IndexError, struct.error, binascii.Error) as exc:
            raise ArchiveRejected(
                f"Timeserien kan ikke pakkes ut ({exc}).", file=SERIES_FILE, row=number
            ) from exc


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    if MANIFEST not in archive.namelist():
        raise ArchiveRejected("Arkivet mangler manifest.json.", file=MANIFEST)
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
        raise ArchiveRejected(f"manifest.json kan ikke leses ({exc}).", file=MANIFEST) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRejected("Dette er ikke en eksport fra Oppdrag.", file=MANIFEST)
    if manifest.get("format_version") not in READABLE_VERSIONS:
        raise ArchiveRejected(
            f"Ukjent formatversjon {manifest.get('format_version')!r}; denne versjonen av "
            f"Oppdrag leser versjon {', '.join(map(str, READABLE_VERSIONS))}.",
            file=MANIFEST,
        )
    if not isinstance(manifest.get("files"), dict):
        raise ArchiveRejected("manifest.json mangler fillisten.", file=MANIFEST)
    return manifest


def _read_file(
    archive: zipfile.ZipFile, name: str, info: dict[str, Any], names: set[str], *, escaped: bool
) -> list[dict[str, str]]:
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
        rows = csv_dicts(data, escaped=escaped)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ArchiveRejected(f"Filen kan ikke leses som CSV ({exc}).", file=name) from exc
    if len(rows) != info.get("rows"):
        raise ArchiveRejected(
            f"Filen har {len(rows)} rader, men manifest.json sier {info.get('rows')}.",
            file=name,
        )
    return rows


def _check_tables(contents: Contents, tables: list[type[models.Model]]) -> None:
    """Every file names a table this installation knows: none is dropped unread."""
    known = {file_name(model) for model in tables}
    own = {CENTER_FILE, USERS_FILE, MEMBERS_FILE, ORGANIZATIONS_FILE}
    for name in sorted(set(contents) - known - own):
        raise ArchiveRejected(
            _(
                "Denne versjonen av Oppdrag kjenner ikke tabellen; arkivet er fra en nyere "
                "versjon. Oppdater Oppdrag før arkivet leses inn, så ingenting går tapt."
            ),
            file=name,
        )
    for name in sorted(own - set(contents)):
        raise ArchiveRejected("Filen mangler i arkivet.", file=name)
    for model in tables:
        # A model newer than the archive (not in its manifest) simply has no rows.
        contents.setdefault(file_name(model), [])
    if len(contents[CENTER_FILE]) != 1:
        raise ArchiveRejected("Filen skal ha nøyaktig én rad.", file=CENTER_FILE)


# --- the import ---------------------------------------------------------------------
def import_center(
    source: IO[bytes] | str,
    *,
    slug: str | None = None,
    user: Any = None,
    grant_roles_to_existing: bool = False,
) -> ImportReport:
    """Restore an archive as a new centre; ``ArchiveRejected`` changes nothing."""
    manifest, contents = read_archive(source)
    tables = archived_models()
    _check_tables(contents, tables)
    slug = slug or contents[CENTER_FILE][0]["slug"]
    if Center.objects.filter(slug=slug).exists():
        raise ArchiveRejected(
            f"Senteret «{slug}» finnes allerede i denne databasen; velg et annet kortnavn "
            "med --slug, eller slett senteret først."
        )
    with transaction.atomic(), _keep_timestamps(tables):
        report = _create_center(contents, slug)
        _restore_users(contents, report, grant_roles_to_existing)
        restorer = _Restorer(manifest, contents, report, tables, user)
        for model in _insert_order(tables):
            restorer.restore(model)
        restorer.apply_deferred()
    return report


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


def _has_generic_key(model: type[models.Model]) -> bool:
    return any(c.__class__.__name__ == "GenericForeignKey" for c in model._meta.private_fields)


def _insert_order(tables: list[type[models.Model]]) -> list[type[models.Model]]:
    """Tables ordered so every required reference to a record points backwards;
    tables with generic references (to any record) come last."""
    ordered: list[type[models.Model]] = []
    pending = sorted(tables, key=_has_generic_key)
    while pending:
        ready = next(
            (model for model in pending if _required_tables(model, tables) <= set(ordered)), None
        )
        if ready is None:  # pragma: no cover - a cycle of required references
            raise LookupError(f"cycle among {pending}")
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def _required_tables(model: type[models.Model], tables: list[type[models.Model]]) -> set[Any]:
    return {
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.related_model in tables
        and not f.null
        and f.related_model is not model
    }


def _create_center(contents: Contents, slug: str) -> ImportReport:
    center_row = contents[CENTER_FILE][0]
    organizations_created = _ensure_organizations(contents[ORGANIZATIONS_FILE])
    name = center_row["organization"]
    organization = (
        Organization.objects.filter(name=name, center__isnull=True).first() if name else None
    )
    center = create_center(
        slug=slug,
        name=center_row["name"],
        short_name=center_row["short_name"],
        organization=organization,
    )
    report = ImportReport(center=center, organizations_created=organizations_created)
    if name and organization is None:
        report.notes.append(
            f"Organisasjonen «{name}» hører allerede til et annet senter her; det nye "
            "senteret er ikke koblet til den."
        )
    return report


class _Restorer:
    """Writes the archive's tables one by one and remembers each row's new key."""

    def __init__(
        self,
        manifest: dict[str, Any],
        contents: Contents,
        report: ImportReport,
        tables: list[type[models.Model]],
        user: Any,
    ) -> None:
        self.manifest, self.contents, self.report = manifest, contents, report
        self.center, self.tables, self.user = report.center, tables, user
        self.lookups = {target: _lookup(target) for target in reference_keys()}
        # New keys by the archive's row keys, per table.
        self.keys: dict[type[models.Model], dict[str, Any]] = {}
        # References to rows not yet written: (table, new key, attname, target, text, row).
        self.deferred: list[tuple[type[models.Model], Any, str, Any, str, int]] = []
        report.new_uids = _identities_taken(contents, tables)
        # New ids, ascending in file order (version 7), so a copy keeps its files' order.
        self.fresh_uuids = uid_hex(sys.maxsize)
        self.identities: set[Any] = set()

    def restore(self, model: type[models.Model]) -> None:
        name = file_name(model)
        columns = columns_for(model, self.tables)
        rows = self.contents[name]
        _check_header(name, columns, rows)
        records: list[dict[str, Any]] = []
        row_keys: list[str] = []
        later: list[tuple[Any, ...]] = []
        skipped: list[str] = []
        key_field = row_key_field(model)
        self.identities = set(identity_fields(model))
        for number, row in enumerate(rows, start=2):
            values, pending, skip = self._values(name, columns, row, number)
            if skip:
                skipped.append(skip)
                continue
            later.extend((len(records), *item) for item in pending)
            records.append(values)
            row_keys.append(row.get(key_field, "") if key_field else str(number - 1))
        self._resolve_generic(name, columns, records)
        own = _own_center(model)
        fixed = {own: self.center} if own else None
        ids = create_with_history(model, records, fixed=fixed, user=self.user)
        self.keys[model] = dict(zip(row_keys, ids, strict=True))
        self.deferred.extend((model, ids[index], *rest) for index, *rest in later)
        self.report.rows[name] = len(ids)
        if skipped:
            self.report.notes.append(
                "{file}: {n} koblinger til sentre som ikke finnes her er utelatt ({slugs}).".format(
                    file=name, n=len(skipped), slugs=", ".join(sorted(set(skipped)))
                )
            )

    def _values(
        self, name: str, columns: list[Column], row: dict[str, str], number: int
    ) -> tuple[dict[str, Any], list[tuple[str, Any, str, int]], str]:
        """One row's values by field name, the references to write later, and the slug
        of a centre not here when the row links to one (the row is left out)."""
        values: dict[str, Any] = {}
        later: list[tuple[str, Any, str, int]] = []
        for column in columns:
            if column.name not in row:
                if column.field.has_default() or column.field.null:
                    continue
                raise ArchiveRejected("Kolonnen mangler.", file=name, column=column.name)
            text = row[column.name]
            try:
                value = self._cell(column, text)
            except (ValueError, TypeError, json.JSONDecodeError) as exc:
                raise ArchiveRejected(str(exc), file=name, row=number, column=column.name) from exc
            if isinstance(value, _Later):
                later.append((column.field.attname, column.target, text, number))
            elif isinstance(value, _OtherCenter):
                return values, later, text
            else:
                values[column.name] = value
        return values, later, ""

    def _cell(self, column: Column, text: str) -> Any:
        if column.kind == "record":
            return self._record(column, text)
        if column.kind == "reference":
            return self._reference(column, text)
        if column.kind == "generic":
            return text  # resolved once the row's content type is known
        if column.field in self.identities:
            return self._identity(column.field, text)
        return decode(text, column.field)

    def _identity(self, f: Any, text: str) -> Any:
        if not self.report.new_uids:
            return decode(text, f)
        if isinstance(f, models.UUIDField):
            return uuid.UUID(next(self.fresh_uuids))
        return f.get_default()

    def _record(self, column: Column, text: str) -> Any:
        if text == "":
            return _empty(column)
        target = column.target
        found = self.keys.get(target, {}).get(text)  # type: ignore[arg-type]
        if found is None:
            found = self.lookups.get(target, {}).get(text)  # type: ignore[arg-type]
        if found is not None:
            return found
        if column.field.null:
            return _Later()  # e.g. a parent later in the same table
        raise ValueError(f"registreringen {text} finnes ikke i arkivet")

    def _reference(self, column: Column, text: str) -> Any:
        target = column.target
        assert target is not None
        if text == "":
            return _empty(column)
        if target is Center and text == self.manifest.get("center"):
            return self.center.pk
        if target is Center and text not in self.lookups[Center]:
            return _OtherCenter()  # shared with a centre this installation does not have
        if text in self.lookups[target]:
            return self.lookups[target][text]
        raise ValueError(
            f"«{text}» finnes ikke i denne databasen ({target._meta.verbose_name}); last inn "
            "referansedata først (oppdrag load-reference-data)."
        )

    def _resolve_generic(
        self, name: str, columns: list[Column], records: list[dict[str, Any]]
    ) -> None:
        for column in (c for c in columns if c.kind == "generic"):
            kind = next(c.name for c in columns if c.target is ContentType)
            for number, values in enumerate(records, start=2):
                target = ContentType.objects.get_for_id(values[kind]).model_class()
                found = self.keys.get(target, {}).get(values[column.name])  # type: ignore[arg-type]
                if found is None:
                    raise ArchiveRejected(
                        f"registreringen {values[column.name]} finnes ikke i arkivet",
                        file=name,
                        row=number,
                        column=column.name,
                    )
                values[column.name] = found

    def apply_deferred(self) -> None:
        updates: dict[tuple[type[models.Model], str], list[models.Model]] = {}
        for model, pk, attname, target, text, number in self.deferred:
            found = self.keys.get(target, {}).get(text)
            if found is None:
                raise ArchiveRejected(
                    f"registreringen {text} finnes ikke i arkivet",
                    file=file_name(model),
                    row=number,
                    column=attname.removesuffix("_id"),
                )
            updates.setdefault((model, attname), []).append(model(pk=pk, **{attname: found}))
        for (model, attname), objects in updates.items():
            model._default_manager.bulk_update(objects, [attname], batch_size=500)


class _Later:
    """A reference to a row not written yet."""


class _OtherCenter:
    """A link to a centre this installation does not have."""


def _empty(column: Column) -> None:
    if not column.field.null:
        raise ValueError("verdien mangler")
    return None


def _lookup(target: type[models.Model]) -> dict[str, Any]:
    """Shared rows by reference key, one query."""
    keys = reference_keys()[target]
    return {
        _key_text(tuple(values[1:])): values[0]
        for values in _shared_queryset(target).values_list("pk", *keys)
    }


def _check_header(name: str, columns: list[Column], rows: list[dict[str, str]]) -> None:
    expected = {c.name for c in columns}
    header = set(rows[0]) if rows else expected
    for extra in sorted(header - expected):
        raise ArchiveRejected(
            "Ukjent kolonne for denne versjonen av Oppdrag.", file=name, column=extra
        )


def _identities_taken(contents: Contents, tables: list[type[models.Model]]) -> bool:
    """Whether any of the archive's ids or link tokens is in use here (a copy)."""
    for model in tables:
        rows = contents[file_name(model)]
        for f in identity_fields(model):
            values = [row[f.name] for row in rows if row.get(f.name)]
            if values and model._default_manager.filter(**{f"{f.name}__in": values}).exists():
                return True
    return False


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


def _restore_users(contents: Contents, report: ImportReport, grant_to_existing: bool) -> None:
    """New accounts for names not here (members, and those the records name); roles
    for the members, never back-office access."""
    user_model: Any = _user_model()
    rows = contents[USERS_FILE]
    existing = {
        u.get_username(): u
        for u in user_model.objects.filter(username__in=[r["username"] for r in rows])
    }
    accounts = dict(existing) if grant_to_existing else {}
    members = {row["username"] for row in contents[MEMBERS_FILE]}
    for row in rows:
        if row["username"] not in existing:
            accounts[row["username"]] = _new_account(user_model, row)
            report.users_created.append(row["username"])
        elif row["username"] in members:
            target = report.users_linked if grant_to_existing else report.users_not_linked
            target.append(row["username"])
    roles = {value for value, _label in Membership.Role.choices}
    for number, row in enumerate(contents[MEMBERS_FILE], start=2):
        if row["username"] not in accounts and row["username"] not in existing:
            raise ArchiveRejected(
                "Brukeren står ikke i users.csv.", file=MEMBERS_FILE, row=number, column="username"
            )
        if row["role"] not in roles:
            raise ArchiveRejected(
                f"Ukjent rolle «{row['role']}».", file=MEMBERS_FILE, row=number, column="role"
            )
        if row["username"] in accounts:
            add_member(
                center=report.center,
                user=accounts[row["username"]],
                role=row["role"],
                backoffice=False,
            )
    if any(row["role"] == Membership.Role.ADMIN for row in contents[MEMBERS_FILE]):
        report.notes.append(
            _(
                "Administratorer fra arkivet fikk ikke tilgang til administrasjonen "
                "(/admin/); den gir en superbruker her."
            )
        )


def _new_account(user_model: Any, row: dict[str, str]) -> Any:
    account = user_model(
        username=row["username"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        is_active=row["is_active"] == "true",
    )
    account.set_unusable_password()  # they set a new one through «Glemt passord»
    account.save()
    return account

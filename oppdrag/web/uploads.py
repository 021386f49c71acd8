"""Spreadsheet upload with a preview: check every row first, import only on confirmation.

The uploaded file is kept under ``VAR_DIR/uploads`` with a random name; the session
holds the token that points to it, so one user cannot confirm another's upload.
Files never confirmed are deleted after ``MAX_AGE``: on each new upload, and by
``oppdrag purge-uploads``.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from oppdrag.activities.duplicates import SIGNATURES, DuplicateIndex
from oppdrag.importing.base import ImportResult, Problem, Row
from oppdrag.importing.readers import FileRejected, read_rows

SESSION_KEY = "oppdrag:uploads"
PREVIEW_ROWS = 500
ALLOWED_SUFFIXES = {".csv", ".xlsx", ".txt"}
MAX_AGE = timedelta(hours=24)
# Problems listed above the preview; the rest are counted.
LISTED_PROBLEMS = 10


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(session: Any, upload: UploadedFile, *, center: str, kind: str, year: int) -> str:
    """Save the upload and remember it in the session; return its token."""
    purge()
    suffix = Path(upload.name or "").suffix.lower()
    token = secrets.token_urlsafe(16)
    path = upload_dir() / f"{token}{suffix if suffix in ALLOWED_SUFFIXES else '.bin'}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    uploads = session.get(SESSION_KEY, {})
    uploads[token] = {
        "path": str(path),
        "name": upload.name,
        "center": center,
        "kind": kind,
        "year": year,
    }
    session[SESSION_KEY] = uploads
    return token


def stored(session: Any, token: str, *, center: str, kind: str) -> dict[str, Any] | None:
    entry = session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["center"] != center or entry["kind"] != kind:
        return None
    return entry


def forget(session: Any, token: str) -> None:
    uploads = session.get(SESSION_KEY, {})
    entry = uploads.pop(token, None)
    session[SESSION_KEY] = uploads
    if entry:
        Path(entry["path"]).unlink(missing_ok=True)


def purge(max_age: timedelta = MAX_AGE) -> int:
    """Delete uploads older than ``max_age`` (previewed, never confirmed); return how many."""
    cutoff = time.time() - max_age.total_seconds()
    removed = 0
    for path in upload_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def listed_problems(result: ImportResult, name: str) -> tuple[list[Problem], int, int]:
    """The first problems, each naming the user's file instead of the stored one,
    how many more there are, and how many in all."""
    total = len(result.problems) + result.more_problems
    listed = [dataclasses.replace(p, file=name) for p in result.problems[:LISTED_PROBLEMS]]
    return listed, total - len(listed), total


@dataclass
class PreviewRow:
    number: int
    cells: tuple[str, ...]
    problems: list[Problem]
    duplicate: str = ""  # why the row is probably a record already registered


def duplicate_marks(model: Any, center: Any, year: int, rows: list[Row]) -> dict[int, str]:
    """Row number → why the row probably repeats a record the centre already has.

    The registry's rules (``activities.duplicates``, the report's duplicate checks
    turned around): the centre's records of the year are read once and each row is
    looked up, so the cost grows with the file and the year, not their product.
    """
    if model not in SIGNATURES or not rows:
        return {}
    index = DuplicateIndex(model, center, [year])
    signature = index.signature
    marks: dict[int, str] = {}
    for row in rows:
        found = index.find({**row.values, "year": year})
        if found:
            marks[row.number] = _duplicate_text(found[0], signature)
    return marks


def _duplicate_text(record: Any, signature: Any) -> str:
    details = []
    date = getattr(record, signature.date, None) if signature.date else None
    count = getattr(record, signature.count, None) if signature.count else None
    if date:
        details.append(date.strftime("%d.%m.%Y"))
    if count is not None:
        noun = _("besøk") if signature.count == "visits" else _("deltakere")
        details.append(f"{count} {noun}")
    text = _("Trolig registrert fra før: «{title}»").format(title=getattr(record, signature.title))
    return text + (f" ({', '.join(details)})" if details else "") + "."


def preview_rows(
    path: Path, result: ImportResult, duplicates: dict[int, str] | None = None
) -> tuple[list[str], list[PreviewRow], bool]:
    """The file's first rows with each row's problems, and duplicate mark, beside it."""
    by_row: dict[int, list[Problem]] = {}
    for problem in result.problems:
        if problem.row is not None:
            by_row.setdefault(problem.row, []).append(problem)
    header: list[str] = []
    rows: list[PreviewRow] = []
    truncated = False
    try:
        for raw in read_rows(
            path, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS
        ):
            if not header:
                header = list(raw.cells)
                continue
            if len(rows) >= PREVIEW_ROWS:
                truncated = True
                break
            rows.append(
                PreviewRow(
                    raw.number,
                    raw.cells,
                    by_row.get(raw.number, []),
                    (duplicates or {}).get(raw.number, ""),
                )
            )
    except FileRejected:
        pass  # the result already says why
    return header, rows, truncated

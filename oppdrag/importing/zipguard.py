"""Zip bombs: an archive whose files unpack to far more than the archive itself.

XLSX workbooks, DOCX grant letters and the centre's own archive are zip files. Their
sizes are read from the zip's directory before anything is unpacked, and a file whose
contents would be more than ``MAX_UNPACK_RATIO`` times its own size (with a small
allowance, since tiny files pack badly) is refused: XML and CSV pack 3–20 times, so a
hundred is generous for real files and nothing for a bomb, which packs a thousand times
or more. A fixed ceiling alone (the old rule) let a 50 MB upload unpack to 5 GB.
"""

from __future__ import annotations

import zipfile

MAX_UNPACK_RATIO = 100
UNPACK_ALLOWANCE = 10 * 1024 * 1024


def unpacked_size(archive: zipfile.ZipFile) -> int:
    return sum(info.file_size for info in archive.infolist())


def unpacks_too_far(archive: zipfile.ZipFile, packed: int, *, ceiling: int | None = None) -> bool:
    """Would ``archive``, ``packed`` bytes on disk, unpack to more than it may?"""
    unpacked = unpacked_size(archive)
    if ceiling is not None and unpacked > ceiling:
        return True
    return unpacked > MAX_UNPACK_RATIO * packed + UNPACK_ALLOWANCE

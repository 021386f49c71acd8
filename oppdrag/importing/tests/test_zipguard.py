"""Zip bombs are refused by the ratio of unpacked to packed size, in every zip reader."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from oppdrag.grants.extract import TextRejected, extract_bytes
from oppdrag.importing.readers import FileRejected, read_rows
from oppdrag.importing.zipguard import MAX_UNPACK_RATIO, UNPACK_ALLOWANCE, unpacks_too_far

# Far below the old fixed ceiling (5 GB) and the readers' own size limits, yet a
# thousand times the size of the file that carries it.
BOMB_BYTES = UNPACK_ALLOWANCE + 40 * 1024 * 1024


def bomb(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in members:
            archive.writestr(member, b"\0" * BOMB_BYTES)
    return buffer.getvalue()


def test_the_rule_is_a_ratio_to_the_packed_size():
    data = bomb("a.bin")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(data) < BOMB_BYTES / 500
        assert unpacks_too_far(archive, len(data))
        assert not unpacks_too_far(archive, BOMB_BYTES // MAX_UNPACK_RATIO)
        assert unpacks_too_far(archive, BOMB_BYTES, ceiling=BOMB_BYTES - 1)


def test_an_xlsx_that_unpacks_a_thousandfold_is_refused_before_it_is_read(tmp_path: Path):
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(bomb("xl/worksheets/sheet1.xml"))
    with pytest.raises(FileRejected, match="pakker seg ut til urimelig mye data"):
        list(read_rows(path, max_bytes=50 * 1024 * 1024, max_rows=1000))


def test_a_docx_letter_that_unpacks_a_thousandfold_is_refused():
    with pytest.raises(TextRejected, match="pakker seg ut til mistenkelig mye data"):
        extract_bytes(bomb("word/document.xml"), "brev.docx")

"""Fixtures for the grant-letter tests: the published 2026 letter (the seed), read at
test time from the reference documents (its prose is never copied into the repository;
tests that need it do not run without it), and the same letter as DOCX and PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.database_templates import file_lock


@pytest.fixture(scope="session")
def seed_path(reference_grant_letter) -> Path:
    return reference_grant_letter


@pytest.fixture(scope="session")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def converted(seed_path, tmp_path_factory, worker_id) -> dict[str, Path]:
    """The seed letter converted to DOCX and PDF by LibreOffice (Debian package
    libreoffice-writer-nogui). Fails, never skips, when LibreOffice is missing.

    Converted once per run: the tests only read the files, and the xdist workers share
    the directory above their own temporary directories (as the command tests' demo)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui"
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    directory = root / "converted-letter"
    with file_lock(root / "converted-letter.lock"):
        if not directory.exists():
            building = root / "converted-letter.building"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            convert(soffice, seed_path, building)
            building.rename(directory)
    result = {target: directory / f"tilskuddsbrev.{target}" for target in ("docx", "pdf")}
    for target, path in result.items():
        assert path.is_file(), f"LibreOffice made no {target}"
    return result


def convert(soffice: str, seed_path: Path, directory: Path) -> None:
    source = directory / "tilskuddsbrev.txt"
    shutil.copyfile(seed_path, source)
    for target in ("docx", "pdf"):
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{directory / 'profile'}",
                "--convert-to",
                target,
                "--outdir",
                str(directory),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )

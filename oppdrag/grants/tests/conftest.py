"""Fixtures for the grant-letter tests: the published 2026 letter (the seed), read at
test time from the reference documents (its prose is never copied into the repository;
tests that need it do not run without it), and the same letter as DOCX and PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def seed_path(reference_grant_letter) -> Path:
    return reference_grant_letter


@pytest.fixture(scope="session")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def converted(seed_path, tmp_path_factory) -> dict[str, Path]:
    """The seed letter converted to DOCX and PDF by LibreOffice (Debian package
    libreoffice-writer-nogui). Fails, never skips, when LibreOffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui"
    directory = tmp_path_factory.mktemp("converted")
    source = directory / "tilskuddsbrev.txt"
    shutil.copyfile(seed_path, source)
    result = {}
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
        path = directory / f"tilskuddsbrev.{target}"
        assert path.is_file(), f"LibreOffice made no {target}"
        result[target] = path
    return result

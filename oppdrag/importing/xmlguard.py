"""Refuse XML that declares a DTD, the way defusedxml does, before a parser reads it.

Pure Python (the standard library's expat only): no Django imports. Office files
(XLSX, DOCX) never carry a DTD; one that does is either broken or made to attack
the parser (entities that expand to gigabytes, or that read local files), and
python-docx's lxml hands declared entities on as nodes the readers do not expect.
Only the prolog is read: a DTD must come before the root element.
"""

from __future__ import annotations

import zipfile
from typing import IO
from xml.parsers import expat

_CHUNK = 64 * 1024


class XmlRefused(Exception):
    """The XML part cannot be read safely; ``reason`` says why, in Norwegian."""

    def __init__(self, part: str, reason: str):
        super().__init__(f"{part}: {reason}")
        self.part = part
        self.reason = reason


class _RootReached(Exception):
    pass


def check_prolog(stream: IO[bytes], part: str) -> None:
    """Raise ``XmlRefused`` if ``stream`` declares a DTD or is not XML up to its root."""
    parser = expat.ParserCreate()

    def doctype(*_args: object) -> None:
        raise XmlRefused(part, "den inneholder en DTD (<!DOCTYPE>), som ikke er tillatt")

    def root(*_args: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        return
    except expat.ExpatError as exc:
        raise XmlRefused(part, f"XML-en er ugyldig ({expat.ErrorString(exc.code)})") from exc
    raise XmlRefused(part, "den har ikke noe XML-innhold")


def check_archive(archive: zipfile.ZipFile) -> None:
    """``check_prolog`` for every XML part of an Office file (``.xml`` and ``.rels``)."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as stream:
                check_prolog(stream, info.filename)

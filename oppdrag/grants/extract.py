"""The text of a grant letter from a .txt, .md, .docx or .pdf file, or a clear refusal.

Pure Python (python-docx, pypdf and the standard library): no Django imports. The
file's content decides how it is read, not only its name, so a spreadsheet renamed
to .docx or an old binary Word file is refused with a message that says what it is.
Line numbers in the parser's source pointers refer to the text returned here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from oppdrag.importing.xmlguard import XmlRefused, check_archive
from oppdrag.importing.zipguard import unpacks_too_far

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_PDF_MAGIC = b"%PDF"
_HEADING_START_RE = re.compile(
    r"^(?:\d{1,2}\.(?:\d{1,2}\.?)*\s+[A-ZÆØÅ«\"]|[A-Z][.)]\s+[A-ZÆØÅ]|Vedlegg\b|Oppdrag \d)"
)
_BULLET_START_RE = re.compile(r"^\s*(?:[-–•*·▪◦]|\d{1,2}\))\s+")


class TextRejected(Exception):
    """The file cannot be read as a letter; the message says why, in Norwegian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ExtractedText:
    """The letter's text, what kind of file it came from, and any notes on the way."""

    text: str
    kind: str  # text, docx, pdf
    warnings: list[str] = field(default_factory=list)


def extract_text(path: Path, *, max_bytes: int = MAX_BYTES) -> ExtractedText:
    """Read ``path`` as a letter's text; raise ``TextRejected`` with the reason."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TextRejected(f"Fant ikke filen «{name}».") from exc
    if size == 0:
        raise TextRejected(f"Filen «{name}» er tom.")
    if size > max_bytes:
        raise TextRejected(
            f"Filen «{name}» er for stor ({size / 1024 / 1024:.1f} MB); "
            f"grensen er {max_bytes / 1024 / 1024:.0f} MB. Et tilskuddsbrev er sjelden "
            "over noen få MB."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TextRejected(f"Filen «{name}» kan ikke leses.") from exc
    return extract_bytes(data, name)


def extract_bytes(data: bytes, name: str) -> ExtractedText:
    """Read a letter from its bytes; ``name`` gives the suffix and the messages."""
    suffix = Path(name).suffix.lower()
    if not data:
        raise TextRejected(f"Filen «{name}» er tom.")
    if len(data) > MAX_BYTES:
        raise TextRejected(
            f"Filen «{name}» er for stor; grensen er {MAX_BYTES // 1024 // 1024} MB."
        )
    if data.startswith(_PDF_MAGIC):
        result = _pdf(data, name)
    elif data.startswith(_ZIP_MAGIC):
        result = _docx(data, name)
    elif data.startswith(_OLE_MAGIC):
        raise TextRejected(
            f"Filen «{name}» er i et gammelt Office-format (.doc eller .xls). "
            "Lagre brevet som .docx eller PDF og prøv igjen."
        )
    elif suffix in (".docx", ".pdf"):
        raise TextRejected(
            f"Filen «{name}» heter {suffix}, men innholdet er ikke et "
            f"{'Word-dokument' if suffix == '.docx' else 'PDF-dokument'}."
        )
    elif suffix in TEXT_SUFFIXES:
        result = _plain(data, name)
    else:
        raise TextRejected(
            f"Filen «{name}» har en filtype som ikke kan leses ({suffix}). "
            "Bruk .txt, .md, .docx eller .pdf."
        )
    if not result.text.strip():
        raise TextRejected(f"Fant ingen tekst i «{name}».")
    return result


def _plain(data: bytes, name: str) -> ExtractedText:
    if b"\x00" in data:
        raise TextRejected(f"Filen «{name}» ser ut til å være en binærfil, ikke tekst.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return ExtractedText(data.decode("utf-8"), "text")
    except UnicodeDecodeError:
        pass
    # Letters pasted together from several sources can mix UTF-8 and Windows-1252
    # (Latin-1) line by line; read each line in whichever it is.
    lines: list[str] = []
    latin = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(raw.decode("cp1252"))
            except UnicodeDecodeError as exc:
                raise TextRejected(
                    f"Linje {number} i «{name}» har tegn som verken er UTF-8 eller "
                    "Windows-1252. Lagre filen som UTF-8 og prøv igjen."
                ) from exc
            latin += 1
    warning = (
        f"{latin} linje(r) var ikke UTF-8 og er lest som Windows-1252 (Latin-1). Se over æ, ø og å."
    )
    return ExtractedText("\n".join(lines), "text", [warning])


def _docx(data: bytes, name: str) -> ExtractedText:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            too_far = unpacks_too_far(archive, len(data))
    except zipfile.BadZipFile as exc:
        raise TextRejected(f"Filen «{name}» er en ødelagt zip-fil og kan ikke leses.") from exc
    if "word/document.xml" not in names:
        if any(n.startswith("xl/") for n in names):
            what = "et regneark (Excel)"
        elif any(n.startswith("ppt/") for n in names):
            what = "en presentasjon (PowerPoint)"
        elif "content.xml" in names:
            what = "et OpenDocument-dokument (.odt/.ods)"
        else:
            what = "en zip-fil"
        raise TextRejected(
            f"Filen «{name}» er {what}, ikke et Word-dokument. Last opp brevet som "
            ".docx, PDF eller tekst."
        )
    if too_far:
        raise TextRejected(f"Filen «{name}» pakker seg ut til mistenkelig mye data.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
    except XmlRefused as exc:
        raise TextRejected(
            f"Word-dokumentet «{name}» kan ikke leses: delen {exc.part} – {exc.reason}."
        ) from exc
    import docx  # python-docx; imported here so text and PDF work without it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise TextRejected(f"Word-dokumentet «{name}» er ødelagt og kan ikke leses.") from exc
    paragraphs: list[str] = []
    body = document.element.body
    # Named tags only: comments and processing instructions are nodes too.
    for child in body.iterchildren("{*}p", "{*}tbl"):
        if child.tag.endswith("}p"):
            paragraphs.append(_docx_paragraph(child))
        else:
            for row in child.iter("{*}tr"):
                cells = [
                    "".join(t.text or "" for t in cell.iter("{*}t")) for cell in row.iter("{*}tc")
                ]
                paragraphs.append(" | ".join(c.strip() for c in cells if c.strip()))
    # Each Word paragraph is a paragraph of the letter: a blank line between them
    # lets the parser tell a one-line heading from running text.
    text = "\n\n".join(p for p in paragraphs if p.strip())
    return ExtractedText(text, "docx")


def _docx_paragraph(element) -> str:  # type: ignore[no-untyped-def]
    text = "".join(
        node.text or ("\n" if node.tag.endswith("}br") else "")
        for node in element.iter("{*}t", "{*}br", "{*}tab")
    )
    text = text.replace("\n", " ").strip()
    properties = element.find("{*}pPr")
    is_list = properties is not None and properties.find("{*}numPr") is not None
    if is_list and text and not _BULLET_START_RE.match(text):
        text = "- " + text
    return text


def _pdf(data: bytes, name: str) -> ExtractedText:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise TextRejected(f"PDF-en «{name}» er passordbeskyttet. Last opp en ulåst kopi.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except TextRejected:
        raise
    except Exception as exc:  # pypdf raises many kinds on a broken file
        raise TextRejected(f"PDF-en «{name}» er ødelagt og kan ikke leses.") from exc
    if not any(page.strip() for page in pages):
        raise TextRejected(
            f"PDF-en «{name}» har ikke noe tekstlag (den er trolig skannet). Last opp "
            "originalen som Word eller PDF med tekst, eller kjør tekstgjenkjenning (OCR) først."
        )
    return ExtractedText(reflow("\n".join(pages)), "pdf")


def reflow(text: str) -> str:
    """Join the lines a PDF wrapped back into paragraphs, one paragraph per line and a
    blank line between them, so headings and bullets stand on their own lines.

    pypdf ends a soft-wrapped line with a space; a line that fills the width
    without one is joined too unless it ends a sentence or the next line starts
    a heading or a bullet.
    """
    lines = text.split("\n")
    widest = max((len(line.rstrip()) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if current:
            hyphenated = re.search(r"\w-$", current) and not previous.endswith(" ")
            current = current + stripped if hyphenated else current + " " + stripped
        else:
            current = stripped
        previous = line
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if not following:
            continue
        if _joins(line, following, widest) or current.count("[") > current.count("]"):
            continue
        paragraphs.append(current)
        current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _joins(line: str, following: str, widest: int) -> bool:
    if _BULLET_START_RE.match(following):
        return False
    if line.endswith(" "):
        return True
    stripped = line.strip()
    if _HEADING_START_RE.match(stripped) and not _HEADING_START_RE.match(following):
        # A heading that fills the line is still a heading.
        return len(stripped) >= widest * 0.97 and following[:1].islower()
    if _HEADING_START_RE.match(following):
        return False
    if stripped.endswith((".", ":", "!", "?")):
        return False
    # Without pypdf's trailing space, only a continuation that cannot start a
    # sentence or a heading (lower case, a digit, a bracket) is joined.
    return following[:1].islower() or following[:1].isdigit() or following[:1] in '(«"'

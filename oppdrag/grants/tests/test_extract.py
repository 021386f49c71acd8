"""Reading a letter's text from its file, and the refusals of files that are not letters."""

from __future__ import annotations

import io

import openpyxl
import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oppdrag.grants.extract import MAX_BYTES, TextRejected, extract_bytes, extract_text, reflow
from oppdrag.grants.letter_parser import parse_letter

from . import letters


def outline(draft):
    def node(n):
        return (n.full_number, n.title, len(n.deliverables), [node(c) for c in n.children])

    return [node(n) for n in draft.assignments]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_seed_letter_as_docx_and_pdf_parses_like_the_text(kind, converted, seed_text):
    expected = parse_letter(seed_text)
    extracted = extract_text(converted[kind])
    assert extracted.kind == kind
    draft = parse_letter(extracted.text)
    assert outline(draft) == outline(expected)
    assert draft.amount_nok == 45_500_000
    assert [(b.chapter, b.post) for b in draft.budget_lines] == [("765", "74")]
    assert [(d.kind, d.date, d.period_start, d.assignment) for d in draft.dates] == [
        (d.kind, d.date, d.period_start, d.assignment) for d in expected.dates
    ]
    assert [m.group for m in draft.materials] == [m.group for m in expected.materials]
    lines = extracted.text.split("\n")
    for node in draft.all_assignments():
        assert node.title in lines[node.source_start_line - 1]


def test_markdown_and_text_are_read_as_they_are(tmp_path):
    path = letters.write(tmp_path, name="brev.md")
    assert extract_text(path).text == letters.DECIMAL_ZERO


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "brev.txt"
    path.write_bytes(b"")
    with pytest.raises(TextRejected, match="er tom"):
        extract_text(path)


def test_it_refuses_a_scanned_pdf_without_a_text_layer(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "skannet.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(TextRejected, match="ikke noe tekstlag"):
        extract_text(path)


def test_it_refuses_a_spreadsheet_renamed_to_docx(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nummer", "Tittel"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "brev.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(TextRejected, match=r"regneark \(Excel\), ikke et Word-dokument"):
        extract_text(path)


def test_it_refuses_a_file_over_fifty_megabytes_without_reading_it(tmp_path):
    path = tmp_path / "stor.pdf"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no 50 MB written to disk
    with pytest.raises(TextRejected, match="for stor"):
        extract_text(path)


def test_it_reads_mixed_encodings_line_by_line_and_says_so(tmp_path):
    path = tmp_path / "brev.txt"
    path.write_bytes("2.1 Første oppdrag\n".encode() + "Pårørende og brukere\n".encode("cp1252"))
    extracted = extract_text(path)
    assert extracted.text.split("\n")[:2] == ["2.1 Første oppdrag", "Pårørende og brukere"]
    assert "Windows-1252" in extracted.warnings[0]


def test_it_refuses_undecodable_bytes_naming_the_line(tmp_path):
    path = tmp_path / "brev.txt"
    path.write_bytes(b"2.1 Oppdrag\nlinje med \x81\x8d\n")
    with pytest.raises(TextRejected, match="Linje 2"):
        extract_text(path)


def test_it_refuses_binary_files_and_old_office_formats(tmp_path):
    with pytest.raises(TextRejected, match="binærfil"):
        extract_bytes(b"abc\x00def", "brev.txt")
    with pytest.raises(TextRejected, match="gammelt Office-format"):
        extract_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "brev.docx")
    with pytest.raises(TextRejected, match="ikke et PDF-dokument"):
        extract_bytes(b"bare tekst", "brev.pdf")
    with pytest.raises(TextRejected, match="ødelagt"):
        extract_bytes(b"%PDF-1.4\n garbage", "brev.pdf")
    with pytest.raises(TextRejected, match="filtype"):
        extract_bytes(b"tekst", "brev.odt")


def test_reflow_joins_soft_wraps_and_keeps_headings_and_bullets_apart():
    text = (
        "2.1 Kurs\nSenteret skal holde \nkurs for alle.\n- ett kurs \ni hver region\n- ett webinar"
    )
    assert reflow(text).split("\n\n") == [
        "2.1 Kurs",
        "Senteret skal holde kurs for alle.",
        "- ett kurs i hver region",
        "- ett webinar",
    ]


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=500).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    ),
    name=st.sampled_from(["brev.txt", "brev.md", "brev.docx", "brev.pdf", "brev"]),
)
def test_any_bytes_give_text_or_a_clear_refusal(data, name):
    try:
        result = extract_bytes(data, name)
    except TextRejected as exc:
        assert exc.message
    else:
        assert result.text.strip()


def docx_letter(edit=lambda xml: xml) -> bytes:
    """A two-paragraph letter as DOCX, its document.xml rewritten by ``edit``."""
    import re
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("Tilskuddsbrev for 2026")
    document.add_paragraph("Oppdrag PLASS her")
    built = io.BytesIO()
    document.save(built)
    with zipfile.ZipFile(built) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = edit(parts["word/document.xml"].decode())
    parts["word/document.xml"] = re.sub(r"PLASS", "", xml).encode()
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return result.getvalue()


def with_entity(xml: str) -> str:
    doctype = '<!DOCTYPE w:document [<!ENTITY brev "tilskuddsbrev">]>'
    return xml.replace("?>", "?>" + doctype, 1).replace("PLASS", "&brev;")


def test_it_refuses_a_docx_letter_that_declares_an_xml_entity():
    with pytest.raises(TextRejected) as info:
        extract_bytes(docx_letter(with_entity), "brev.docx")
    assert info.value.message == (
        "Word-dokumentet «brev.docx» kan ikke leses: delen word/document.xml – den "
        "inneholder en DTD (<!DOCTYPE>), som ikke er tillatt."
    )


def test_comments_in_a_docx_letter_are_passed_over():
    data = docx_letter(lambda xml: xml.replace("<w:r>", "<!-- merknad --><w:r>", 1))
    assert extract_bytes(data, "brev.docx").text == "Tilskuddsbrev for 2026\n\nOppdrag  her"

"""Every format rendered from the demo and read back."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from oppdrag.reports.builder import build_report
from oppdrag.reports.renderers import RENDERERS

EVENT_COLUMNS = [
    "Tema",
    "Hva",
    "Antall deltakere",
    "Nasjonal/regional",
    "Deltakere",
    "Arrangører",
    "Fysisk/digital",
]


@pytest.fixture
def report(demo):
    return build_report(demo, 2025)


def outline_titles(items):
    for item in items:
        if isinstance(item, list):
            yield from outline_titles(item)
        else:
            yield item.title


def render(report, identifier):
    return RENDERERS[identifier].render(report)


def test_the_json_is_the_report_tree_with_appendix_1_as_published(report):
    name, mimetype, data = render(report, "json")
    assert name == "arsrapport-napha-2025.json" and mimetype == "application/json"
    tree = json.loads(data)
    appendix = next(s for s in tree["sections"] if s["number"] == "Vedlegg 1")
    events = appendix["blocks"][0]
    assert events["type"] == "table"
    assert events["columns"] == EVENT_COLUMNS
    assert len(events["rows"]) == 128
    assert events["rows"][0][:3] == ["ACT/FACT voksen", "Samling med statsforvalterne", 20]
    chapter3 = next(s for s in tree["sections"] if s["number"] == "3")
    assert chapter3["sections"][0]["sections"][0]["number"] == "3.1.1"
    focus_b = next(s for s in tree["sections"] if s["number"] == "2")["sections"][1]
    figure = next(b for b in focus_b["blocks"] if b["type"] == "figure")
    assert figure["labels"] and figure["series"][0]["values"]
    assert {f["code"] for f in tree["findings"]} >= {"probable_duplicate", "published_mismatch"}


def test_html_and_json_are_byte_identical_for_the_same_data(demo):
    first = build_report(demo, 2025)
    second = build_report(demo, 2025)
    assert render(first, "json")[2] == render(second, "json")[2]
    assert render(first, "html")[2] == render(second, "html")[2]


def test_the_html_is_one_accessible_page(report):
    with translation.override("en"):  # rendering is in Norwegian whatever the caller's language
        _name, mimetype, data = render(report, "html")
    html = data.decode()
    assert mimetype.startswith("text/html")
    assert '<html lang="nb">' in html
    assert '<a class="skip" href="#main">Hopp til innholdet</a>' in html
    assert '<main id="main">' in html
    assert "<h1>Årsrapport 2025</h1>" in html
    assert '<h2 id="s-overall-h">1 Overordnet vurdering</h2>' in html
    assert ">3.1.1 ACT-, FACT- og FACT ung-modellene</h4>" in html
    assert '<th scope="col">Tema</th>' in html
    assert '<th scope="col" class="num">Antall deltakere</th>' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    assert '<a href="#s-appendix-events">vedlegg 1</a>' in html
    assert "Åpne funn i datakvalitetskontrollen" in html


def test_the_docx_has_real_headings_tables_a_toc_page_numbers_and_alt_text(report):
    from docx import Document

    _name, _mimetype, data = render(report, "docx")
    document = Document(io.BytesIO(data))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "1 Overordnet vurdering") in headings
    assert ("Heading 2", "a) Formidling") in headings
    assert ("Heading 3", "3.1.1 ACT-, FACT- og FACT ung-modellene") in headings
    assert (
        "Heading 1",
        "Vedlegg 1: Arrangement: NAPHA som arrangør/medarrangør i 2025",
    ) in headings
    events = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == EVENT_COLUMNS)
    assert len(events.rows) == 129
    assert events.rows[1].cells[2].text == "20"
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'TOC \\o "1-3"' in xml
    assert '<w:tblHeader w:val="true"/>' in xml
    assert xml.count("descr=") == 2 and "Stolpediagram" in xml
    footer = "".join(
        zipfile.ZipFile(io.BytesIO(data)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if n.startswith("word/footer")
    )
    assert "PAGE" in footer


def test_the_docx_opens_in_libreoffice(report, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice is needed for this test: apt-get install -y libreoffice-writer-nogui"
        )
    _name, _mimetype, data = render(report, "docx")
    source = tmp_path / "rapport.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    converted = tmp_path / "rapport.pdf"
    assert converted.exists()
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(converted).pages[:12])
    assert "Overordnet vurdering" in text


def test_the_pdf_is_a4_with_bookmarks_embedded_fonts_and_extractable_text(report):
    from pypdf import PdfReader

    _name, mimetype, data = render(report, "pdf")
    assert mimetype == "application/pdf"
    pdf = PdfReader(io.BytesIO(data))
    first = pdf.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "1 Overordnet vurdering" in text
    assert "3.1.1 ACT-, FACT- og FACT ung-modellene" in text
    assert "Vedlegg 1: Arrangement" in text
    assert "Samling med statsforvalterne" in text and "1400" in text
    assert "Lanseringswebinar nasjonale faglige råd" in text
    titles = list(outline_titles(pdf.outline))
    assert "1 Overordnet vurdering" in titles
    assert any(t.startswith("Vedlegg 9") for t in titles)
    fonts: list[Any] = []
    for page in pdf.pages[:3]:
        resources: Any = page["/Resources"]
        fonts.extend(font.get_object() for font in (resources.get("/Font") or {}).values())
    descriptors = [
        (f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f)["/FontDescriptor"]
        for f in fonts
    ]
    assert descriptors
    assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d) for d in descriptors)
    root: Any = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root


def test_the_report_command_writes_the_chosen_format(demo, tmp_path):
    out = tmp_path / "rapport.json"
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "report",
        "2025",
        "--center",
        "napha",
        "--format",
        "json",
        "--out",
        str(out),
        stdout=stdout,
        stderr=stderr,
    )
    assert json.loads(out.read_text())["year"] == 2025
    assert "åpne funn" in stderr.getvalue()


def test_the_report_command_refuses_an_unknown_centre(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ukjent senter"):
        call_command("report", "2025", "--center", "finnes-ikke", "--format", "json")


def test_a_negative_difference_is_written_with_a_minus_sign(report):
    # 130 events published for 2025 against the 128 registered in the demo, in a table of
    # differences (the publication itself no longer prints one; the renderers still must).
    from docx import Document

    from oppdrag.reports import tree as t

    report.section("key-figures").blocks.append(
        t.Table(
            caption="Publisert og registrert",
            columns=["Tall", "Publisert", "Registrert", "Differanse"],
            rows=[["Arrangementer", 130, 128, -2]],
        )
    )
    _name, _mimetype, html = render(report, "html")
    text = html.decode()
    assert '<th scope="row">Arrangementer</th><td class="num">130</td>' in text
    assert '<td class="num">128</td><td class="num">\u22122</td>' in text
    assert not re.search(r'class="num">-\d', text), "a hyphen-minus before a number"
    _name, _mimetype, data = render(report, "docx")
    table = next(
        t for t in Document(io.BytesIO(data)).tables if t.rows[0].cells[-1].text == "Differanse"
    )
    events = next(row for row in table.rows if row.cells[0].text == "Arrangementer")
    assert [cell.text for cell in events.cells] == ["Arrangementer", "130", "128", "\u22122"]


# The demo's appendices as built before they became a table of specifications.
PRESENTATIONS_NOTE = "Registrert i NVA per {today}."
APPENDIX_OUTLINE = [
    (
        "appendix:events",
        "Vedlegg 1",
        "Arrangement: NAPHA som arrangør/medarrangør i 2025",
        [
            (
                "table",
                "appendix-events",
                "Arrangementer 2025",
                [
                    "Tema",
                    "Hva",
                    "Antall deltakere",
                    "Nasjonal/regional",
                    "Deltakere",
                    "Arrangører",
                    "Fysisk/digital",
                ],
                128,
                "NAPHA har arrangert alene, eller som medarrangør med betydelig bidrag i "
                "planlegging, innhold og gjennomføring. Arrangører med forkortet navn: NAPHA: "
                "Nasjonalt kompetansesenter for psykisk helsearbeid.",
                "",
                [
                    "ACT/FACT voksen",
                    "Samling med statsforvalterne",
                    20,
                    "Nasjonal",
                    "Statsforvaltere, regionale koordinatører",
                    "Helsedirektoratet, NAPHA",
                    "Fysisk",
                ],
            )
        ],
    ),
    (
        "appendix:presentations",
        "Vedlegg 2",
        "Presentasjoner 2025",
        [
            (
                "table",
                "appendix-presentations",
                "Presentasjoner 2025",
                ["Tittel", "Publiseringsdato", "Type", "Bidragsyter"],
                133,
                PRESENTATIONS_NOTE,  # the day the demo was loaded, filled in by the test
                "",
                [
                    "Lanseringswebinar nasjonale faglige råd for bruker- og pårørendemedvirkning "
                    "i rus- og psykisk helsefeltet",
                    "30.04.2025",
                    "Annen presentasjon",
                    "Elin Sivertsen",
                ],
            )
        ],
    ),
    (
        "appendix:op-eds",
        "Vedlegg 3",
        "Kronikker og leserinnlegg 2025",
        [
            (
                "table",
                "appendix-op-eds",
                "Kronikker og leserinnlegg 2025",
                ["Forfattere", "Tittel", "Type", "Kanal", "Dato", "Lenke"],
                4,
                "",
                "",
                [
                    "Gretha Evensen; Thomas Haug",
                    "FACT er ikke et spesialisthelsetjeneste-team på hjul",
                    "kronikk",
                    "Kommunal Rapport",
                    "21.05.2025",
                    "https://www.kommunal-rapport.no/meninger/fact-er-ikke-et-spesialisthelsetjeneste-team-pa-hjul/814897",
                ],
            )
        ],
    ),
    (
        "appendix:consultations",
        "Vedlegg 4",
        "Høringsinnspill fra NAPHA 2025",
        [
            (
                "table",
                "appendix-consultations",
                "Høringsinnspill 2025",
                ["Dato", "Tittel", "Lenke"],
                10,
                "",
                "",
                [
                    "19.12.2025",
                    "Høringsinnspill fra NAPHA - NOU 2025: 8 Folkehelse – verdier, kunnskap og "
                    "prioritering",
                    "",
                ],
            )
        ],
    ),
    (
        "appendix:products",
        "Vedlegg 5",
        "Produkter 2025",
        [
            (
                "table",
                "appendix-products-1",
                "Antologi",
                ["Tittel", "Bidragsytere", "Lenke"],
                2,
                "",
                "",
                [
                    "Å sette farger på livet. Samspill og deltakelse i psykisk helse- og "
                    "rusarbeid. 2. utgave",
                    "Arve Almvik, Lisbet Borge",
                    "https://api.nva.unit.no/publication/019975353eb8-d10805a8-a38a-4139-b7a2-41bf3bcc806a",
                ],
            ),
            (
                "table",
                "appendix-products-2",
                "Innledning i antologi",
                ["Tittel", "Bidragsytere", "Lenke"],
                1,
                "",
                "",
                [
                    "Innledning",
                    "Arve Almvik, Lisbet Borge",
                    "https://api.nva.unit.no/publication/0199cdebd28f-138abc3f-8dcf-40d4-a83c-abd2da4f724e",
                ],
            ),
            (
                "table",
                "appendix-products-3",
                "Faglig kapittel",
                ["Tittel", "Bidragsytere", "Lenke"],
                1,
                "",
                "",
                [
                    "Fact-team kan gjøre en forskjell for personer som har omfattende behov for "
                    "tjenester",
                    "Kristin Trane, Trond Hatling",
                    "https://api.nva.unit.no/publication/019b369551b1-5f8757e2-05f0-4bf3-a9e4-88fc16461dbf",
                ],
            ),
            (
                "table",
                "appendix-products-4",
                "Forskningsrapport",
                ["Tittel", "Bidragsytere", "Lenke"],
                1,
                "",
                "",
                [
                    "ABC for god psykisk helse – en litteraturanalyse av implementeringserfaringer",
                    "Tanja Plasil, Julie Marit Garmo Granlund, Gudveig Gjørund, Martin Inge "
                    "Standal",
                    "https://api.nva.unit.no/publication/019b2269c52d-fddbb09d-667a-4bd5-9ce1-1e7fdc56a386",
                ],
            ),
            (
                "table",
                "appendix-products-5",
                "Rapport",
                ["Tittel", "Bidragsytere", "Lenke"],
                1,
                "",
                "",
                [
                    "Bidragsyter til OECD Mental Health Promotion and Prevention Best Practices "
                    "in Public Health 2025",
                    "Trond Vegart Asmussen, Espen Hasselgreen",
                    "https://api.nva.unit.no/publication/019bfa9850b3-fd2d9191-40e1-4f22-8e81-bcbe7212e017",
                ],
            ),
            (
                "table",
                "appendix-products-6",
                "Vitenskapelig artikkel",
                ["Tittel", "Bidragsytere", "Lenke"],
                1,
                "",
                "",
                [
                    "Can primary mental health services impact levels of involuntary admissions? "
                    "A cluster-RCT of the ReCoN intervention",
                    "Jorun Rugkåsa, Olav Nytingnes, Jurate Saltyte Benth, Tonje Lossius Husum, "
                    "Solveig Helene Høymork Kjus, Irene Wormdahl, Tore Hofstad, Trond Hatling",
                    "https://api.nva.unit.no/publication/0198cc4b31b3-2a987b5a-6bdf-4da9-a3b8-307cadd3833e",
                ],
            ),
        ],
    ),
    (
        "appendix:media",
        "Vedlegg 6",
        "NAPHA i medier 2025",
        [
            (
                "table",
                "appendix-media",
                "Medieoppslag 2025",
                ["Person", "Rolle", "Tittel", "Medium", "Dato", "Lenke"],
                9,
                "",
                "",
                [
                    "Petter Dahle",
                    "intervjuobjekt",
                    "I blokka ingen vil bo.",
                    "Bladet",
                    "25.10.2025",
                    "https://www.bladet.no/nyheter/i/8qeMr2/i-blokka-ingen-vil-bo",
                ],
            )
        ],
    ),
    (
        "appendix:hours",
        "Vedlegg 7",
        "NAPHAs timeressurser i 2025 fordelt på prosjekt/aktivitet",
        [
            (
                "table",
                "appendix-hours",
                "Timer fordelt på prosjekt/aktivitet 2025",
                [],
                0,
                "",
                "Ingen timer er registrert for 2025 ennå.",
                None,
            )
        ],
    ),
    (
        "appendix:staff",
        "Vedlegg 8",
        "Årsverk 2025",
        [
            (
                "table",
                "appendix-staff",
                "Årsverk 2025",
                [],
                0,
                "",
                "Ingen ansatte eller årsverk er registrert for 2025 ennå.",
                None,
            ),
            (
                "table",
                "appendix-external-staff",
                "Samarbeid i 2025 med ansatte i andre avdelinger",
                [],
                0,
                "",
                "Ingen timer fra eksterne samarbeidspartnere er registrert for 2025.",
                None,
            ),
        ],
    ),
    (
        "appendix:groups",
        "Vedlegg 9",
        "Eksterne arbeids-, referanse- og ressursgrupper",
        [
            (
                "table",
                "appendix-groups",
                "Eksterne arbeids-, referanse- og ressursgrupper",
                ["Navn"],
                62,
                "",
                "",
                ["Arbeidsgruppe Arendalsuka RPH"],
            )
        ],
    ),
    (
        "appendix:questionnaire",
        "",
        "Målgrupper og annen måloppnåelse – samlet oppsummert vurdering",
        [
            (
                "table",
                "appendix-questionnaire",
                "Samlet oppsummert vurdering",
                ["Spørsmål", "Samlet og oppsummert vurdering"],
                8,
                "",
                "",
                [
                    "Har alle deler av målgruppene for tilskuddsordningen blitt nådd?",
                    "[Ikke besvart ennå.]",
                ],
            )
        ],
    ),
]


def block_outline(block: dict[str, Any]) -> tuple[Any, ...]:
    rows = block.get("rows") or [None]
    return (
        *(block["type"], block["key"], block["caption"], block.get("columns")),
        *(len(block.get("rows") or []), block.get("footnote"), block.get("empty_text"), rows[0]),
    )


def appendix_outline(tree: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Per appendix: its heading and, per block, what the appendix table defines."""
    return [
        (
            s["key"],
            s["number"],
            s["title"],
            [block_outline(b) for b in s["blocks"]],
        )
        for s in tree["sections"]
        if s["key"].startswith("appendix:")
    ]


def test_the_appendices_keep_their_titles_tables_and_rows(report):
    from django.utils import timezone

    tree = json.loads(render(report, "json")[2])
    note = PRESENTATIONS_NOTE.format(today=timezone.localdate().strftime("%d.%m.%Y"))
    expected = json.loads(json.dumps(APPENDIX_OUTLINE).replace(PRESENTATIONS_NOTE, note))
    assert json.loads(json.dumps(appendix_outline(tree))) == expected


def pdf_words(
    data: bytes, tmp_path
) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """Every word of the PDF with its page number, page size and box, read by pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (Debian's poppler-utils) is needed to read word boxes")
    source = tmp_path / "rapport.pdf"
    source.write_bytes(data)
    boxes = tmp_path / "boxes.html"
    subprocess.run(["pdftotext", "-bbox", str(source), str(boxes)], check=True)
    words = []
    page_pattern = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
    word_pattern = re.compile(
        r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>'
    )
    for number, page in enumerate(page_pattern.finditer(boxes.read_text()), start=1):
        width, height = float(page.group(1)), float(page.group(2))
        for word in word_pattern.finditer(page.group(3)):
            x0, y0, x1, y1 = (float(v) for v in word.groups()[:4])
            words.append((number, width, height, x0, y0, x1, y1, word.group(5)))
    return words


def test_every_word_of_the_pdf_lies_inside_its_page(report, tmp_path):
    _name, _mimetype, data = render(report, "pdf")
    words = pdf_words(data, tmp_path)
    assert len(words) > 5000
    outside = [w for w in words if w[3] < 0 or w[4] < 0 or w[5] > w[1] or w[6] > w[2]]
    assert outside == []
    # The events appendix is set on landscape pages (wider than high), heading and all,
    # and every column of it, the last included, is printed.
    pages = {w[0]: w[1:3] for w in words}
    heading = next(w[0] for w in words if w[7] == "Arrangement:" and w[0] > 5)
    width, height = pages[heading]
    assert width > height
    on_page = " ".join(w[7] for w in words if w[0] == heading)
    assert "Fysisk/" in on_page and "Arrangører" in on_page
    # A table's caption is never left alone at the foot of a page, its table on the next:
    # the last line above the page number is never «Tabell N: …».
    orphans = []
    for number in pages:
        lines: dict[int, list[str]] = {}
        for w in words:
            if w[0] == number:
                lines.setdefault(round(w[4]), []).append(w[7])
        if len(lines) >= 2:
            above_number = " ".join(lines[sorted(lines)[-2]])
            if re.match(r"Tabell \d+:", above_number):
                orphans.append((number, above_number))
    assert orphans == []


def test_the_pdf_table_of_contents_gives_page_numbers(report, tmp_path):
    from pypdf import PdfReader

    _name, _mimetype, data = render(report, "pdf")
    reader = PdfReader(io.BytesIO(data))
    contents = reader.pages[1].extract_text()
    assert "Innhold" in contents
    # "3.1.1 ACT-, FACT- og FACT ung-modellene . . . 9": the heading, leaders, a page.
    line = next(x for x in contents.splitlines() if "3.1.1 ACT-, FACT-" in x)
    page = int(line.rsplit(" ", 1)[-1].strip("\u2060"))
    text = reader.pages[page - 1].extract_text()
    assert "3.1.1 ACT-, FACT- og FACT ung-modellene" in text


def test_no_record_text_can_change_the_pdf_layout():
    """Text from records goes into Typst as string literals: markup and code stay text."""
    from oppdrag.reports import tree as t
    from oppdrag.reports.renderers.pdf import string, typst_source

    hostile = '#pagebreak() *bold* "quoted" \\ ] ) <label> $x$ // comment'
    assert string(hostile) == '"#pagebreak() *bold* \\"quoted\\" \\\\ ] ) <label> $x$ // comment"'
    report = t.Report(center="x", center_name=hostile, year=2025, title=hostile)
    report.sections = [
        t.Section("s", hostile, "chapter", [t.Paragraph([t.Text(hostile, bold=True)])]),
    ]
    t.finish(report)
    source = typst_source(report)
    assert hostile not in source  # only ever inside a literal, escaped
    with translation.override("nb"):
        _name, _mimetype, data = RENDERERS["pdf"].render(report)
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert text.count("#pagebreak()") >= 3


def test_the_docx_contents_widths_rows_orientation_and_links(report):
    """The DOCX reads well when opened: contents entries linked to bookmarked headings,
    column widths from the content, rows that never split, the events appendix on
    landscape pages, web addresses and cross-references as links."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    _name, _mimetype, data = render(report, "docx")
    document = Document(io.BytesIO(data))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    entries = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    texts = [p._p.xpath("string(.)") for p in entries]
    assert "1 Overordnet vurdering" in texts
    assert "3.1.1 ACT-, FACT- og FACT ung-modellene" in texts
    assert any(text.startswith("Vedlegg 9") for text in texts)
    anchors = set(re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml))
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    assert len(anchors) >= len(entries) - 1 and anchors <= bookmarks

    events = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == EVENT_COLUMNS)
    widths = [cell.width for cell in events.rows[0].cells]
    assert len(set(widths)) > 2, "every column as wide as the next"
    organisers = widths[EVENT_COLUMNS.index("Arrangører")]
    count = widths[EVENT_COLUMNS.index("Antall deltakere")]
    assert organisers > 2 * count
    rows = events._tbl.xpath("./w:tr")
    assert all(row.xpath("./w:trPr/w:cantSplit") for row in rows)
    # The events table lies in a landscape section (a section's properties close it, in
    # the first paragraph after it that carries them), and the report returns to portrait.
    following = list(document.element.body)[list(document.element.body).index(events._tbl) :]
    closing = next(
        el.xpath("./w:pPr/w:sectPr")[0] for el in following if el.xpath("./w:pPr/w:sectPr")
    )
    assert closing.xpath("./w:pgSz/@w:orient") == ["landscape"]
    assert document.sections[-1].orientation == WD_ORIENT.PORTRAIT
    # Web addresses in cells are external links; the reference to appendix 1 is internal.
    relationships = document.part.rels.values()
    assert any(r.is_external and r.target_ref.startswith("https://") for r in relationships)
    assert re.search(r'<w:hyperlink w:anchor="s_appendix_events_\d+"', xml)

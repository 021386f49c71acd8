"""The sentences the report writes itself read as a careful writer's bokmål.

``REVIEWED`` is the demo year's generated sentences, in reading order, as a person read
and approved them: a change to any of them shows here as a diff to read again. The rule
tests go over every generated sentence of the demo report, so a new sentence is held to
the same rules (no sentence opens with a digit, no run of sentences opening alike, no
data-quality remark in the body, no "Ingen registreringer" beside text or figures).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest

from oppdrag.reports import tree as t
from oppdrag.reports.builder import build_report
from oppdrag.reports.models import AssessmentBlock

# A sentence ends at . ! or ? followed by a space and a capital, a digit or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«])")

# Words that belong to the findings (the check), not to the report's body.
DATA_QUALITY = re.compile(
    r"\b(mangler|manglende|feil|avvik|ikke oppgitt|ikke registrert|bør rettes|kontrollen)\b",
    re.IGNORECASE,
)

REVIEWED = [
    (
        "Kommuner nådd telles som kommuner og bydeler: en kommune der bydeler er nådd, "
        "telles som de bydelene."
    ),
    "Kanaler: arrangementer (19) og team (235).",
    (
        "I 2025 registrerte NAPHA 128 arrangementer, 133 presentasjoner, 4 kronikker og "
        "leserinnlegg, 10 høringsinnspill, 7 produkter, 9 medieoppslag og 62 grupper og nettverk."
    ),
    "Arrangementene hadde til sammen 9\u2009413 deltakelser.",
    "Senterets arbeid nådde til sammen 239 kommuner og bydeler.",
    (
        "Eksempeldata: Svarene på evalueringen av arrangementene i 2025 er laget av en generator "
        "for å vise hvordan rapporten ser ut, og er ikke gitt av deltakere."
    ),
    (
        "Tabellen viser gjennomsnittet av 119 genererte svar på en skala fra 1 (lavest) til 5 "
        "(høyest) med 95 % konfidensintervall."
    ),
    (
        "For 2025 er det registrert 133 presentasjoner (se vedlegg 2), 4 kronikker og "
        "leserinnlegg (se vedlegg 3), 9 medieoppslag (se vedlegg 6) og 10 høringsinnspill (se "
        "vedlegg 4)."
    ),
    "Nettstedet har 20 temasider med besøkstall for 2025.",
    (
        "NAPHA var arrangør eller medarrangør av 128 arrangementer med til sammen 9\u2009413 "
        "deltakelser."
    ),
    "Alle arrangementene står i vedlegg 1.",
    (
        "Ved utgangen av 2025 var 210 team registrert i modellene senteret støtter, og det ble "
        "gjennomført 21 fidelitymålinger."
    ),
    "NAPHA deltar i 62 grupper og nettverk; de er listet i vedlegg 9.",
    "Ingen registreringer er knyttet direkte til dette innsatsområdet i 2025.",
    "Ingen registreringer er knyttet direkte til dette innsatsområdet i 2025.",
    "Det er ført 592 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 1\u2009459\u2009581 kr brukt på oppdraget (se kapittel 4).",
    (
        "Til oppdraget er knyttet 63 arrangementer i 2025 (se vedlegg 1), med minst 3\u2009370 "
        "deltakelser."
    ),
    "Av disse var 31 fysiske, 31 digitale og 1 hybrid.",
    "Etter nedslagsfelt var 32 nasjonale og 31 regionale.",
    (
        "Serien «Grunnopplæring FACT ung 2025» hadde 6 samlinger med 108 unike deltakere fra 17 "
        "team, og serien «Grunnopplæring FACT voksen 2025» hadde 3 samlinger med 74 unike "
        "deltakere fra 22 team."
    ),
    "Det er ført 10\u2009605 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 16\u2009203\u2009532 kr brukt på oppdraget (se kapittel 4).",
    (
        "Eksempeldata: Svarene på evalueringen av arrangementene under oppdrag 3.1.1 er laget av "
        "en generator for å vise hvordan rapporten ser ut, og er ikke gitt av deltakere."
    ),
    (
        "Tabellen viser gjennomsnittet av 9 genererte svar på en skala fra 1 (lavest) til 5 "
        "(høyest) med 95 % konfidensintervall."
    ),
    "Til oppdraget er knyttet 4 arrangementer i 2025 (se vedlegg 1), med minst 370 deltakelser.",
    "Av disse var 2 fysiske, 1 digitalt og 1 hybrid.",
    "Etter nedslagsfelt var 3 nasjonale og 1 regional.",
    "Det er ført 3\u2009849 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 6\u2009580\u2009287 kr brukt på oppdraget (se kapittel 4).",
    (
        "Til oppdraget er knyttet 5 arrangementer i 2025 (se vedlegg 1), med til sammen "
        "2\u2009865 deltakelser."
    ),
    "Av disse var 1 fysisk og 3 digitale.",
    "Etter nedslagsfelt var 5 nasjonale.",
    "Det er ført 1\u2009661 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 3\u2009262\u2009406 kr brukt på oppdraget (se kapittel 4).",
    (
        "Eksempeldata: Svarene på evalueringen av arrangementene under oppdrag 3.1.3 er laget av "
        "en generator for å vise hvordan rapporten ser ut, og er ikke gitt av deltakere."
    ),
    (
        "Tabellen viser gjennomsnittet av 15 genererte svar på en skala fra 1 (lavest) til 5 "
        "(høyest) med 95 % konfidensintervall."
    ),
    "Det er ført 1\u2009024 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 2\u2009447\u2009617 kr brukt på oppdraget (se kapittel 4).",
    (
        "Til oppdraget er knyttet 6 arrangementer i 2025 (se vedlegg 1), med til sammen 230 "
        "deltakelser."
    ),
    "Av disse var 6 fysiske.",
    "Etter nedslagsfelt var 5 regionale og 1 nasjonal.",
    "Det er ført 838 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 2\u2009028\u2009948 kr brukt på oppdraget (se kapittel 4).",
    (
        "Eksempeldata: Svarene på evalueringen av arrangementene under oppdrag 3.1.5 er laget av "
        "en generator for å vise hvordan rapporten ser ut, og er ikke gitt av deltakere."
    ),
    (
        "Tabellen viser gjennomsnittet av 68 genererte svar på en skala fra 1 (lavest) til 5 "
        "(høyest) med 95 % konfidensintervall."
    ),
    "Ingen registreringer er knyttet til dette oppdraget i 2025.",
    "Det er ført 701 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 2\u2009026\u2009447 kr brukt på oppdraget (se kapittel 4).",
    "Det er ført 528 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 1\u2009384\u2009270 kr brukt på oppdraget (se kapittel 4).",
    "Det er ført 523 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 1\u2009511\u2009631 kr brukt på oppdraget (se kapittel 4).",
    "Ingen registreringer er knyttet til dette oppdraget i 2025.",
    "Ingen registreringer er knyttet til dette oppdraget i 2025.",
    (
        "Til oppdraget er knyttet 7 arrangementer i 2025 (se vedlegg 1), med til sammen 276 "
        "deltakelser."
    ),
    "Av disse var 7 fysiske.",
    "Etter nedslagsfelt var 4 regionale og 3 nasjonale.",
    "Det er ført 248 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 856\u2009148 kr brukt på oppdraget (se kapittel 4).",
    (
        "Eksempeldata: Svarene på evalueringen av arrangementene under oppdrag 3.8 er laget av en "
        "generator for å vise hvordan rapporten ser ut, og er ikke gitt av deltakere."
    ),
    (
        "Tabellen viser gjennomsnittet av 16 genererte svar på en skala fra 1 (lavest) til 5 "
        "(høyest) med 95 % konfidensintervall."
    ),
    (
        "Til oppdraget er knyttet 16 arrangementer i 2025 (se vedlegg 1), med til sammen "
        "1\u2009070 deltakelser."
    ),
    "Av disse var 3 fysiske, 12 digitale og 1 hybrid.",
    "Etter nedslagsfelt var 9 nasjonale, 5 regionale og 2 nordiske.",
    "Det er ført 1\u2009650 timer på oppdraget (se vedlegg 7).",
    "Regnskapet (eksempeldata) viser 3\u2009024\u2009210 kr brukt på oppdraget (se kapittel 4).",
    (
        "Eksempeldata: Svarene på evalueringen av arrangementene under oppdrag 3.9 er laget av en "
        "generator for å vise hvordan rapporten ser ut, og er ikke gitt av deltakere."
    ),
    (
        "Tabellen viser gjennomsnittet av 11 genererte svar på en skala fra 1 (lavest) til 5 "
        "(høyest) med 95 % konfidensintervall."
    ),
    (
        "Til oppdraget er knyttet 2 arrangementer i 2025 (se vedlegg 1), med til sammen 80 "
        "deltakelser."
    ),
    "Av disse var 2 fysiske.",
    "Etter nedslagsfelt var 2 regionale.",
    (
        "Eksempeldata: budsjettet og regnskapet i dette kapittelet er generert for demonstrasjon "
        "og er ikke senterets regnskap."
    ),
    (
        "Senteret mottok 45\u2009500\u2009000 kr i tilskudd for 2025 og brukte "
        "44\u2009425\u2009077 kr av det."
    ),
    "Ubrukte midler er 1\u2009074\u2009923 kr.",
    "Budsjettet var på 45\u2009900\u2009000 kr, og regnskapet viser 44\u2009425\u2009077 kr.",
]


_built: dict[str, t.Report] = {}


@pytest.fixture
def demo_report(request, db) -> t.Report:
    """The whole demo's 2025 report as published. The tree is plain data, so it is built
    once for the module's tests (the first one loads the demo)."""
    if "report" not in _built:
        center = request.getfixturevalue("full_demo")
        _built["report"] = build_report(center, 2025, include_findings=False)
    return _built["report"]


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def generated_paragraphs(report: t.Report) -> Iterator[tuple[t.Section, t.Paragraph]]:
    for _depth, section in report.walk():
        for block in section.blocks:
            if isinstance(block, t.Paragraph) and block.generated:
                yield section, block


def generated_sentences(report: t.Report) -> list[str]:
    return [s for _section, p in generated_paragraphs(report) for s in sentences(p.plain)]


def test_the_demo_years_generated_sentences_are_the_reviewed_ones(demo_report):
    assert generated_sentences(demo_report) == REVIEWED


def test_no_generated_sentence_begins_with_a_digit(demo_report):
    found = [s for s in generated_sentences(demo_report) if s[:1].isdigit()]
    assert found == []


def test_no_two_generated_sentences_in_a_row_open_with_the_same_words(demo_report):
    by_section: dict[str, list[str]] = {}
    for section, paragraph in generated_paragraphs(demo_report):
        by_section.setdefault(section.key, []).extend(sentences(paragraph.plain))
    repeated = []
    for key, found in by_section.items():
        openings = [" ".join(s.split()[:3]) for s in found]
        repeated += [(key, a) for a, b in itertools.pairwise(openings) if a == b]
        assert sum(s.startswith("Det er registrert") for s in found) <= 1, key
    assert repeated == []


def test_the_body_text_makes_no_data_quality_remarks(demo_report):
    remarks = [s for s in generated_sentences(demo_report) if DATA_QUALITY.search(s)]
    assert remarks == []


def test_no_registrations_is_said_only_where_a_chapter_has_nothing_else(demo_report):
    said = 0
    for _depth, section in demo_report.walk():
        texts = [b.plain for b in section.blocks if isinstance(b, t.Paragraph)]
        if not any(text.startswith("Ingen registreringer") for text in texts):
            continue
        said += 1
        written = [b for b in section.blocks if isinstance(b, t.Assessment) and b.status]
        tables = [b for b in section.blocks if isinstance(b, t.Table)]
        hours = [text for text in texts if "timer på oppdraget" in text]
        assert (written, tables, hours) == ([], [], []), section.key
    assert said  # the demo has chapters with nothing registered: the rule was exercised


def test_staff_written_text_takes_the_place_of_no_registrations(full_demo):
    report = build_report(full_demo, 2025, include_findings=False)
    empty = next(
        section
        for _depth, section in report.walk()
        if section.key.startswith("focus:")
        and any(
            isinstance(b, t.Paragraph) and b.plain.startswith("Ingen registreringer")
            for b in section.blocks
        )
    )
    AssessmentBlock.objects.create(
        center=full_demo,
        year=2025,
        section_key=empty.key,
        kind=AssessmentBlock.Kind.ACTIVITIES,
        text="Senteret arbeidet med dette gjennom hele året.",
    )
    again = build_report(full_demo, 2025, include_findings=False).section(empty.key)
    assert again is not None
    assert not any(
        isinstance(b, t.Paragraph) and b.plain.startswith("Ingen registreringer")
        for b in again.blocks
    )

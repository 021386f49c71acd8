# ruff: noqa: E501 - a letter's paragraphs are long lines, as in the real letters
"""Grant letters written for the tests, one per numbering style the parser must read."""

from pathlib import Path

DECIMAL_ZERO = """\
Tilskuddsbrev for 2027

Barne-, ungdoms- og familiedirektoratet gir tilskudd til Senter for testing over statsbudsjettet 2027.

1.0 Tilskudd

Bufdir innvilger kr 1 250 000,- over kap. 714, post 21 og kap. 765, post 74.

2.0 Kompetanseheving

Senteret skal tilby kurs til kommunene.

2.1 Kurs for ledere

Ledere i kommunene skal få tilbud om kurs.

- ett grunnkurs i hver region
- ett webinar om året

2.2 Digitale ressurser

Nettsidene skal holdes oppdatert. Frist for ny nettside er 15.10.2027.

3.0 Tjenesteutvikling

3.1 Team i kommunene

Senteret skal følge opp teamene. Rapport om teamene leveres innen 1. mars 2027.
"""

ROMAN = """\
Tilskudd for 2027 til Testsenteret

Helsedirektoratet innvilger tilskudd på 1,25 mill. kroner til senteret over kapittel 765, post 21 over statsbudsjettet for 2027.

I. Innledning

Brevet beskriver årets oppgaver.

II. Nettverk for kommuner

Senteret skal drive nettverk for kommunene i regionen.

III. Brukermedvirkning

Senteret skal samarbeide med brukerorganisasjonene.

1) lage en plan for samarbeidet
2) holde to møter med organisasjonene

IV. Rapportering

Rapporteringsfrist for årsrapporten er 1.3.2028.
"""

OPPDRAG = """\
Helsedirektoratet viser til søknad datert 15.01.2027 og innvilger tilskudd til Senter for prøving over statsbudsjettet 2027 kap. 0765 post 72.

Tilskuddet er på til sammen 2 000 000 kroner.

Oppdrag 1: Veiledning av kommuner

Senteret skal gi veiledning til kommunene.

Oppdrag 2 – Kampanje om psykisk helse

Senteret skal delta i kampanjen. Kampanjen går i mars og oktober.

Oppdrag 3

Senteret skal arrangere en konferanse.
"""

NO_SECTIONS = """\
Hei!

Takk for søknaden. Vi kommer tilbake til saken senere i år.

Med hilsen
Saksbehandler
"""

NUMBERED_LIST_INSIDE = """\
Tilskuddsbrev 2027

1. Innvilgelse

Helsedirektoratet innvilger 300 000 kroner over kap. 765, post 74.

2. Oppdrag

2.1 Samlinger

Senteret skal holde samlinger:

1. Samling for ledere
2. Samling for ansatte

2.2 Nettverk

Senteret skal drive nettverk.
"""


def write(directory: Path, text: str = DECIMAL_ZERO, name: str = "tilskuddsbrev-2027.txt") -> Path:
    """One of these letters as a file, for tests that need a letter only as an example."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path

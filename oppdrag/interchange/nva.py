"""NVA (Nasjonalt vitenarkiv): its search results and CSV export as plain records.

Pure Python, no Django. What this relies on, from NVA's published descriptions
(Sikt's ``nva-search-api`` repository: its README, the resource README with the
data model and search keys, and the CSV export classes ``ExportCsv`` and
``ResourceCsvTransformer``; the Norwegian category names from NVA's
``PublicationInstanceTypes`` enum):

* ``GET {base}/search/resources`` answers JSON: ``totalHits``, ``hits`` (a list of
  resources), ``nextResults``/``previousResults`` (URLs of the neighbouring pages) and
  ``aggregations``. Paging is ``from`` (0-based) and ``size``; ``from + size`` may
  not pass 10 000. Filters used here: ``contributor`` (a person's Cristin id),
  ``institution`` (an organisation's id or name) and ``publicationYear``.
* A resource has ``identifier`` (the sortable id, e.g. ``0198cc4b31b3-2a98…``), ``id``
  (``https://api.nva.unit.no/publication/<identifier>``) and ``entityDescription``
  with ``mainTitle``, ``publicationDate`` (``year``, ``month``, ``day`` as strings;
  month and day may be missing), ``contributors`` (each with ``identity.name`` and
  ``sequence``) and ``reference.publicationInstance.type`` (the category, e.g.
  ``AcademicArticle``, ``ConferenceLecture``).
* The CSV export (``Accept: text/csv``) starts with a UTF-8 byte-order mark, has
  semicolons between quoted cells, CRLF line ends and the header
  ``url;title;publicationDate;type;contributors``; ``publicationDate`` is
  ``year[-month[-day]]`` and ``contributors`` the names joined by commas.

Unknown fields are ignored (NVA adds fields without a new version).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_BASE_URL = "https://api.nva.unit.no"
PAGE_SIZE = 100
MAX_WINDOW = 10_000  # NVA refuses from + size beyond this

# NVA categories (publicationInstance.type) with the Norwegian names NVA shows.
PRESENTATION_TYPES: dict[str, str] = {
    "ConferenceLecture": "Konferanseforedrag",
    "ConferencePoster": "Konferanseposter",
    "Lecture": "Foredrag",
    "OtherPresentation": "Annen presentasjon",
}
PUBLICATION_TYPES: dict[str, str] = {
    "AcademicArticle": "Vitenskapelig artikkel",
    "AcademicChapter": "Vitenskapelig kapittel",
    "AcademicLiteratureReview": "Vitenskapelig oversiktsartikkel",
    "AcademicMonograph": "Vitenskapelig monografi",
    "BookAnthology": "Antologi",
    "CaseReport": "Kasuistikk",
    "ChapterArticle": "Kapittel",
    "ChapterConferenceAbstract": "Konferanseabstrakt",
    "ChapterInReport": "Kapittel i rapport",
    "ConferenceAbstract": "Konferanseabstrakt",
    "ConferenceReport": "Konferanserapport",
    "DataManagementPlan": "Datahåndteringsplan (DMP)",
    "DataSet": "Datasett",
    "DegreeBachelor": "Bacheloroppgave",
    "DegreeLicentiate": "Lisensiatavhandling",
    "DegreeMaster": "Masteroppgave",
    "DegreePhd": "Doktoravhandling",
    "Encyclopedia": "Oppslagsverk",
    "EncyclopediaChapter": "Kapittel i oppslagsverk",
    "ExhibitionCatalog": "Utstillingskatalog",
    "ExhibitionCatalogChapter": "Kapittel i utstillingskatalog",
    "Introduction": "Innledning i antologi",
    "JournalCorrigendum": "Korrigendum",
    "JournalIssue": "Hefte i tidsskrift",
    "JournalLeader": "Leder",
    "JournalLetter": "Kommentar",
    "JournalReview": "Bokanmeldelse",
    "NonFictionChapter": "Faglig kapittel",
    "NonFictionMonograph": "Faglig monografi",
    "OtherStudentWork": "Annen studentoppgave",
    "PopularScienceArticle": "Populærvitenskapelig artikkel",
    "PopularScienceChapter": "Populærvitenskapelig kapittel",
    "PopularScienceMonograph": "Populærvitenskapelig monografi",
    "ProfessionalArticle": "Fagartikkel",
    "ReportBasic": "Annen rapport",
    "ReportBookOfAbstract": "Abstraktsamling",
    "ReportPolicy": "Policyrapport",
    "ReportResearch": "Forskningsrapport",
    "ReportWorkingPaper": "Arbeidsnotat",
    "StudyProtocol": "Studieprotokoll",
    "Textbook": "Lærebok",
    "TextbookChapter": "Kapittel i lærebok",
}
# Media contributions are op-eds and media appearances here, registered on their own
# pages with fields NVA does not have (outlet, role); an NVA import skips them.
SKIPPED_TYPES: dict[str, str] = {
    "MediaBlogPost": "Bloggpost",
    "MediaFeatureArticle": "Kronikk",
    "MediaInterview": "Intervju",
    "MediaParticipationInRadioOrTv": "Deltagelse i radio eller TV",
    "MediaPodcast": "Podkast",
    "MediaReaderOpinion": "Leserinnlegg",
}
PRESENTATION = "presentation"
PUBLICATION = "publication"
SKIP = "skip"

_IDENTIFIER = re.compile(r"^[0-9a-f][0-9a-f-]{8,98}[0-9a-f]$")


class NvaError(Exception):
    """A problem with one record or the whole file; ``where`` names the field."""

    def __init__(self, message: str, *, index: int | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.index = index
        self.where = where


@dataclass(frozen=True)
class NvaRecord:
    """One NVA result as Oppdrag needs it."""

    identifier: str
    title: str
    year: int
    date: dt.date | None
    category: str  # NVA's publicationInstance.type
    contributors: tuple[str, ...] = ()
    url: str = ""

    @property
    def target(self) -> str:
        """Which registry the record belongs to: presentation, publication or skip."""
        return target_for(self.category)

    @property
    def kind(self) -> str:
        """The category in Norwegian, as NVA and the annual report write it."""
        return (
            PRESENTATION_TYPES.get(self.category)
            or PUBLICATION_TYPES.get(self.category)
            or SKIPPED_TYPES.get(self.category)
            or self.category
        )


def target_for(category: str) -> str:
    if category in PRESENTATION_TYPES:
        return PRESENTATION
    if category in SKIPPED_TYPES:
        return SKIP
    return PUBLICATION  # every other result is a product (appendix 5)


def identifier_from_url(url: str) -> str:
    """``…/publication/<identifier>`` (API or web address) → ``<identifier>``."""
    path = urllib.parse.urlparse(url.strip()).path.rstrip("/")
    return path.rsplit("/", 1)[-1] if path else ""


def check_identifier(value: str) -> str:
    value = value.strip()
    if not _IDENTIFIER.match(value):
        raise ValueError(f"«{value}» er ikke en NVA-identifikator.")
    return value


def record_url(identifier: str) -> str:
    return f"{DEFAULT_BASE_URL}/publication/{identifier}"


def parse_date_parts(year: Any, month: Any = None, day: Any = None) -> tuple[int, dt.date | None]:
    """NVA's ``publicationDate`` → (year, exact date or None when only year/month is known)."""

    def number(value: Any, name: str) -> int | None:
        if value in (None, ""):
            return None
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError(f"«{text}» er ikke et gyldig {name}.")
        return int(text)

    y = number(year, "årstall")
    if y is None or not 1000 <= y <= 9999:
        raise ValueError("Publiseringsåret mangler eller er ugyldig.")
    m = number(month, "månedstall")
    d = number(day, "dagstall")
    if m is not None and not 1 <= m <= 12:
        raise ValueError(f"Måned {m} finnes ikke.")
    if m is None or d is None:
        return y, None
    try:
        return y, dt.date(y, m, d)
    except ValueError as exc:
        raise ValueError(f"{y}-{m:02d}-{d:02d} er ikke en gyldig dato.") from exc


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def record_from_hit(hit: Any, index: int) -> NvaRecord:
    """One search hit → ``NvaRecord``; ``NvaError`` names the missing or bad field."""
    if not isinstance(hit, dict):
        raise NvaError("Treffet er ikke et JSON-objekt.", index=index)
    identifier = _text(hit.get("identifier")) or identifier_from_url(_text(hit.get("id")))
    if not identifier:
        raise NvaError("NVA-identifikatoren mangler.", index=index, where="identifier")
    try:
        check_identifier(identifier)
    except ValueError as exc:
        raise NvaError(str(exc), index=index, where="identifier") from exc
    entity = hit.get("entityDescription")
    if not isinstance(entity, dict):
        raise NvaError("Beskrivelsen mangler.", index=index, where="entityDescription")
    title = _text(entity.get("mainTitle"))
    if not title:
        raise NvaError("Tittelen mangler.", index=index, where="entityDescription.mainTitle")
    if len(title) > 500:
        raise NvaError(
            "Tittelen er lengre enn 500 tegn.", index=index, where="entityDescription.mainTitle"
        )
    date = entity.get("publicationDate")
    if not isinstance(date, dict):
        raise NvaError(
            "Publiseringsdatoen mangler.", index=index, where="entityDescription.publicationDate"
        )
    try:
        year, exact = parse_date_parts(date.get("year"), date.get("month"), date.get("day"))
    except ValueError as exc:
        raise NvaError(str(exc), index=index, where="entityDescription.publicationDate") from exc
    reference = entity.get("reference")
    instance = reference.get("publicationInstance") if isinstance(reference, dict) else None
    category = _text(instance.get("type")) if isinstance(instance, dict) else ""
    if not category:
        raise NvaError(
            "Kategorien mangler.",
            index=index,
            where="entityDescription.reference.publicationInstance.type",
        )
    people = entity.get("contributors") or []
    if not isinstance(people, list):
        raise NvaError(
            "Bidragsyterne er ikke en liste.", index=index, where="entityDescription.contributors"
        )
    named: list[tuple[int, int, str]] = []
    for position, person in enumerate(people):
        identity = person.get("identity") if isinstance(person, dict) else None
        name = _text(identity.get("name")) if isinstance(identity, dict) else ""
        if not name:
            raise NvaError(
                f"Bidragsyter nr. {position + 1} har ikke noe navn.",
                index=index,
                where="entityDescription.contributors",
            )
        sequence = person.get("sequence")
        order = sequence if isinstance(sequence, int) else position + 1
        named.append((order, position, name[:200]))
    names = tuple(dict.fromkeys(name for _o, _p, name in sorted(named)))
    url = _text(hit.get("id"))
    if not url.startswith(("http://", "https://")):
        url = record_url(identifier)
    return NvaRecord(identifier, title, year, exact, category, names, url[:500])


def parse_search_response(data: Any) -> tuple[list[NvaRecord], list[NvaError]]:
    """A search response (or a list of hits) → records and the problems, all of them."""
    if isinstance(data, dict) and isinstance(data.get("hits"), list):
        hits = data["hits"]
    elif isinstance(data, list):
        hits = data
    else:
        return [], [NvaError("Filen er ikke et søkesvar fra NVA: listen «hits» mangler.")]
    records: list[NvaRecord] = []
    problems: list[NvaError] = []
    for index, hit in enumerate(hits, start=1):
        try:
            records.append(record_from_hit(hit, index))
        except NvaError as exc:
            problems.append(exc)
    return records, problems


CSV_COLUMNS = ("url", "title", "publicationDate", "type", "contributors")


def parse_export_csv(text: str) -> tuple[list[NvaRecord], list[NvaError]]:
    """NVA's CSV export → records and problems (``index`` is the file's line number)."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [NvaError(f"CSV-filen kan ikke leses: {exc}.", index=1)]
    if header is None:
        return [], [NvaError("Filen er tom.")]
    keys = [cell.strip() for cell in header]
    missing = [c for c in CSV_COLUMNS[:4] if c not in keys]
    if missing:
        return [], [
            NvaError(
                "Overskriftsraden mangler {missing}; NVA-eksporten har {known}.".format(
                    missing=", ".join(f"«{m}»" for m in missing),
                    known=", ".join(f"«{c}»" for c in CSV_COLUMNS),
                ),
                index=1,
            )
        ]
    position = {key: keys.index(key) for key in CSV_COLUMNS if key in keys}
    records: list[NvaRecord] = []
    problems: list[NvaError] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(NvaError(f"CSV-filen kan ikke leses: {exc}.", index=reader.line_num))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            index = position.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        try:
            records.append(_record_from_csv(cell))
        except NvaError as exc:
            problems.append(NvaError(exc.message, index=line, where=exc.where))
    return records, problems


def _record_from_csv(cell: Callable[[str], str]) -> NvaRecord:
    url = cell("url")
    identifier = identifier_from_url(url)
    try:
        check_identifier(identifier)
    except ValueError as exc:
        raise NvaError(f"«{url}» er ikke en lenke til en NVA-registrering.", where="url") from exc
    title = " ".join(cell("title").split())
    if not title:
        raise NvaError("Tittelen mangler.", where="title")
    if len(title) > 500:
        raise NvaError("Tittelen er lengre enn 500 tegn.", where="title")
    parts = cell("publicationDate").split("-")
    if len(parts) > 3:
        raise NvaError(f"«{cell('publicationDate')}» er ikke en dato.", where="publicationDate")
    try:
        year, exact = parse_date_parts(*parts)
    except (ValueError, TypeError) as exc:
        raise NvaError(str(exc), where="publicationDate") from exc
    category = cell("type")
    if not category:
        raise NvaError("Kategorien mangler.", where="type")
    names = tuple(
        dict.fromkeys(
            " ".join(n.split())[:200] for n in cell("contributors").split(",") if n.strip()
        )
    )
    return NvaRecord(identifier, title, year, exact, category, names, url[:500])


# --- the client --------------------------------------------------------------------
Opener = Callable[[urllib.request.Request, float], Any]


def _open(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(request, timeout=timeout)


@dataclass
class SearchQuery:
    """What to ask NVA for: an institution's or a person's results in one year."""

    year: int
    institution: str = ""
    contributor: str = ""
    base_url: str = DEFAULT_BASE_URL
    page_size: int = PAGE_SIZE
    timeout: float = 20.0
    extra: dict[str, str] = field(default_factory=dict)

    def url(self, start: int) -> str:
        params = {
            "publicationYear": str(self.year),
            "from": str(start),
            "size": str(self.page_size),
        }
        if self.institution:
            params["institution"] = self.institution
        if self.contributor:
            params["contributor"] = self.contributor
        params.update(self.extra)
        base = self.base_url.rstrip("/")
        return f"{base}/search/resources?{urllib.parse.urlencode(params)}"


class FetchError(Exception):
    """NVA could not be read; the message says what happened and where, in Norwegian."""


def fetch_pages(query: SearchQuery, opener: Opener = _open) -> Iterator[dict[str, Any]]:
    """Yield every page of the search, following ``from``/``size`` until all hits are in."""
    if not query.base_url.startswith(("http://", "https://")):
        raise FetchError(f"«{query.base_url}» er ikke en http- eller https-adresse.")
    start = 0
    while True:
        url = query.url(start)
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": "Oppdrag NVA-import"}
        )
        try:
            with opener(request, query.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise FetchError(
                f"NVA svarte {exc.code} ({exc.reason}) på {url}. Prøv igjen senere."
            ) from exc
        except TimeoutError as exc:
            raise FetchError(f"NVA svarte ikke innen {query.timeout:g} sekunder på {url}.") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise FetchError(
                    f"NVA svarte ikke innen {query.timeout:g} sekunder på {url}."
                ) from exc
            raise FetchError(f"Får ikke kontakt med NVA ({exc.reason}) på {url}.") from exc
        try:
            page = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FetchError(f"NVA svarte ikke med gyldig JSON på {url} ({exc}).") from exc
        if not isinstance(page, dict) or not isinstance(page.get("hits"), list):
            raise FetchError(f"Svaret fra {url} er ikke et søkesvar (listen «hits» mangler).")
        yield page
        hits = page["hits"]
        total = page.get("totalHits")
        start += len(hits)
        if not hits or not isinstance(total, int) or start >= total:
            return
        if start + query.page_size > MAX_WINDOW:
            raise FetchError(
                f"Søket gir {total} treff; NVA lar oss hente bare de første {MAX_WINDOW}. "
                "Avgrens søket (én person eller én enhet)."
            )


def fetch_all(query: SearchQuery, opener: Opener = _open) -> dict[str, Any]:
    """All pages merged into one search response (``totalHits`` and every hit)."""
    hits: list[Any] = []
    total = 0
    for page in fetch_pages(query, opener):
        hits.extend(page["hits"])
        total = page.get("totalHits", len(hits))
    return {"totalHits": total, "hits": hits}

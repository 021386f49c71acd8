"""Web statistics from the CSV exports of Matomo and Google Analytics 4.

Pure Python, no Django. What the exports look like, and what this relies on:

* **Matomo**, report «Sider» / «Pages» (Actions › Page URLs, exported «flat»): one row
  per page; the first column is the label (the page path; «Label», «Etikett», or in
  the Norwegian translation «Type»), then «Unique Pageviews»/«Unike sidevisninger»
  (visits that included the page), «Pageviews»/«Sidevisninger», «Entrances»/«Innganger»
  (visits that started on the page) and rates we do not use. Matomo writes CSV as
  UTF-16 with a byte-order mark by default (for Excel) or as UTF-8; both are read.
  Matomo's «Besøksoversikt» (Visits overview) export, one row with «Visits»/«Besøk»,
  «Unique visitors»/«Unike besøkere» and «Users»/«Brukere», gives the site totals.
* **Google Analytics 4**, report «Sider og skjermer» / «Pages and screens»: comment
  lines starting with ``#`` above the table (report name, account, property,
  ``# Start date: 20250101`` and ``# End date: 20251231``), then a header such as
  «Page path and screen class» (or «Page title and screen class»), «Views», «Active
  users» (or «Users», «Total users»), «Sessions» … and one row per page. A row whose
  first cell is empty or «Grand total»/«Totalt» is the total of the report.

Site totals: a totals row when the file has one. Otherwise the page rows are summed
only where the sum is the site figure: pageviews and unique pageviews (each view
belongs to one page) and visits as the sum of entrances (each visit enters once).
Users and sessions per page overlap between pages, so they are not summed: without
a totals row they stay unknown rather than overstated.

A topic page's visits for the year are its unique pageviews (Matomo's «besøk» on a
page), else its sessions/visits, else its views, from the first column present.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import urllib.parse
from dataclasses import dataclass, field

from oppdrag.core.parsing import fold, parse_count
from oppdrag.importing.readers import FileRejected, decode_text

PATH, TITLE, PAGEVIEWS, UNIQUE, VISITS, USERS, ENTRANCES = (
    "path", "title", "pageviews", "unique_pageviews", "visits", "users", "entrances",
)  # fmt: skip
METRICS = (PAGEVIEWS, UNIQUE, VISITS, USERS, ENTRANCES)
HEADERS: dict[str, tuple[str, ...]] = {
    PATH: (
        "Label", "Etikett", "Type", "Page URL", "Side-URL", "URL", "Page path",
        "Page path and screen class", "Sidebane", "Sidebane og skjermklasse", "Sti",
    ),
    TITLE: (
        "Page title", "Page title and screen class", "Sidetittel",
        "Sidetittel og skjermklasse", "Page Name", "Sidenavn", "Tittel",
    ),
    PAGEVIEWS: ("Pageviews", "Sidevisninger", "Views", "Visninger"),
    UNIQUE: ("Unique Pageviews", "Unike sidevisninger"),
    VISITS: ("Visits", "Besøk", "Sessions", "Økter", "Økter totalt"),
    USERS: (
        "Users", "Brukere", "Active users", "Aktive brukere", "Total users",
        "Totalt antall brukere", "Unique visitors", "Unike besøkere", "Unike besøkende",
    ),
    ENTRANCES: ("Entrances", "Innganger"),
}  # fmt: skip
TOTAL_LABELS = {"", "total", "totalt", "grand total", "totals", "sum", "totalsum"}
# Which metric is a topic page's «visits», best first.
PAGE_VISITS_ORDER = (UNIQUE, VISITS, PAGEVIEWS)


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-zæøå]", "", fold(text))


_USER_PRIORITY = [
    _key(h)
    for h in (
        "Unique visitors", "Unike besøkere", "Unike besøkende", "Active users",
        "Aktive brukere", "Total users", "Totalt antall brukere", "Users", "Brukere",
    )
]  # fmt: skip
_BY_KEY = {_key(alias): name for name, aliases in HEADERS.items() for alias in aliases}


@dataclass(frozen=True)
class WebProblem:
    """Where a file is wrong: line (as a text editor counts) and column header."""

    message: str
    line: int | None = None
    column: str | None = None


@dataclass
class PageRow:
    line: int
    path: str = ""
    title: str = ""
    values: dict[str, int] = field(default_factory=dict)

    def page_visits(self) -> int | None:
        return next((self.values[m] for m in PAGE_VISITS_ORDER if m in self.values), None)


@dataclass
class WebStatistics:
    """One export, read: its source, period, page rows and site totals."""

    source: str  # "matomo" or "ga4"
    pages: list[PageRow]
    totals: dict[str, int | None]
    columns: dict[str, str]  # our name → the header as written in the file
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def page_visits_column(self) -> str | None:
        return next((self.columns[m] for m in PAGE_VISITS_ORDER if m in self.columns), None)


_DATE_COMMENT = re.compile(
    r"^#\s*(start date|startdato|end date|sluttdato)\s*:\s*(\d{8})\s*$", re.IGNORECASE
)


def normalize_path(text: str) -> str:
    """A page's path for matching: no host, query or trailing slash, lower case."""
    value = text.strip()
    if "://" in value:
        value = urllib.parse.urlparse(value).path
    value = value.split("?", 1)[0].split("#", 1)[0].strip().lower()
    if not value.startswith("/"):
        value = "/" + value
    return value.rstrip("/") or "/"


def title_key(text: str) -> str:
    """A page title for matching: the part before « - Nettsted» / « | Nettsted»."""
    first = re.split(r"\s[-|–]\s", text.strip(), maxsplit=1)[0]
    return fold(first)


def parse(data: bytes) -> tuple[WebStatistics | None, list[WebProblem]]:
    """Read one export; every problem is named by line and column."""
    try:
        # UTF-16 (Matomo's default, with BOM), UTF-8 with or without BOM, or Windows-1252.
        text = decode_text(data)
    except FileRejected as exc:
        return None, [WebProblem(exc.message, exc.row)]
    if "\x00" in text:
        return None, [WebProblem("Filen inneholder binære data og er ikke en CSV-fil.")]
    problems: list[WebProblem] = []
    start, end, table = _dates_and_table(text.splitlines(), problems)
    if not table:
        return None, [*problems, WebProblem("Filen har ingen tabell.")]
    header_line, header_text = table[0]
    delimiter = max(",;\t", key=header_text.count)
    rows = list(csv.reader(io.StringIO("\n".join(line for _n, line in table)), delimiter=delimiter))
    if len(rows) != len(table):
        return None, [*problems, WebProblem("En celle i tabellen inneholder et linjeskift.")]
    header = [cell.strip() for cell in rows[0]]
    columns = _columns(header, header_line, problems)
    if not any(metric in columns for metric in METRICS):
        known = ", ".join(f"«{h}»" for name in METRICS for h in HEADERS[name][:2])
        problems.append(
            WebProblem(
                f"Finner ingen tallkolonne i overskriftsraden; kjente kolonner er {known} …",
                header_line,
            )
        )
        return None, problems
    source = (
        "ga4" if start or end or any(_key(h).endswith("screenclass") for h in header) else "matomo"
    )
    if "views" in {_key(h) for h in header} or "visninger" in {_key(h) for h in header}:
        source = "ga4"
    pages, totals_row = _page_rows(
        list(zip((n for n, _line in table[1:]), rows[1:], strict=True)), header, columns, problems
    )
    if start and end and end < start:
        problems.append(WebProblem("Sluttdatoen er før startdatoen."))
    if problems:
        return None, problems
    stats = WebStatistics(
        source=source,
        pages=pages,
        totals=site_totals(pages, totals_row, columns),
        columns={name: header[index] for name, index in columns.items()},
        start=start,
        end=end,
    )
    return stats, []


def _dates_and_table(
    lines: list[str], problems: list[WebProblem]
) -> tuple[dt.date | None, dt.date | None, list[tuple[int, str]]]:
    """The report's start and end dates from its «#» comment lines, and the other
    non-empty lines (the table) with their numbers."""
    start = end = None
    table: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            match = _DATE_COMMENT.match(stripped)
            if match:
                try:
                    day = dt.datetime.strptime(match.group(2), "%Y%m%d").date()  # noqa: DTZ007
                except ValueError:
                    problems.append(WebProblem(f"«{match.group(2)}» er ikke en dato.", number))
                    continue
                if match.group(1).lower() in ("start date", "startdato"):
                    start = day
                else:
                    end = day
            continue
        if stripped:
            table.append((number, line))
    return start, end, table


def _columns(header: list[str], header_line: int, problems: list[WebProblem]) -> dict[str, int]:
    """Our figures' column positions in the header (rates and times we do not use left out)."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        ours = _BY_KEY.get(_key(name))
        if ours is None:
            continue
        if ours == USERS and USERS in columns:
            # Matomo's overview has «Unique visitors» and «Users» (signed-in only): keep
            # the one that counts people, whichever comes first in the file.
            if _USER_PRIORITY.index(_key(name)) < _USER_PRIORITY.index(
                _key(header[columns[USERS]])
            ):
                columns[USERS] = index
            continue
        if ours in columns:
            problems.append(
                WebProblem(f"Kolonnen «{name}» betyr det samme som en annen.", header_line, name)
            )
        columns[ours] = index
    return columns


def _page_rows(
    numbered: list[tuple[int, list[str]]],
    header: list[str],
    columns: dict[str, int],
    problems: list[WebProblem],
) -> tuple[list[PageRow], PageRow | None]:
    """The table's page rows and its totals row (a row labelled as one, or the only row
    of a table without page labels)."""
    label_column = PATH if PATH in columns else TITLE if TITLE in columns else None
    pages: list[PageRow] = []
    totals_row: PageRow | None = None
    for number, cells in numbered:
        row = PageRow(number)
        bad = False
        for name, index in columns.items():
            cell = cells[index].strip() if index < len(cells) else ""
            if name in (PATH, TITLE):
                setattr(row, name, cell)
                continue
            if cell in ("", "-"):
                continue
            try:
                row.values[name] = parse_count(cell)
            except ValueError as exc:
                problems.append(WebProblem(str(exc), number, header[index]))
                bad = True
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(WebProblem("Raden har flere celler enn overskriftsraden.", number))
            bad = True
        if bad:
            continue
        label = getattr(row, label_column) if label_column else ""
        if label_column is None or fold(label) in TOTAL_LABELS:
            if totals_row is not None:
                problems.append(
                    WebProblem(f"Totalraden står også på linje {totals_row.line}.", number)
                )
            totals_row = row
            continue
        pages.append(row)
    return pages, totals_row


def site_totals(
    pages: list[PageRow], totals_row: PageRow | None, columns: dict[str, int]
) -> dict[str, int | None]:
    """The site's figures: the totals row, or the sums that are true site figures."""
    if totals_row is not None:
        values = totals_row.values
        return {
            PAGEVIEWS: values.get(PAGEVIEWS),
            UNIQUE: values.get(UNIQUE),
            VISITS: values.get(VISITS, values.get(ENTRANCES)),
            USERS: values.get(USERS),
        }

    def total(metric: str) -> int | None:
        if metric not in columns:
            return None
        return sum(page.values.get(metric, 0) for page in pages)

    return {
        PAGEVIEWS: total(PAGEVIEWS),
        UNIQUE: total(UNIQUE),
        VISITS: total(ENTRANCES),
        USERS: None,
    }

"""Build the annual report tree of one centre and year from the registry.

The structure follows the reports centres already send: foreword, key figures,
1 overall assessment (a–c), 2 focus areas (a–f), 3 one chapter per assignment of
the year's grant (numbered from the assignment tree), references, appendices 1–9
and the goal-achievement questionnaire. Every number comes from records; the
sentences around them are this module's own templates.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from oppdrag.activities.models import Format, Group
from oppdrag.core.models import Center
from oppdrag.figures.keyfigures import UNSTATED
from oppdrag.grants.models import Assignment, assignment_sort_key

from . import charts, prose
from . import tree as t
from .checks import check_year
from .data import TAGGED_KINDS, YearData, load_year
from .livefigures import figure_values
from .models import AssessmentBlock
from .prosecheck import check_prose
from .providers import PROVIDERS, ProvidedTable, provide, provided_findings
from .rounding import half_up_number
from .slots import THEME_PREFIX

ASSIGNMENT_KINDS = (
    AssessmentBlock.Kind.ACTIVITIES,
    AssessmentBlock.Kind.INVOLVEMENT,
    AssessmentBlock.Kind.RESULTS,
)
# The texts every focus area has; target-group involvement is printed when written.
FOCUS_KINDS = (AssessmentBlock.Kind.ACTIVITIES, AssessmentBlock.Kind.RESULTS)


def overall_titles() -> list[tuple[str, str]]:
    return [
        ("a", _("Oppsummering av senterets arbeid i tilskuddsåret")),
        (
            "b",
            _(
                "Vurdering av samlet måloppnåelse for tilskuddsåret i lys av "
                "tilskuddsordningens mål"
            ),
        ),
        ("c", _("Vurdering av målgruppens (tjenestenes) videre behov for bistand")),
    ]


def questionnaire() -> list[str]:
    """The grantor's questions in the closing goal-achievement form."""
    return [
        _("Har alle deler av målgruppene for tilskuddsordningen blitt nådd?"),
        _("Er det sektorer/grupper som er underrepresentert?"),
        _("Hvordan vurderes treffsikkerheten i senterets aktiviteter?"),
        _("Har senteret lyktes med tverrfaglig og tverrsektoriell kunnskapsutvikling?"),
        _(
            "Har senteret lyktes med kunnskapsutvikling som understøtter arbeid og tjenester "
            "av god kvalitet over tid?"
        ),
        _(
            "Har senteret jobbet systematisk med kunnskapsutvikling innen helsefremmende "
            "og forebyggende arbeid?"
        ),
        _(
            "I hvilken grad har senteret prioritert kunnskapssvake områder og kommunale behov "
            "innenfor senterets fagområder?"
        ),
        _(
            "I hvilken grad har senteret jobbet systematisk med målet om kunnskapsutvikling for "
            "likeverdige tilbud og tjenester til hele befolkningen?"
        ),
    ]


def labels() -> t.Labels:
    return t.Labels(
        chapter_ref=_("kapittel {number}"),
        appendix_ref=_("{number}"),
        appendix=_("Vedlegg {number}"),
        appendix_unnumbered=_("Vedlegg"),
        missing_ref=_("[ukjent henvisning: {target}]"),
        stale_message=_("Henvisningen «{target}» i «{section}» peker ikke til noe kapittel."),
        stale_fix=_(
            "Rett henvisningen i teksten til et oppdrag eller kapittel som finnes i år, "
            "for eksempel [[ref:assignment:3.1]]."
        ),
        percent_message=_("Prosentene i tabellen «{caption}» summerer til {total} og ikke 100."),
        total_note=_(
            "Summen {total} i kolonnen «{column}» er regnet av tallene før avrunding; "
            "de avrundede linjene over summerer til {rows}."
        ),
        percent_fix=_("Avrund med største-rest-metoden slik at summen blir nøyaktig 100."),
    )


# --- small formatting helpers ----------------------------------------------------------
def fmt_date(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def fmt_int(value: int | float) -> str:
    """Norwegian thousands separator (a narrow no-break space) and minus sign."""
    return charts._number(value)


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("{first} og {last}").format(first=", ".join(items[:-1]), last=items[-1])


def reach_sentence(reach: dict[str, Any]) -> str:
    """How the reach figure is counted, and through which channels."""
    from oppdrag.figures.reach import CHANNELS, Counting

    channels = join_words(
        [
            _("{channel} ({n})").format(channel=CHANNELS[key], n=fmt_int(n))
            for key, n in reach["by_channel"].items()
            if n
        ]
    )
    if reach["counting"] == Counting.MUNICIPALITIES:
        counted = _("Kommuner nådd telles som kommuner; en bydel teller som sin kommune.")
    else:
        counted = _(
            "Kommuner nådd telles som kommuner og bydeler: en kommune der bydeler er nådd, "
            "telles som de bydelene."
        )
    if not channels:
        return counted
    return counted + " " + _("Kanaler: {channels}.").format(channels=channels)


def generated(*runs: t.Inline | str) -> t.Paragraph:
    return t.Paragraph(
        [t.Text(run) if isinstance(run, str) else run for run in runs], generated=True
    )


# One entry per kind, translated when asked for (not the whole table on every call).
KIND_COUNTS = {
    "events": lambda n: ngettext("{n} arrangement", "{n} arrangementer", n),
    "presentations": lambda n: ngettext("{n} presentasjon", "{n} presentasjoner", n),
    "op_eds": lambda n: ngettext(
        "{n} kronikk eller leserinnlegg", "{n} kronikker og leserinnlegg", n
    ),
    "consultation_responses": lambda n: ngettext("{n} høringsinnspill", "{n} høringsinnspill", n),
    "publications": lambda n: ngettext("{n} produkt", "{n} produkter", n),
    "media_appearances": lambda n: ngettext("{n} medieoppslag", "{n} medieoppslag", n),
    "groups": lambda n: ngettext("{n} gruppe eller nettverk", "{n} grupper og nettverk", n),
    "web_articles": lambda n: ngettext("{n} nettsak", "{n} nettsaker", n),
    "advice_requests": lambda n: ngettext("{n} henvendelse", "{n} henvendelser", n),
}

KIND_LABELS = {
    "events": lambda: _("Arrangementer"),
    "presentations": lambda: _("Presentasjoner"),
    "op_eds": lambda: _("Kronikker og leserinnlegg"),
    "consultation_responses": lambda: _("Høringsinnspill"),
    "publications": lambda: _("Produkter"),
    "media_appearances": lambda: _("Medieoppslag"),
    "groups": lambda: _("Grupper og nettverk"),
    "web_articles": lambda: _("Nettsaker"),
    "advice_requests": lambda: _("Henvendelser"),
}


def kind_count(kind: str, n: int) -> str:
    return KIND_COUNTS[kind](n).format(n=fmt_int(n))


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]()


def join_names(names: Iterable[str]) -> str:
    return ", ".join(names)


def short_name(name: str) -> str:
    """An organisation as a table prints it: «NAPHA» for «NAPHA – Nasjonalt
    kompetansesenter for psykisk helsearbeid» (short form, dash, full name); other
    names as they are."""
    short, dash, _full = name.partition(" – ")
    return short if dash else name


# --- the builder ------------------------------------------------------------------------
class ReportBuilder:
    """Turns one ``YearData`` into a ``Report``; see ``build_report``."""

    def __init__(self, data: YearData):
        self.data = data
        self.center = data.center
        self.year = data.year
        self.short = data.center.short_name or data.center.name
        self.blocks: dict[tuple[int | None, str, str], AssessmentBlock] = {
            (b.assignment_id, b.section_key, b.kind): b for b in data.blocks
        }
        # The assignments and sections with staff-written text (see ``has_written``).
        self.written = {(b.assignment_id, b.section_key) for b in data.blocks if b.text.strip()}
        # records per kind tagged to each assignment / focus area (from the prefetch)
        self.by_assignment: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.by_focus: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for kind in TAGGED_KINDS:
            for record in data.records[kind]:
                for assignment_id in record.assignment_ids:
                    self.by_assignment[assignment_id][kind].append(record)
                for code in record.focus_codes:
                    self.by_focus[code][kind].append(record)
        # Words used in every chapter, translated once per build.
        self.kind_headings = {str(k): str(label) for k, label in AssessmentBlock.Kind.choices}
        self.not_written = _("[Teksten er ikke skrevet ennå.]")
        self.figures: dict[str, t.FigureValue] = {}
        # What the providers read once for this build (see providers.py); never kept.
        self.memo: dict[Any, Any] = {}
        hours = provide("hours_by_assignment", self.center, self.year, self.memo)
        self.hours_by_assignment: dict[str, float] = dict(hours or {})
        cost = provide("cost_by_assignment", self.center, self.year, self.memo)
        self.cost_by_assignment: dict[str, float] = dict(cost or {})
        self.finance_generated = bool(
            cost and provide("finance_generated", self.center, self.year, self.memo)
        )

    # assessment text ------------------------------------------------------------------
    def assessment(
        self,
        kind: str,
        *,
        assignment: Assignment | None = None,
        section_key: str = "",
        heading: str | None = None,
    ) -> t.Assessment:
        block = self.blocks.get((assignment.pk if assignment else None, section_key, kind))
        if heading is None:
            heading = self.kind_headings[kind]
        key = f"{assignment.number if assignment else section_key}/{kind}"
        if block is None or not block.text.strip():
            return t.Assessment(
                key=key,
                heading=heading,
                content=[t.Paragraph([t.Text(self.not_written)])],
                status="",
            )
        author = ""
        if block.author is not None:
            author = block.author.get_full_name() or block.author.get_username()
        return t.Assessment(
            key=key,
            heading=heading,
            content=prose.parse(block.text),
            status=block.get_status_display(),
            author=author,
        )

    def has_written(self, assignment_id: int | None, section_key: str) -> bool:
        """Whether staff wrote any text for an assignment or a section."""
        return (assignment_id, section_key) in self.written

    def free_text(self, section_key: str, kind: str) -> list[t.Block]:
        """A section's whole text (foreword, references): an assessment without a heading."""
        return [self.assessment(kind, section_key=section_key, heading="")]

    def themes(self, area_code: str) -> list[t.Assessment]:
        """The themed subsections a centre added under a focus area, in the order made."""
        prefix = f"focus:{area_code}:{THEME_PREFIX}"
        return [
            self.assessment(
                AssessmentBlock.Kind.TEXT, section_key=block.section_key, heading=block.title
            )
            for block in self.data.blocks
            if block.assignment_id is None
            and block.kind == AssessmentBlock.Kind.TEXT
            and block.section_key.startswith(prefix)
        ]

    def plain_answer(self, text: str) -> str:
        """A text for a table cell: its words, live figures as their values."""
        parts = []
        for prose_block in prose.parse(text):
            for runs in t.prose_runs(prose_block):
                parts.append(
                    "".join(
                        (self.figures[run.key].text if run.key in self.figures else run.key)
                        if isinstance(run, t.LiveFigure)
                        else (run.target if isinstance(run, t.CrossRef) else run.text)
                        for run in runs
                    )
                )
        return " ".join(" ".join(parts).split())

    # whole report ------------------------------------------------------------------------
    def build(self, *, include_findings: bool = True) -> t.Report:
        self.figures = figure_values(self)
        report = t.Report(
            center=self.center.slug,
            center_name=self.center.name,
            year=self.year,
            title=_("Årsrapport {year}").format(year=self.year),
            subtitle=self.center.name,
            labels=labels(),
        )
        report.sections = [
            t.Section("foreword", _("Forord"), "none", self.free_text("foreword", "foreword")),
            self.key_figures_section(),
            self.overall_chapter(),
            self.focus_chapter(),
            self.assignments_chapter(),
            *self.provided_chapters(),
            t.Section("references", _("Referanser"), "none", self.free_text("references", "text")),
            *self.appendices(),
        ]
        t.finish(report, self.figures)
        report.findings.extend(
            check_prose(
                report,
                self.figures,
                (record for kind in TAGGED_KINDS for record in self.data.records[kind]),
            )
        )
        report.findings.extend(check_year(self.data))
        report.findings.extend(provided_findings(self.center, self.year, self.memo))
        report.findings.sort(
            key=lambda f: ({"error": 0, "warning": 1, "info": 2}[f.severity], f.code)
        )
        if include_findings and report.findings:
            report.sections.append(
                t.Section(
                    "findings",
                    _("Åpne funn i datakvalitetskontrollen"),
                    "none",
                    [
                        generated(
                            ngettext(
                                "Kontrollen fant {n} forhold som bør rettes før rapporten sendes.",
                                "Kontrollen fant {n} forhold som bør rettes før rapporten sendes.",
                                len(report.findings),
                            ).format(n=len(report.findings))
                        ),
                        t.Findings(list(report.findings)),
                    ],
                )
            )
        return report

    # key figures ---------------------------------------------------------------------------
    def key_figures_section(self) -> t.Section:
        """The centre's chosen key figures, in its order, each with its source; the
        comparison with published figures is a finding of the check, not printed here."""
        f = self.data.figures
        prev: dict[str, int] | None = (
            self.data.previous_counts if self.data.has_previous_year else None
        )
        chosen = f["key_figures"]
        items = [
            t.KeyFigure(
                item["label"],
                item["value"],
                prev.get(item["key"]) if prev else None,
                item["key"],
                source=item["source"],
            )
            for item in chosen["figures"]
        ]
        blocks: list[t.Block] = [t.KeyFigures(items, self.year, self.year - 1 if prev else None)]
        if any(item.key == "municipalities_reached" for item in items):
            blocks.append(generated(reach_sentence(f["reach"])))
        if prev:
            rows: list[list[t.Cell]] = [
                [kind_label(k), f["counts"][k], prev[k], f["counts"][k] - prev[k]]
                for k in TAGGED_KINDS
                if f["counts"][k] or prev[k]
            ]
            blocks.append(
                t.Table(
                    caption=_("Registreringer {year} og {previous}").format(
                        year=self.year, previous=self.year - 1
                    ),
                    columns=[_("Type"), str(self.year), str(self.year - 1), _("Endring")],
                    rows=rows,
                    key="year-over-year",
                )
            )
        return t.Section(
            "key-figures",
            _("Nøkkeltall for {center} {year}").format(center=self.short, year=self.year),
            "none",
            blocks,
        )

    # chapter 1 --------------------------------------------------------------------------------
    def overall_chapter(self) -> t.Section:
        f = self.data.figures
        children = []
        for letter, title in overall_titles():
            blocks: list[t.Block] = []
            if letter == "a":
                present = [
                    kind_count(kind, f["counts"][kind])
                    for kind in TAGGED_KINDS
                    if f["counts"][kind]
                ]
                if present:
                    blocks.append(
                        generated(
                            _("I {year} registrerte {center} {items}.").format(
                                year=self.year, center=self.short, items=join_words(present)
                            )
                        )
                    )
                if f["counts"]["events"]:
                    blocks.append(
                        generated(
                            _(
                                "Arrangementene hadde til sammen {participations} deltakelser."
                            ).format(participations=fmt_int(f["events"]["participants"]))
                        )
                    )
                if f["municipalities_reached"]:
                    # The one reach (figures.reach): every channel, not the events alone.
                    reach = (
                        _("Senterets arbeid nådde til sammen {n} kommuner.")
                        if f["reach"]["counting"] == "municipalities"
                        else _("Senterets arbeid nådde til sammen {n} kommuner og bydeler.")
                    )
                    blocks.append(generated(reach.format(n=fmt_int(f["municipalities_reached"]))))
            if letter == "b":
                blocks.extend(self.evaluation_facts(None))
            blocks.append(
                self.assessment(AssessmentBlock.Kind.OVERALL, section_key=f"overall:{letter}")
            )
            children.append(t.Section(f"overall:{letter}", title, "letter", blocks))
        return t.Section("overall", _("Overordnet vurdering"), "chapter", [], children)

    # chapter 2 --------------------------------------------------------------------------------
    def focus_chapter(self) -> t.Section:
        children = []
        for area in self.data.focus_areas:
            key = f"focus:{area.code}"
            blocks: list[t.Block] = []
            tagged = self.by_focus.get(area.code, {})
            present = [kind_count(k, len(tagged[k])) for k in TAGGED_KINDS if tagged.get(k)]
            if present:
                blocks.append(
                    generated(
                        _("Til innsatsområdet er det knyttet {items}.").format(
                            items=join_words(present)
                        )
                    )
                )
            extra = getattr(self, f"focus_{area.code}", None)
            if extra is not None:
                blocks.extend(extra())
            if not blocks and not self.has_written(None, key):
                blocks.append(
                    generated(
                        _(
                            "Ingen registreringer er knyttet direkte til dette "
                            "innsatsområdet i {year}."
                        ).format(year=self.year)
                    )
                )
            blocks.append(self.assessment(AssessmentBlock.Kind.ACTIVITIES, section_key=key))
            involvement = self.blocks.get((None, key, AssessmentBlock.Kind.INVOLVEMENT))
            if involvement is not None and involvement.text.strip():
                blocks.append(self.assessment(AssessmentBlock.Kind.INVOLVEMENT, section_key=key))
            blocks.append(self.assessment(AssessmentBlock.Kind.RESULTS, section_key=key))
            blocks.extend(self.themes(area.code))
            children.append(t.Section(key, area.name, "letter", blocks))
        return t.Section(
            "focus", _("Rapportering på innsatsområder og resultater"), "chapter", [], children
        )

    def focus_a(self) -> list[t.Block]:
        """Dissemination: what was published, with last year's topic-page visits."""
        f = self.data.figures
        blocks: list[t.Block] = []
        runs: list[t.Inline | str] = []
        kinds = [
            kind
            for kind in ("presentations", "op_eds", "media_appearances", "consultation_responses")
            if f["counts"][kind]
        ]
        # One sentence listing what was registered, each with its appendix.
        for index, kind in enumerate(kinds):
            if index == 0:
                runs.append(_("For {year} er det registrert ").format(year=self.year))
            elif index == len(kinds) - 1:
                runs.append(_(" og "))
            else:
                runs.append(", ")
            runs.extend(
                [
                    _("{items} (se ").format(items=kind_count(kind, f["counts"][kind])),
                    t.CrossRef(APPENDIX_OF_KIND[kind]),
                    ")",
                ]
            )
        if kinds:
            runs.append(". ")
        if f["counts"]["web_articles"]:
            runs.append(
                _("{center} publiserte {items} på nettstedet.").format(
                    center=self.short, items=kind_count("web_articles", f["counts"]["web_articles"])
                )
            )
        if runs:
            blocks.append(generated(*runs))
        pages = f["topic_pages"]
        if pages:
            has_previous = any(v["visits_previous_year"] is not None for v in pages.values())
            rows: list[list[t.Cell]] = []
            for name, visits in pages.items():
                row: list[t.Cell] = [name, visits["visits"]]
                if has_previous:
                    now, before = visits["visits"], visits["visits_previous_year"]
                    row.append(before)
                    row.append(now - before if now is not None and before is not None else None)
                rows.append(row)
            columns = [_("Temaside"), _("Antall besøk {year}").format(year=self.year)]
            if has_previous:
                columns += [_("Antall besøk {year}").format(year=self.year - 1), _("Endring")]
            blocks.append(
                generated(
                    ngettext(
                        "Nettstedet har {n} temaside med besøkstall for {year}.",
                        "Nettstedet har {n} temasider med besøkstall for {year}.",
                        len(rows),
                    ).format(n=len(rows), year=self.year)
                )
            )
            blocks.append(
                t.Table(
                    caption=_("Besøk på temasidene"), columns=columns, rows=rows, key="topic-pages"
                )
            )
        return blocks

    def focus_b(self) -> list[t.Block]:
        """Competence building: events by format, theme and region."""
        events = self.data.records["events"]
        if not events:
            return []
        f = self.data.figures
        formats = f["events"]["by_format"]
        counts = list(formats.values())
        shares = t.largest_remainder_percentages(counts)
        rows: list[list[t.Cell]] = [
            [label, count, share]
            for (label, count), share in zip(formats.items(), shares, strict=True)
        ]
        rows.append([_("Sum"), sum(counts), 100])
        blocks: list[t.Block] = [
            generated(
                _(
                    "{center} var arrangør eller medarrangør av {items} med til sammen "
                    "{participations} deltakelser. Alle arrangementene står i "
                ).format(
                    center=self.short,
                    items=kind_count("events", len(events)),
                    participations=fmt_int(f["events"]["participants"]),
                ),
                t.CrossRef("appendix:events"),
                ".",
            ),
            t.Table(
                caption=_("Arrangementer etter form"),
                columns=[_("Form"), _("Antall"), _("Prosent")],
                rows=rows,
                footnote=_(
                    "Prosentene er avrundet med største-rest-metoden, så de summerer til 100."
                ),
                key="events-by-format",
                percent_columns=(2,),
                total_rows=1,
            ),
            self.events_by_theme_figure(events),
            self.participants_by_region_figure(events),
        ]
        return blocks

    def focus_c(self) -> list[t.Block]:
        """Service development: the teams the centre supports and their fidelity reviews."""
        teams = self.data.figures.get("teams") or {}
        by_type = teams.get("by_type") or {}
        if not any(by_type.values()):
            return []
        covered = teams.get("municipalities_covered", {})
        reviews = (teams.get("fidelity_reviews") or {}).get("by_type", {})
        rows: list[list[t.Cell]] = [
            [kind, count, covered.get(kind, 0), reviews.get(kind, 0)]
            for kind, count in by_type.items()
            if count
        ]
        total_reviews = (teams.get("fidelity_reviews") or {}).get("total", 0)
        return [
            generated(
                _(
                    "Ved utgangen av {year} var {teams} team registrert i modellene senteret "
                    "støtter, og det ble gjennomført {reviews} fidelitymålinger."
                ).format(year=self.year, teams=sum(by_type.values()), reviews=total_reviews)
            ),
            t.Table(
                caption=_("Team etter modell {year}").format(year=self.year),
                columns=[_("Modell"), _("Team"), _("Kommuner dekket"), _("Fidelitymålinger")],
                rows=rows,
                key="teams-by-type",
            ),
        ]

    def focus_d(self) -> list[t.Block]:
        """Network collaboration: the groups the centre takes part in."""
        groups = self.data.records["groups"]
        if not groups:
            return []
        display = {value: str(label) for value, label in Group.Kind.choices}
        by_kind = Counter(display.get(g.kind, g.kind) for g in groups)
        rows: list[list[t.Cell]] = [
            [str(kind), n] for kind, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return [
            generated(
                _("{center} deltar i {items}; de er listet i ").format(
                    center=self.short, items=kind_count("groups", len(groups))
                ),
                t.CrossRef("appendix:groups"),
                ".",
            ),
            t.Table(
                caption=_("Eksterne grupper og nettverk etter type"),
                columns=[_("Type"), _("Antall")],
                rows=rows,
                key="groups-by-kind",
            ),
        ]

    def events_by_theme_figure(self, events: list[Any]) -> t.Figure:
        themes: dict[str, Counter[str]] = {}
        for event in events:
            themes.setdefault(event.theme or UNSTATED, Counter())[event.format or UNSTATED] += 1
        ordered = sorted(themes, key=lambda name: (-sum(themes[name].values()), name))
        formats = [str(value) for value, _label in event_formats()]
        if any(UNSTATED in c for c in themes.values()):
            formats.append(UNSTATED)
        series = [t.Series(fmt, [themes[name][fmt] for name in ordered]) for fmt in formats]
        series = [s for s in series if any(s.values)]
        top = ordered[0] if ordered else ""
        return t.Figure(
            kind="stacked-bar",
            caption=_("Arrangementer etter tema og form"),
            alt=_(
                "Liggende stolpediagram over {n} arrangementer fordelt på {themes} temaer og "
                "form. Flest arrangementer hadde temaet «{top}» ({count})."
            ).format(
                n=len(events),
                themes=len(ordered),
                top=top,
                count=sum(themes[top].values()) if top else 0,
            ),
            labels=ordered,
            series=series,
            value_label=_("Antall arrangementer"),
            key="events-by-theme",
        )

    def participants_by_region_figure(self, events: list[Any]) -> t.Figure:
        totals: Counter[str] = Counter()
        for event in events:
            regions = event.region_names or [UNSTATED]
            for region in regions:
                totals[region] += event.participants or 0
        ordered = sorted(totals, key=lambda name: (name == UNSTATED, name))
        return t.Figure(
            kind="bar",
            caption=_("Deltakelser etter region"),
            alt=_(
                "Stolpediagram over deltakelser på arrangementer per region. Et arrangement "
                "som dekker flere regioner telles i hver av dem. {summary}."
            ).format(summary="; ".join(f"{name}: {fmt_int(totals[name])}" for name in ordered)),
            labels=ordered,
            series=[t.Series(_("Deltakelser"), [totals[name] for name in ordered])],
            value_label=_("Deltakelser"),
            key="participants-by-region",
        )

    # chapter 3 -------------------------------------------------------------------------------
    def assignments_chapter(self) -> t.Section:
        children: dict[int | None, list[Assignment]] = defaultdict(list)
        known = {a.pk for a in self.data.assignments}
        for assignment in self.data.assignments:
            parent = assignment.parent_id if assignment.parent_id in known else None
            children[parent].append(assignment)

        def section(assignment: Assignment) -> t.Section:
            subs = [section(child) for child in children.get(assignment.pk, [])]
            blocks: list[t.Block] = list(self.assignment_facts(assignment, subs))
            for kind in ASSIGNMENT_KINDS:
                if kind == AssessmentBlock.Kind.RESULTS:
                    blocks.extend(self.evaluation_facts(assignment.number))
                blocks.append(self.assessment(kind, assignment=assignment))
            return t.Section(
                f"assignment:{assignment.number}", assignment.title, "chapter", blocks, subs
            )

        return t.Section(
            "assignments",
            _("Rapportering på særskilte satsinger og oppgaver i tilskuddsbrev {year}").format(
                year=self.year
            ),
            "chapter",
            [],
            [section(a) for a in children.get(None, [])],
        )

    def evaluation_facts(self, number: str | None) -> list[t.Block]:
        """The standard event evaluation's results: the year's, or one assignment's."""
        from oppdrag.evaluations.report import evaluation_blocks

        figures = self.data.figures.get("evaluations") or {}
        if number is None:
            scope = _("arrangementene i {year}").format(year=self.year)
            return evaluation_blocks(figures.get("standard"), key="evaluations", scope=scope)
        return evaluation_blocks(
            (figures.get("by_assignment") or {}).get(number),
            key=f"evaluations:{number}",
            scope=_("arrangementene under oppdrag {number}").format(number=number),
        )

    def assignment_facts(self, assignment: Assignment, subs: list[t.Section]) -> list[t.Block]:
        tagged = self.by_assignment.get(assignment.pk, {})
        blocks: list[t.Block] = []
        events = tagged.get("events", [])
        if events:
            blocks.extend(self.event_facts(events))
        others = [k for k in TAGGED_KINDS[1:] if tagged.get(k)]
        if others:
            items = join_words([kind_count(k, len(tagged[k])) for k in others])
            opening = (
                _("Oppdraget har også {items}") if events else _("Til oppdraget er knyttet {items}")
            )
            runs: list[t.Inline | str] = [opening.format(items=items)]
            appendix_refs = [k for k in others if k in APPENDIX_OF_KIND]
            if appendix_refs:
                runs.append(_(" (se "))
                for index, kind in enumerate(appendix_refs):
                    if index:
                        runs.append(", ")
                    runs.append(t.CrossRef(APPENDIX_OF_KIND[kind]))
                runs.append(")")
            runs.append(".")
            blocks.append(generated(*runs))
        hours = self.hours_by_assignment.get(assignment.number)
        if hours:
            blocks.append(
                generated(
                    _("Det er ført {hours} timer på oppdraget (se ").format(hours=fmt_int(hours)),
                    t.CrossRef("appendix:hours"),
                    ").",
                )
            )
        cost = self.cost_by_assignment.get(assignment.number)
        if cost:
            # Whole kroner, half up; generated accounts say so in the sentence itself.
            text = (
                _("Regnskapet (eksempeldata) viser {amount} kr brukt på oppdraget (se ")
                if self.finance_generated
                else _("Regnskapet viser {amount} kr brukt på oppdraget (se ")
            )
            paragraph = generated(
                text.format(amount=fmt_int(half_up_number(cost))),
                t.CrossRef("finance"),
                ").",
            )
            paragraph.illustrative = self.finance_generated
            blocks.append(paragraph)
        if not blocks and not self.has_written(assignment.pk, ""):
            if subs:
                runs = [_("Arbeidet under dette oppdraget rapporteres i ")]
                for index, sub in enumerate(subs):
                    if index:
                        runs.append(", " if index < len(subs) - 1 else _(" og "))
                    runs.append(t.CrossRef(sub.key))
                runs.append(".")
                blocks.append(generated(*runs))
            else:
                blocks.append(
                    generated(
                        _("Ingen registreringer er knyttet til dette oppdraget i {year}.").format(
                            year=self.year
                        )
                    )
                )
        return blocks

    def event_facts(self, events: list[Any]) -> list[t.Block]:
        participations = sum(e.participants or 0 for e in events)
        missing = sum(1 for e in events if e.participants is None)
        formats = Counter(e.format for e in events if e.format)
        scopes = Counter(e.scope for e in events if e.scope)
        # Where some events lack a participant count the sum is a lower bound, and says
        # so; the missing counts themselves are a finding, not a sentence of the report.
        total = (
            _("minst {participations}") if missing else _("til sammen {participations}")
        ).format(participations=fmt_int(participations))
        opening = _("Til oppdraget er knyttet {items} i {year} (se ").format(
            year=self.year, items=kind_count("events", len(events))
        )
        sentence = _("), med {total} deltakelser.").format(total=total)
        format_words = {
            "Fysisk": lambda n: ngettext("{n} fysisk", "{n} fysiske", n),
            "Digital": lambda n: ngettext("{n} digitalt", "{n} digitale", n),
            "Hybrid": lambda n: ngettext("{n} hybrid", "{n} hybride", n),
        }
        parts = [
            word(formats[value]).format(n=formats[value])
            for value, word in format_words.items()
            if formats.get(value)
        ]
        if parts:
            sentence += " " + _("Av disse var {parts}.").format(parts=join_words(parts))
        # Scope values are adjectives (Nasjonal, Regional …); plural adds -e.
        scope_parts = [
            _("{n} {adjective}").format(n=n, adjective=str(scope).lower() + ("" if n == 1 else "e"))
            for scope, n in sorted(scopes.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        if scope_parts:
            sentence += " " + _("Etter nedslagsfelt var {parts}.").format(
                parts=join_words(scope_parts)
            )
        blocks: list[t.Block] = [generated(opening, t.CrossRef("appendix:events"), sentence)]
        series: dict[int, Any] = {}
        for event in events:
            if event.series is not None:
                series.setdefault(event.series.pk, event.series)
        # One sentence for all the series, so they do not open alike one after another.
        clauses = []
        for item in sorted(series.values(), key=lambda s: s.name):
            sessions = sum(1 for e in events if e.series_id == item.pk)
            if item.unique_participants is not None:
                text = _(
                    "serien «{name}» hadde {sessions} samlinger med {unique} unike deltakere"
                ).format(
                    name=item.name, sessions=sessions, unique=fmt_int(item.unique_participants)
                )
                if item.teams:
                    text += " " + _("fra {teams} team").format(teams=item.teams)
                clauses.append(text)
        if clauses:
            # Main clauses: a comma before «og», as bokmål writes them.
            text = (
                clauses[0]
                if len(clauses) == 1
                else _("{first}, og {last}").format(first=", ".join(clauses[:-1]), last=clauses[-1])
            )
            blocks.append(generated(text[:1].upper() + text[1:] + "."))
        return blocks

    # appendices -------------------------------------------------------------------------------
    def appendices(self) -> list[t.Section]:
        return [self.appendix(spec) for spec in APPENDICES]

    def appendix(self, spec: Appendix) -> t.Section:
        """One appendix as ``spec`` describes it: its table, then what follows it."""
        words = {"center": self.short, "year": self.year}
        caption = _(spec.caption).format(**words)
        empty = _(spec.empty).format(**words) if spec.empty else ""
        key = f"appendix-{spec.slug}"
        footnote = _(spec.footnote).format(**words) if spec.footnote else ""
        if spec.note is not None:
            footnote = " ".join(part for part in (footnote, spec.note(self)) if part)
        if spec.provided:
            blocks = self.provided_table(spec.provided, caption, empty, key)
        elif spec.group_column is not None:
            blocks = self.grouped_tables(spec, caption, footnote, empty, key)
        else:
            table = t.Table(
                caption=caption,
                columns=[_(column) for column in spec.columns],
                rows=self.appendix_rows(spec),
                footnote=footnote,
                empty_text=empty,
                key=key,
            )
            blocks = [table]
        if spec.after:
            blocks.extend(spec.after(self))
        style: t.NumberStyle = "appendix" if spec.number else "appendix-unnumbered"
        return t.Section(f"appendix:{spec.slug}", _(spec.title).format(**words), style, blocks)

    def grouped_tables(
        self, spec: Appendix, caption: str, footnote: str, empty: str, key: str
    ) -> list[t.Block]:
        """One table per value of the grouping column (a product type), in the order
        the values first occur, captioned by the value: the published appendix 5 lists
        its products under a heading per type."""
        column = spec.group_column
        assert column is not None
        rows = self.appendix_rows(spec)
        columns = [_(c) for i, c in enumerate(spec.columns) if i != column]
        if not rows:
            return [t.Table(caption=caption, columns=columns, rows=[], empty_text=empty, key=key)]
        groups: dict[str, list[list[t.Cell]]] = {}
        for row in rows:
            name = str(row[column] or "") or _("Uten type")
            groups.setdefault(name, []).append([c for i, c in enumerate(row) if i != column])
        tables = [
            t.Table(caption=name, columns=columns, rows=members, key=f"{key}-{index}")
            for index, (name, members) in enumerate(groups.items(), start=1)
        ]
        tables[-1].footnote = footnote
        return list(tables)

    def organizers_note(self) -> str:
        """Appendix 1's key to the short names its organiser column prints, each once."""
        full: dict[str, str] = {}
        for event in self.data.records["events"]:
            for _id, name in event.organizer_pairs:
                short, dash, rest = name.partition(" – ")
                if dash:
                    full.setdefault(short, rest)
        if not full:
            return ""
        return _("Arrangører med forkortet navn: {names}.").format(
            names="; ".join(f"{short}: {rest}" for short, rest in sorted(full.items()))
        )

    def presentations_note(self) -> str:
        """Appendix 2's note: the registry's presentations as of their last change."""
        day = self.data.presentations_as_of
        if day is None:
            return ""
        return _("Registrert i NVA per {date}.").format(date=fmt_date(day))

    def appendix_rows(self, spec: Appendix) -> list[list[t.Cell]]:
        row = spec.row
        if row is None:
            return spec.rows(self) if spec.rows else []
        return [row(record) for record in self.data.records[spec.records]]

    def hours_chart(self) -> list[t.Block]:
        """The hours per chapter as a bar chart, after the hours table (appendix 7)."""
        if not self.hours_by_assignment:
            return []
        ordered = sorted(self.hours_by_assignment, key=assignment_sort_key)
        summary = "; ".join(f"{n}: {fmt_int(self.hours_by_assignment[n])}" for n in ordered)
        return [
            t.Figure(
                kind="bar",
                caption=_("Timer per kapittel"),
                alt=_("Stolpediagram over timer ført per oppdrag i {year}. {summary}.").format(
                    year=self.year, summary=summary
                ),
                labels=ordered,
                series=[t.Series(_("Timer"), [self.hours_by_assignment[n] for n in ordered])],
                value_label=_("Timer"),
                key="hours-by-chapter",
            )
        ]

    def questionnaire_answers(self) -> list[list[t.Cell]]:
        """The grantor's closing questions with the centre's answers (unnumbered appendix)."""
        answers: list[list[t.Cell]] = []
        for index, question in enumerate(questionnaire(), start=1):
            block = self.blocks.get((None, f"questionnaire:{index}", "questionnaire"))
            text = self.plain_answer(block.text) if block is not None else ""
            answers.append([question, text or _("[Ikke besvart ennå.]")])
        return answers

    def external_staff_blocks(self) -> list[t.Block]:
        """Appendix 8's second table: hours of the host's staff outside the centre."""
        return self.provided_table(
            "external_staff",
            _("Samarbeid i {year} med ansatte i andre avdelinger").format(year=self.year),
            _("Ingen timer fra eksterne samarbeidspartnere er registrert for {year}.").format(
                year=self.year
            ),
            "appendix-external-staff",
        )

    def provided_chapters(self) -> list[t.Section]:
        """Chapters other apps contribute after chapter 3: each ``chapter:<name>``
        provider returns a section, or None when it has none for the year."""
        sections = []
        for name in [n for n in PROVIDERS if n.startswith("chapter:")]:
            section = provide(name, self.center, self.year, self.memo)
            if section is not None:
                sections.append(section)
        return sections

    def provided_table(self, name: str, caption: str, empty: str, key: str) -> list[t.Block]:
        provided: ProvidedTable | None = provide(name, self.center, self.year, self.memo)
        if provided is None:
            return [t.Table(caption=caption, columns=[], rows=[], empty_text=empty, key=key)]
        return [
            t.Table(
                caption=caption,
                columns=list(provided.columns),
                rows=[list(row) for row in provided.rows],
                footnote=provided.footnote,
                empty_text=empty,
                key=key,
                percent_columns=provided.percent_columns,
                total_rows=provided.total_rows,
            )
        ]


# --- the appendices ---------------------------------------------------------------------
Row = Callable[[Any], list[t.Cell]]


@dataclass(frozen=True)
class Appendix:
    """One appendix of the report: its section and the table that fills it.

    The rows are one ``row`` per record of the registry kind ``records``, or come from
    ``rows``, or the whole table from the provider ``provided`` (hours, staff); ``after``
    adds blocks below the table. Texts are message ids, translated when the report is
    built and formatted with ``center`` (short name) and ``year``. ``number`` is the
    appendix's number in the published reports (None: unnumbered); the renderers number
    the sections from their order, which is this table's.
    """

    number: int | None
    slug: str  # section "appendix:<slug>", table "appendix-<slug>"
    title: str
    caption: str
    columns: tuple[str, ...] = ()
    records: str = ""
    row: Row | None = None
    rows: Callable[[ReportBuilder], list[list[t.Cell]]] | None = None
    provided: str = ""
    after: Callable[[ReportBuilder], list[t.Block]] | None = None
    empty: str = ""
    footnote: str = ""
    # A note made from data, printed under the table after the footnote.
    note: Callable[[ReportBuilder], str] | None = None
    # The column whose values split the rows into one table each (printed as captions).
    group_column: int | None = None


APPENDICES = (
    Appendix(
        1,
        "events",
        N_("Arrangement: {center} som arrangør/medarrangør i {year}"),
        N_("Arrangementer {year}"),
        (
            N_("Tema"),
            N_("Hva"),
            N_("Antall deltakere"),
            N_("Nasjonal/regional"),
            N_("Deltakere"),
            N_("Arrangører"),
            N_("Fysisk/digital"),
        ),
        records="events",
        row=lambda e: [
            e.theme,
            e.title,
            e.participants,
            e.scope,
            e.audience,
            join_names(short_name(name) for _id, name in e.organizer_pairs),
            e.format,
        ],
        empty=N_("Ingen arrangementer er registrert for {year}."),
        note=ReportBuilder.organizers_note,
        footnote=N_(
            "{center} har arrangert alene, eller som medarrangør med betydelig bidrag i "
            "planlegging, innhold og gjennomføring."
        ),
    ),
    Appendix(
        2,
        "presentations",
        N_("Presentasjoner {year}"),
        N_("Presentasjoner {year}"),
        (N_("Tittel"), N_("Publiseringsdato"), N_("Type"), N_("Bidragsyter")),
        records="presentations",
        row=lambda p: [
            p.title,
            fmt_date(p.date) or str(p.year),
            p.kind,
            join_names(p.contributor_names),
        ],
        empty=N_("Ingen presentasjoner er registrert for {year}."),
        note=ReportBuilder.presentations_note,
    ),
    Appendix(
        3,
        "op-eds",
        N_("Kronikker og leserinnlegg {year}"),
        N_("Kronikker og leserinnlegg {year}"),
        (N_("Forfattere"), N_("Tittel"), N_("Type"), N_("Kanal"), N_("Dato"), N_("Lenke")),
        records="op_eds",
        row=lambda o: [
            "; ".join(o.contributor_names),
            o.title,
            o.kind,
            o.outlet,
            fmt_date(o.date),
            o.url,
        ],
        empty=N_("Ingen kronikker eller leserinnlegg er registrert for {year}."),
    ),
    Appendix(
        4,
        "consultations",
        N_("Høringsinnspill fra {center} {year}"),
        N_("Høringsinnspill {year}"),
        (N_("Dato"), N_("Tittel"), N_("Lenke")),
        records="consultation_responses",
        row=lambda c: [fmt_date(c.date), c.title, c.url],
        empty=N_("Ingen høringsinnspill er registrert for {year}."),
    ),
    Appendix(
        5,
        "products",
        N_("Produkter {year}"),
        N_("Produkter {year}"),
        (N_("Type"), N_("Tittel"), N_("Bidragsytere"), N_("Lenke")),
        records="publications",
        row=lambda p: [p.kind, p.title, join_names(p.contributor_names), p.url],
        empty=N_("Ingen produkter er registrert for {year}."),
        group_column=0,
    ),
    Appendix(
        6,
        "media",
        N_("{center} i medier {year}"),
        N_("Medieoppslag {year}"),
        (N_("Person"), N_("Rolle"), N_("Tittel"), N_("Medium"), N_("Dato"), N_("Lenke")),
        records="media_appearances",
        row=lambda a: [str(a.person), a.role, a.title, a.outlet, fmt_date(a.date), a.url],
        empty=N_("Ingen medieoppslag er registrert for {year}."),
    ),
    Appendix(
        7,
        "hours",
        N_("{center}s timeressurser i {year} fordelt på prosjekt/aktivitet"),
        N_("Timer fordelt på prosjekt/aktivitet {year}"),
        provided="hours",
        after=ReportBuilder.hours_chart,
        empty=N_("Ingen timer er registrert for {year} ennå."),
    ),
    Appendix(
        8,
        "staff",
        N_("Årsverk {year}"),
        N_("Årsverk {year}"),
        provided="staff",
        after=ReportBuilder.external_staff_blocks,
        empty=N_("Ingen ansatte eller årsverk er registrert for {year} ennå."),
    ),
    Appendix(
        9,
        "groups",
        N_("Eksterne arbeids-, referanse- og ressursgrupper"),
        N_("Eksterne arbeids-, referanse- og ressursgrupper"),
        (N_("Navn"),),
        records="groups",
        row=lambda g: [g.name],
        empty=N_("Ingen grupper eller nettverk er registrert for {year}."),
    ),
    Appendix(
        None,
        "questionnaire",
        N_("Målgrupper og annen måloppnåelse – samlet oppsummert vurdering"),
        N_("Samlet oppsummert vurdering"),
        (N_("Spørsmål"), N_("Samlet og oppsummert vurdering")),
        rows=ReportBuilder.questionnaire_answers,
    ),
)

# The appendix listing the records of each registry kind, for cross-references.
APPENDIX_OF_KIND = {spec.records: f"appendix:{spec.slug}" for spec in APPENDICES if spec.records}


def event_formats() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Format.choices]


def build_report(
    center: Center, year: int, *, include_findings: bool = True, data: YearData | None = None
) -> t.Report:
    """The resolved report tree of one centre's year, with its data-quality findings."""
    with translation.override("nb"):
        return ReportBuilder(data or load_year(center, year)).build(
            include_findings=include_findings
        )


def build_for_writing(
    center: Center, year: int
) -> tuple[t.Report, dict[str, t.FigureValue], YearData]:
    """The report tree with its live figures and data, for the writing pages."""
    with translation.override("nb"):
        builder = ReportBuilder(load_year(center, year))
        report = builder.build(include_findings=False)
        return report, builder.figures, builder.data

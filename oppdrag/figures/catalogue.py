"""The catalogue of key figures: every figure the system computes that a centre may
publish, each with its Norwegian definition and its source (the records or the import
it is computed from).

A centre chooses from it which figures its key-figures page shows, and in what order
(``oppdrag.figures.selection``). Each figure is read from the ``key_figures``
dictionary, so it is the number ``oppdrag figures --json`` gives. A figure whose
records are missing, or that counts none of them, is ``None`` (printed as not
registered), never 0 as a fact: a registry cannot tell "none happened" from "none
registered".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Value = int | float | None


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the catalogue."""

    key: str
    label: Promise
    definition: Promise
    source: Promise
    compute: Callable[[dict[str, Any]], Value]


def _count(kind: str) -> Callable[[dict[str, Any]], Value]:
    return lambda f: f["counts"][kind] or None


def _by(path: tuple[str, str], value: str) -> Callable[[dict[str, Any]], Value]:
    def compute(f: dict[str, Any]) -> Value:
        # A breakdown's value is missing only when the kind has no records at all.
        breakdown = f[path[0]][path[1]]
        return breakdown.get(value, 0) if breakdown else None

    return compute


def _web(name: str) -> Callable[[dict[str, Any]], Value]:
    return lambda f: f["web"].get(name)


def _videos(f: dict[str, Any]) -> Value:
    if not f["counts"]["publications"]:
        return None
    return sum(n for kind, n in f["publications"]["by_type"].items() if is_video(kind))


def is_video(kind: str) -> bool:
    """A product type that is a film or video («Film», «Video», «Film/video» …)."""
    lowered = kind.lower()
    return "film" in lowered or "video" in lowered


def _topic_visits(f: dict[str, Any]) -> Value:
    visits = [page["visits"] for page in f["topic_pages"].values() if page["visits"] is not None]
    return sum(visits) if visits else None


def _participations(f: dict[str, Any]) -> Value:
    if not f["counts"]["events"]:
        return None
    return f["events"]["participants"]


def _unique(f: dict[str, Any]) -> Value:
    if not f["counts"]["events"]:
        return None
    return f["events"]["participants_unique"]


def _reach(f: dict[str, Any]) -> Value:
    return f["municipalities_reached"] or None


def _networks_team_models(f: dict[str, Any]) -> Value:
    if not f["groups"]["by_kind"].get("nettverk"):
        return None
    return f["groups"]["networks_team_models"]


EVENTS_SOURCE = _("Arrangementer (vedlegg 1)")
GROUPS_SOURCE = _("Grupper og nettverk (vedlegg 9)")
WEB_SOURCE = _("Nettstatistikk (import av nettstedets besøkstall)")

CATALOGUE: tuple[FigureSpec, ...] = (
    FigureSpec(
        "networks",
        _("Nettverk"),
        _("Registrerte grupper av typen nettverk som senteret leder eller deltar i."),
        GROUPS_SOURCE,
        _by(("groups", "by_kind"), "nettverk"),
    ),
    FigureSpec(
        "networks_team_models",
        _("Nettverk for teammodellene"),
        _(
            "Registrerte nettverk der navnet nevner en av tjenestemodellene i teamregisteret "
            "(ACT, FACT, FACT ung, RPH, Housing First …)."
        ),
        GROUPS_SOURCE,
        _networks_team_models,
    ),
    FigureSpec(
        "groups",
        _("Grupper og nettverk"),
        _("Alle registrerte grupper og nettverk, uansett type og rolle."),
        GROUPS_SOURCE,
        _count("groups"),
    ),
    FigureSpec(
        "municipalities_reached",
        _("Kommuner nådd"),
        _(
            "Kommuner (eller kommuner og bydeler, etter senterets valg) som arbeidet nådde "
            "gjennom arrangementer, henvendelser, team senteret følger og evalueringssvar."
        ),
        _("Arrangementer, henvendelser, team og evalueringer"),
        _reach,
    ),
    FigureSpec(
        "events",
        _("Arrangementer"),
        _("Arrangementer senteret arrangerte alene eller sammen med andre."),
        EVENTS_SOURCE,
        _count("events"),
    ),
    FigureSpec(
        "events_physical",
        _("Fysiske arrangementer"),
        _("Arrangementer registrert med format fysisk."),
        EVENTS_SOURCE,
        _by(("events", "by_format"), "Fysisk"),
    ),
    FigureSpec(
        "events_digital",
        _("Digitale arrangementer"),
        _("Arrangementer registrert med format digitalt."),
        EVENTS_SOURCE,
        _by(("events", "by_format"), "Digital"),
    ),
    FigureSpec(
        "events_hybrid",
        _("Hybride arrangementer"),
        _("Arrangementer registrert med format hybrid."),
        EVENTS_SOURCE,
        _by(("events", "by_format"), "Hybrid"),
    ),
    FigureSpec(
        "participations",
        _("Deltakelser på arrangementer"),
        _(
            "Summen av deltakere på årets arrangementer; den som deltar på flere, telles "
            "flere ganger."
        ),
        EVENTS_SOURCE,
        _participations,
    ),
    FigureSpec(
        "participants_unique",
        _("Unike deltakere (anslag)"),
        _(
            "Deltakere på arrangementer utenfor serier, pluss seriens unike deltakere for "
            "arrangementer i en serie."
        ),
        _("Arrangementer og arrangementsserier"),
        _unique,
    ),
    FigureSpec(
        "presentations",
        _("Presentasjoner"),
        _("Foredrag og andre presentasjoner holdt av senterets ansatte."),
        _("Presentasjoner (vedlegg 2)"),
        _count("presentations"),
    ),
    FigureSpec(
        "op_eds",
        _("Kronikker og leserinnlegg"),
        _("Kronikker og leserinnlegg skrevet av senterets ansatte."),
        _("Kronikker og leserinnlegg (vedlegg 3)"),
        _count("op_eds"),
    ),
    FigureSpec(
        "consultation_responses",
        _("Høringsinnspill"),
        _("Høringssvar og innspill senteret har sendt."),
        _("Høringsinnspill (vedlegg 4)"),
        _count("consultation_responses"),
    ),
    FigureSpec(
        "publications",
        _("Produkter"),
        _("Bøker, kapitler, rapporter, artikler og andre produkter."),
        _("Produkter (vedlegg 5)"),
        _count("publications"),
    ),
    FigureSpec(
        "videos",
        _("Filmer og videoer"),
        _("Registrerte produkter av typen film eller video."),
        _("Produkter (vedlegg 5) av typen film eller video"),
        _videos,
    ),
    FigureSpec(
        "media_appearances",
        _("Medieoppslag"),
        _("Oppslag i mediene der senterets ansatte er intervjuet eller omtalt."),
        _("Medieoppslag (vedlegg 6)"),
        _count("media_appearances"),
    ),
    FigureSpec(
        "advice_requests",
        _("Henvendelser"),
        _("Råd og veiledning gitt til kommuner, tjenester og team."),
        _("Henvendelser"),
        _count("advice_requests"),
    ),
    FigureSpec(
        "web_visits",
        _("Besøk på nettstedet"),
        _("Besøk på senterets nettsted i året, slik nettstatistikken teller dem."),
        WEB_SOURCE,
        _web("visits"),
    ),
    FigureSpec(
        "web_unique_pageviews",
        _("Unike sidevisninger"),
        _("Unike sidevisninger på senterets nettsted i året."),
        WEB_SOURCE,
        _web("unique_pageviews"),
    ),
    FigureSpec(
        "web_users",
        _("Brukere av nettstedet"),
        _("Brukere av senterets nettsted i året, slik nettstatistikken teller dem."),
        WEB_SOURCE,
        _web("users"),
    ),
    FigureSpec(
        "web_articles",
        _("Saker på nettstedet"),
        _("Nettsaker publisert på senterets nettsted i året."),
        _("Nettsaker"),
        _count("web_articles"),
    ),
    FigureSpec(
        "topic_page_visits",
        _("Besøk på temasidene"),
        _("Summen av årets besøk på senterets temasider."),
        _("Besøk på temasider"),
        _topic_visits,
    ),
)

BY_KEY: dict[str, FigureSpec] = {spec.key: spec for spec in CATALOGUE}

# The figures NAPHA publishes on its key-figures page, in its order: the default choice.
# (The conference's viewers and the hours of film have no records to be computed from.)
DEFAULT_KEYS: tuple[str, ...] = (
    "networks",
    "networks_team_models",
    "municipalities_reached",
    "events",
    "presentations",
    "consultation_responses",
    "web_visits",
    "web_articles",
    "videos",
)


@dataclass(frozen=True)
class ComputedFigure:
    """A chosen figure with its value (``None`` when its records are missing)."""

    key: str
    label: str
    definition: str
    source: str
    value: Value

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "source": self.source,
            "missing": self.value is None,
        }


def compute(keys: list[str], figures: dict[str, Any], reach_label: str) -> list[ComputedFigure]:
    """The chosen figures, in their order, from the ``key_figures`` dictionary.

    ``reach_label`` names the reach figure the way the centre counts it.
    """
    result = []
    for key in keys:
        spec = BY_KEY.get(key)
        if spec is None:  # a figure since removed from the catalogue
            continue
        label = reach_label if key == "municipalities_reached" else str(spec.label)
        # Every figure counts or sums records: 0 is "nothing registered", not a fact.
        value = spec.compute(figures) or None
        result.append(ComputedFigure(key, label, str(spec.definition), str(spec.source), value))
    return result

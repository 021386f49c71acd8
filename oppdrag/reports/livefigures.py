"""Figures the prose may cite as ``[[figur:KEY]]``: computed from the year's records.

Every value comes from what the report builder already loaded (``YearData``), so the
figures cost no query of their own and say what the report's tables say. Keys:

- ``count:<kind>``: records of a kind in the year (``count:events``)
- ``count:<kind>:assignment:<number>`` / ``count:<kind>:focus:<code>``: those tagged
  to an assignment (its number in the grant letter) or a focus area
- ``participants`` / ``participants:assignment:<number>``: participations in events
- ``municipalities``: municipalities the events reached
- ``hours`` / ``hours:assignment:<number>``: hours registered
- ``visits:<page>``: a topic page's visits (``<page>`` is the page name as a slug)
- ``teams`` / ``teams:<type>`` / ``teams-started:<type>``: teams in the registry, by type
  and started in the year; ``fidelity-reviews``: fidelity reviews in the year
- ``date:<uid>``: the date of one record (event, consultation response …)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import tree as t
from .data import TAGGED_KINDS
from .rounding import half_up_number

if TYPE_CHECKING:
    from .builder import ReportBuilder


def _value(value: int | float, label: str) -> t.FigureValue:
    from .builder import fmt_int

    if isinstance(value, float) and value == int(value):
        value = int(value)
    return t.FigureValue(value, fmt_int(value), label)


def figure_values(builder: ReportBuilder) -> dict[str, t.FigureValue]:
    """Every live figure of the builder's year, by key (no queries)."""
    from .builder import kind_label

    data = builder.data
    f = data.figures
    values: dict[str, t.FigureValue] = {}
    year = data.year
    # Each label template and kind name translated once, not once per figure: a year
    # has hundreds of figures and translating was a tenth of this function's time.
    names = {kind: kind_label(kind) for kind in TAGGED_KINDS}
    under_assignment = _("{kind} under oppdrag {number}")
    for kind in TAGGED_KINDS:
        values[f"count:{kind}"] = _value(
            f["counts"].get(kind, 0), _("{kind} i {year}").format(kind=names[kind], year=year)
        )
    numbers = {a.pk: a.number for a in data.assignments}
    for assignment_id, tagged in builder.by_assignment.items():
        number = numbers.get(assignment_id)
        if number is None:
            continue
        for kind in TAGGED_KINDS:
            values[f"count:{kind}:assignment:{number}"] = _value(
                len(tagged.get(kind, [])),
                under_assignment.format(kind=names[kind], number=number),
            )
        events = tagged.get("events", [])
        values[f"participants:assignment:{number}"] = _value(
            sum(e.participants or 0 for e in events),
            _("Deltakelser under oppdrag {number}").format(number=number),
        )
    for number in numbers.values():
        for kind in TAGGED_KINDS:
            values.setdefault(
                f"count:{kind}:assignment:{number}",
                _value(0, under_assignment.format(kind=names[kind], number=number)),
            )
    under_area = _("{kind} under innsatsområde {code}")
    for area in data.focus_areas:
        tagged = builder.by_focus.get(area.code, {})
        for kind in TAGGED_KINDS:
            values[f"count:{kind}:focus:{area.code}"] = _value(
                len(tagged.get(kind, [])), under_area.format(kind=names[kind], code=area.code)
            )
    values["participants"] = _value(
        f["events"]["participants"], _("Deltakelser på arrangementer i {year}").format(year=year)
    )
    values["municipalities"] = _value(
        f["municipalities_reached"], _("Kommuner nådd direkte i {year}").format(year=year)
    )
    if builder.hours_by_assignment:
        values["hours"] = _value(
            half_up_number(sum(builder.hours_by_assignment.values())),
            _("Timer ført i {year}").format(year=year),
        )
        hours_on = _("Timer ført på oppdrag {number}")
        for number, hours in builder.hours_by_assignment.items():
            values[f"hours:assignment:{number}"] = _value(
                half_up_number(hours), hours_on.format(number=number)
            )
    for page, visits in (f.get("topic_pages") or {}).items():
        if visits.get("visits") is not None:
            values[f"visits:{slugify(page)}"] = _value(
                visits["visits"], _("Besøk på temasiden «{page}»").format(page=page)
            )
    teams = f.get("teams") or {}
    by_type = teams.get("by_type") or {}
    if by_type:
        values["teams"] = _value(
            sum(by_type.values()), _("Team i registeret per {year}").format(year=year)
        )
        for team_kind, n in by_type.items():
            values[f"teams:{slugify(team_kind)}"] = _value(
                n, _("{kind}-team i registeret").format(kind=team_kind)
            )
        for team_kind, n in (teams.get("started_in_year") or {}).items():
            values[f"teams-started:{slugify(team_kind)}"] = _value(
                n, _("{kind}-team startet i {year}").format(kind=team_kind, year=year)
            )
    reviews = (teams.get("fidelity_reviews") or {}).get("total")
    if reviews is not None:
        values["fidelity-reviews"] = _value(
            reviews, _("Fidelitymålinger i {year}").format(year=year)
        )
    date_of = _("Datoen for «{title}»")
    for kind in TAGGED_KINDS:
        for record in data.records[kind]:
            when = _record_date(record)
            if when is not None:
                values[f"date:{record.uid}"] = t.FigureValue(
                    when.isoformat(),
                    when.strftime("%d.%m.%Y"),
                    date_of.format(title=record_title(record)),
                )
    return values


def _record_date(record: Any) -> Any:
    return getattr(record, "date", None) or getattr(record, "date_start", None)


def record_title(record: Any) -> str:
    return str(getattr(record, "title", None) or getattr(record, "name", None) or record)

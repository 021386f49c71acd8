"""A team's feedback report after a fidelity review, as a report tree for the shared
renderers (DOCX, PDF, HTML, JSON)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from oppdrag.reports import tree as t
from oppdrag.reports.renderers import RENDERERS

from .models import FidelityReview
from .scales import parse_scale
from .services import (
    compare_with_previous,
    review_agreement,
    review_result,
    reviews_with_scores,
    team_history,
)


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _p(text: str) -> t.Paragraph:
    return t.Paragraph([t.Text(text)], generated=True)


def feedback_report(review: FidelityReview) -> t.Report:
    """The review's results, comments, agreement and follow-up as a report tree."""
    review = reviews_with_scores(FidelityReview.objects.filter(pk=review.pk)).get()
    with translation.override("nb"):
        return _build(review)


def _build(review: FidelityReview) -> t.Report:
    version = review.scale_version
    report = t.Report(
        center=review.center.slug,
        center_name=str(review.center),
        year=review.date.year,
        title=_("Tilbakemelding etter fidelitymåling"),
        subtitle="{team}, {date}".format(team=review.team, date=review.date.strftime("%d.%m.%Y")),
    )
    about = t.Section("about", _("Om målingen"))
    raters = ", ".join(
        f"{r.name} ({r.organization})" if r.organization else r.name for r in review.raters.all()
    )
    about.blocks.append(
        _p(
            _("Teamet {team} ble målt {date} med {scale}.").format(
                team=review.team, date=review.date.strftime("%d.%m.%Y"), scale=version
            )
        )
    )
    if raters:
        about.blocks.append(_p(_("Bedømmere: {raters}.").format(raters=raters)))
    if review.is_demo:
        about.blocks.append(
            _p(_("Dette er demonstrasjonsdata: skårene er generert og er ikke en ekte måling."))
        )
    report.sections.append(about)

    result = review_result(review)
    if result is not None and version.definition is not None:
        scale = parse_scale(version.definition)
        results = t.Section("results", _("Resultater"))
        results.blocks.append(
            _p(
                _("Samlet skår {total} av {high}: {level}.").format(
                    total=_num(result.total, 2), high=_num(scale.maximum, 0), level=result.level
                )
            )
        )
        results.blocks.append(
            t.Table(
                caption=_("Skår per del"),
                columns=[_("Del"), _("Gjennomsnitt")],
                rows=[[s.name, _num(s.mean, 2)] for s in result.sections],
            )
        )
        results.blocks.append(
            t.Figure(
                kind="bar",
                caption=_("Gjennomsnitt per del"),
                alt=_("Stolpediagram over gjennomsnittlig skår per del av skalaen."),
                labels=[s.name for s in result.sections],
                series=[t.Series(_("Skår"), [round(s.mean or 0, 2) for s in result.sections])],
            )
        )
        comments = {c.item_code: c.comment for c in review.consensus.all()}
        results.blocks.append(
            t.Table(
                caption=_("Skår per indikator"),
                columns=[_("Kode"), _("Indikator"), _("Skår"), _("Kommentar")],
                rows=[
                    [
                        item.code,
                        item.name,
                        _num(result.items[item.code], 0),
                        comments.get(item.code, ""),
                    ]
                    for item in scale.items
                ],
            )
        )
        history = [p for p in team_history(review.team) if p.total is not None]
        if len(history) > 1:
            results.blocks.append(
                t.Figure(
                    kind="bar",
                    caption=_("Samlet skår i teamets målinger"),
                    alt=_("Stolpediagram over samlet skår i hver av teamets målinger."),
                    labels=[p.date.strftime("%d.%m.%Y") for p in history],
                    series=[t.Series(_("Samlet skår"), [round(p.total or 0, 2) for p in history])],
                )
            )
        comparison = compare_with_previous(review)
        if comparison is not None:
            results.blocks.append(
                _p(
                    _("Endring i samlet skår siden målingen {date}: {change}.").format(
                        date=comparison["previous_date"], change=_num(comparison["total"], 2)
                    )
                )
            )
        report.sections.append(results)

    agreement = review_agreement(review)
    if agreement is not None:
        section = t.Section("agreement", _("Samsvar mellom bedømmerne"))
        rows: list[list[t.Cell]] = [
            [_("Eksakt samsvar"), _num(agreement.exact, 2)],
            [_("Samsvar innen ett poeng"), _num(agreement.within_one, 2)],
            [_("Vektet kappa (lineær)"), _num(agreement.kappa_linear, 2)],
            [_("Vektet kappa (kvadratisk)"), _num(agreement.kappa_quadratic, 2)],
            [_("Krippendorffs alfa (ordinal)"), _num(agreement.krippendorff_alpha_ordinal, 2)],
        ]
        rows += [
            [f"{form} – {icc.model}", _num(icc.value, 2)] for form, icc in agreement.icc.items()
        ]
        section.blocks.append(
            t.Table(caption=_("Samsvar"), columns=[_("Mål"), _("Verdi")], rows=rows)
        )
        if len(agreement.pairs) > 1:
            section.blocks.append(
                t.Table(
                    caption=_("Samsvar per par av bedømmere"),
                    columns=[_("Par"), _("Eksakt"), _("Innen ett poeng"), _("Kappa (lineær)")],
                    rows=[
                        [
                            " – ".join(pair.raters),
                            _num(pair.exact, 2),
                            _num(pair.within_one, 2),
                            _num(pair.kappa_linear, 2),
                        ]
                        for pair in agreement.pairs
                    ],
                )
            )
        report.sections.append(section)

    if review.follow_up:
        follow = t.Section("follow-up", _("Oppfølging"))
        follow.blocks.append(t.Paragraph([t.Text(review.follow_up)]))
        report.sections.append(follow)
    t.number_sections(report)
    t.resolve_references(report)
    return report


def render_feedback(review: FidelityReview, identifier: str = "docx") -> tuple[str, str, bytes]:
    """(filename, mimetype, bytes) of the feedback report in one of the report formats."""
    report = feedback_report(review)
    _name, mimetype, data = RENDERERS[identifier].render(report)
    extension = _name.rsplit(".", 1)[-1]
    name = "fidelity-{team}-{date}.{ext}".format(
        team="".join(c if c.isalnum() else "-" for c in review.team.name.lower()).strip("-"),
        date=review.date.isoformat(),
        ext=extension,
    )
    return name, mimetype, data

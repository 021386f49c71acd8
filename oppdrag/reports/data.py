"""Everything the report and the checks read, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from oppdrag.activities import models as m
from oppdrag.core.models import Center
from oppdrag.figures.keyfigures import KINDS, key_figures
from oppdrag.grants.models import Assignment, FocusArea

from .models import AssessmentBlock

# Kinds whose records can be tagged to an assignment, in the order the report lists them.
TAGGED_KINDS = (
    "events",
    "presentations",
    "op_eds",
    "consultation_responses",
    "publications",
    "media_appearances",
    "groups",
    "web_articles",
    "advice_requests",
)


def _tagged(queryset: Any) -> Any:
    return queryset.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.only("id", "number", "sort_key")),
        Prefetch("focus_areas", queryset=FocusArea.objects.only("id", "code")),
    ).order_by("id")


@dataclass
class YearData:
    """One centre's year of records, prefetched for the report and the checks."""

    center: Center
    year: int
    assignments: list[Assignment]
    focus_areas: list[FocusArea]
    records: dict[str, list[Any]]
    figures: dict[str, Any]
    previous_counts: dict[str, int]
    blocks: list[AssessmentBlock]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_previous_year(self) -> bool:
        return any(self.previous_counts.values())


def load_year(center: Center, year: int) -> YearData:
    """Load the year; the number of queries does not depend on the number of records."""
    scope = {"center": center, "year": year}
    records: dict[str, list[Any]] = {
        "events": list(
            _tagged(m.Event.objects.filter(**scope))
            .select_related("series")
            .prefetch_related(
                Prefetch(
                    "eventorganizer_set",
                    queryset=m.EventOrganizer.objects.select_related("organization").order_by(
                        "position", "id"
                    ),
                ),
                "regions",
                "municipalities",
            )
        ),
        "presentations": list(
            _tagged(m.Presentation.objects.filter(**scope)).prefetch_related(
                Prefetch(
                    "presentationcontributor_set",
                    queryset=m.PresentationContributor.objects.select_related("person").order_by(
                        "position", "id"
                    ),
                )
            )
        ),
        "op_eds": list(
            _tagged(m.OpEd.objects.filter(**scope)).prefetch_related(
                Prefetch(
                    "opedauthor_set",
                    queryset=m.OpEdAuthor.objects.select_related("person").order_by(
                        "position", "id"
                    ),
                )
            )
        ),
        "consultation_responses": list(_tagged(m.ConsultationResponse.objects.filter(**scope))),
        "publications": list(
            _tagged(m.Publication.objects.filter(**scope)).prefetch_related(
                Prefetch(
                    "publicationcontributor_set",
                    queryset=m.PublicationContributor.objects.select_related("person").order_by(
                        "position", "id"
                    ),
                )
            )
        ),
        "media_appearances": list(
            _tagged(m.MediaAppearance.objects.filter(**scope)).select_related("person")
        ),
        "groups": list(_tagged(m.Group.objects.filter(**scope))),
        "web_articles": list(_tagged(m.WebArticle.objects.filter(**scope))),
        "advice_requests": list(
            _tagged(m.AdviceRequest.objects.filter(**scope)).select_related("municipality")
        ),
    }
    previous_counts: dict[str, int] = {}
    for name, model in KINDS.items():
        rows = (
            model._default_manager.filter(center=center, year=year - 1)  # type: ignore[attr-defined]
            .order_by()
            .aggregate(n=Count("id"))
        )
        previous_counts[name] = rows["n"]
    return YearData(
        center=center,
        year=year,
        assignments=list(
            Assignment.objects.filter(center=center, year=year).order_by("sort_key", "id")
        ),
        focus_areas=list(FocusArea.objects.order_by("code")),
        records=records,
        figures=key_figures(center, year),
        previous_counts=previous_counts,
        blocks=list(
            AssessmentBlock.objects.filter(center=center, year=year)
            .select_related("assignment", "author")
            .order_by("id")
        ),
    )


def describe(kind: str, record: Any) -> str:
    """A short description of a record for findings: kind, date and title."""
    title = getattr(record, "title", None) or getattr(record, "name", None) or str(record)
    date = getattr(record, "date", None) or getattr(record, "date_start", None)
    ref = getattr(record, "ref", "")
    parts = [record._meta.verbose_name.capitalize()]
    if ref:
        parts.append(ref)
    if date:
        parts.append(date.strftime("%d.%m.%Y"))
    return " · ".join([*parts, f"«{title}»"])

"""``{% report_progress center year as progress %}`` for the dashboard's include."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from oppdrag.reports.progress import Progress, report_progress

register = template.Library()


@register.simple_tag
def report_progress_of(center: Any, year: int) -> Progress:
    """The report texts' progress for the centre's year, counted today."""
    return report_progress(center, int(year), timezone.localdate())

"""A centre's choice of key figures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import TenantModel

from .reach import Counting


class KeyFigureSelection(TenantModel):
    """The key figures a centre publishes, in order, from ``year`` on.

    A choice holds for its year and every later one until the centre chooses again, so
    it carries to the next year by itself. Without any choice the default applies (the
    figures NAPHA publishes, ``catalogue.DEFAULT_KEYS``).
    """

    year = models.PositiveSmallIntegerField(_("fra år"))
    keys = models.JSONField(_("nøkkeltall"), default=list)
    reach_counting = models.CharField(
        _("kommuner nådd telles som"),
        max_length=20,
        choices=Counting.choices,
        default=Counting.DISTRICTS,
    )
    # Who made the choice and when: the history rows (``history_user``, ``history_date``).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("valg av nøkkeltall")
        verbose_name_plural = _("valg av nøkkeltall")
        ordering = ["center", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="keyfigureselection_year")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.year}"

"""Figures imported from other systems that no registry row can give."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import TenantModel


class SiteTraffic(TenantModel):
    """The centre's web site in one year, as its analytics tool counted it.

    Imported from a Matomo or Google Analytics 4 export; a figure the export cannot
    give honestly (users summed over pages, say) stays empty rather than guessed.
    """

    class Source(models.TextChoices):
        MATOMO = "matomo", "Matomo"
        GA4 = "ga4", "Google Analytics 4"

    year = models.PositiveSmallIntegerField(_("år"))
    source = models.CharField(_("kilde"), max_length=20, choices=Source.choices)
    pageviews = models.PositiveBigIntegerField(_("sidevisninger"), null=True, blank=True)
    unique_pageviews = models.PositiveBigIntegerField(
        _("unike sidevisninger"), null=True, blank=True
    )
    visits = models.PositiveBigIntegerField(_("besøk"), null=True, blank=True)
    users = models.PositiveBigIntegerField(_("brukere"), null=True, blank=True)
    file_name = models.CharField(_("fil"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nettstedstrafikk")
        verbose_name_plural = _("nettstedstrafikk")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="sitetraffic_center_year")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.year}"

"""Grants, their numbered assignments, and the focus areas of the grant regulation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import TenantModel


class FocusArea(models.Model):
    """One of the grant regulation's focus areas (innsatsområder 2a–2f).

    They are the same for every centre under the regulation, so they are
    reference data rather than tenant data.
    """

    code = models.CharField(_("kode"), max_length=2, unique=True)
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        verbose_name = _("innsatsområde")
        verbose_name_plural = _("innsatsområder")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}) {self.name}"


class Grant(TenantModel):
    """One year's award to a centre (tilskudd)."""

    year = models.PositiveSmallIntegerField(_("år"))
    grantor = models.CharField(_("tilskuddsgiver"), max_length=200, default="Helsedirektoratet")
    scheme = models.CharField(_("tilskuddsordning"), max_length=300, blank=True)
    amount_nok = models.PositiveBigIntegerField(_("beløp (kr)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilskudd")
        verbose_name_plural = _("tilskudd")
        ordering = ["center", "-year"]
        constraints = [models.UniqueConstraint(fields=["center", "year"], name="grant_center_year")]

    def __str__(self) -> str:
        return f"{self.center} {self.year}"


class Assignment(TenantModel):
    """A numbered assignment of a year's grant (særskilt satsing/oppdrag).

    Assignments form a tree (2.1 → 2.1.1 → A). ``number`` is kept as the source
    writes it; ``sort_key`` orders 3.2 before 3.10.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    number = models.CharField(_("nummer"), max_length=20)
    title = models.CharField(_("tittel"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("overordnet oppdrag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    sort_key = models.CharField(max_length=100, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oppdrag")
        verbose_name_plural = _("oppdrag")
        ordering = ["center", "year", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "number"], name="assignment_center_year_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.sort_key = assignment_sort_key(self.number)
        super().save(*args, **kwargs)


def assignment_sort_key(number: str) -> str:
    """Zero-pad each numeric part so that text order is numbering order."""
    parts = [p for p in number.replace(" ", "").split(".") if p]
    return ".".join(p.zfill(4) if p.isdigit() else p for p in parts)


def parent_number(number: str) -> str | None:
    """The number of the parent assignment: 3.1.4 → 3.1; 3 → None."""
    parts = [p for p in number.split(".") if p]
    return ".".join(parts[:-1]) if len(parts) > 1 else None

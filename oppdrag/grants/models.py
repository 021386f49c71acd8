"""Grants, their numbered assignments, and the focus areas of the grant regulation."""

from __future__ import annotations

from django.conf import settings
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
    recipient = models.CharField(_("tilskuddsmottaker"), max_length=300, blank=True)
    application_date = models.DateField(_("søknadsdato"), null=True, blank=True)
    regulation_date = models.DateField(
        _("regelverkets dato"),
        null=True,
        blank=True,
        help_text=_("Datoen tilskuddsregelverket ble fastsatt."),
    )
    report_deadline = models.DateField(_("frist for årsrapport"), null=True, blank=True)
    letter_name = models.CharField(_("brevets filnavn"), max_length=255, blank=True)
    letter_text = models.TextField(
        _("brevets tekst"),
        blank=True,
        help_text=_("Teksten slik den ble lest; linjehenvisningene peker hit."),
    )
    parse_confidence = models.FloatField(_("lesesikkerhet"), null=True, blank=True)
    parse_notes = models.JSONField(
        _("merknader fra innlesingen"),
        default=dict,
        blank=True,
        help_text=_("Tekst som ikke kunne plasseres, og advarsler."),
    )
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
    previous = models.ForeignKey(
        "self",
        verbose_name=_("fjorårets oppdrag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text=_("Oppdraget i fjorårets tilskuddsbrev som dette viderefører."),
    )
    source_start_line = models.PositiveIntegerField(_("fra linje"), null=True, blank=True)
    source_end_line = models.PositiveIntegerField(_("til linje"), null=True, blank=True)
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


class SourceLines(models.Model):
    """Where in the grant letter's text an extracted item came from (1-based lines)."""

    source_start_line = models.PositiveIntegerField(_("fra linje"), null=True, blank=True)
    source_end_line = models.PositiveIntegerField(_("til linje"), null=True, blank=True)

    class Meta:
        abstract = True


class BudgetLine(TenantModel, SourceLines):
    """A chapter and post of the state budget the grant is paid over (kap./post)."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("tilskudd"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    chapter = models.CharField(_("kapittel"), max_length=4)
    post = models.CharField(_("post"), max_length=2)
    amount_nok = models.PositiveBigIntegerField(_("beløp (kr)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budsjettpost")
        verbose_name_plural = _("budsjettposter")
        ordering = ["grant", "chapter", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "chapter", "post"], name="budgetline_grant_chapter_post"
            )
        ]

    def __str__(self) -> str:
        return _("kap. {chapter} post {post}").format(chapter=self.chapter, post=self.post)


class Deliverable(TenantModel, SourceLines):
    """A sub-item of an assignment (a bullet in the letter), followed up on its own."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("oppdrag"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    text = models.TextField(_("tekst"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leveranse")
        verbose_name_plural = _("leveranser")
        ordering = ["assignment", "position"]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class DeliverableTag(TenantModel):
    """A registered record (event, presentation …) tagged to a deliverable.

    The activity models tag assignments through their own many-to-many field;
    a deliverable is finer grained, so its tags point to any record by type and id.
    """

    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("leveranse"), on_delete=models.CASCADE, related_name="tags"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("type"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("post-id"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kobling til leveranse")
        verbose_name_plural = _("koblinger til leveranser")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "content_type", "object_id"], name="deliverabletag_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} ← {self.content_type} {self.object_id}"


class GrantDate(TenantModel, SourceLines):
    """A date or period in the year plan (årshjul): a meeting, deadline or campaign."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Møte")
        DEADLINE = "deadline", _("Frist")
        CAMPAIGN = "campaign", _("Kampanjeperiode")
        REPORT_DEADLINE = "report_deadline", _("Rapporteringsfrist")
        OTHER = "other", _("Annen dato")

    grant = models.ForeignKey(
        Grant, verbose_name=_("tilskudd"), on_delete=models.CASCADE, related_name="dates"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tittel"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)
    date = models.DateField(_("dato"), null=True, blank=True)
    period_start = models.DateField(_("periode fra"), null=True, blank=True)
    period_end = models.DateField(_("periode til"), null=True, blank=True)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("oppdrag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dates",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dato i årshjulet")
        verbose_name_plural = _("datoer i årshjulet")
        ordering = ["grant", "date", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date__isnull=False)
                | models.Q(period_start__isnull=False, period_end__isnull=False),
                name="grantdate_date_or_period",
            )
        ]

    def __str__(self) -> str:
        return self.title


class LetterDraft(TenantModel):
    """A grant letter read but not yet saved: the parser's draft and the reviewer's
    corrections, kept in the database under a random token so the review survives
    signing out and in again (a session does not). Deleted when saved, and after
    ``grants.services.DRAFT_DAYS`` days untouched."""

    token = models.CharField(_("nøkkel"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("filnavn"), max_length=255)
    text = models.TextField(_("brevets tekst"))
    draft = models.JSONField(_("utkast"))
    warnings = models.JSONField(_("advarsler"), default=list, blank=True)

    class Meta:
        verbose_name = _("utkast til tilskudd")
        verbose_name_plural = _("utkast til tilskudd")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name


class NormativeProduct(TenantModel, SourceLines):
    """An entry in the registry of relevant material (normative products): the
    plans, guides and guidelines the grant letter tells the centre to keep up with."""

    class Kind(models.TextChoices):
        WHITE_PAPER = "white_paper", _("Stortingsmelding")
        BILL = "bill", _("Proposisjon")
        RECOMMENDATION = "recommendation", _("Innstilling")
        ACTION_PLAN = "action_plan", _("Handlingsplan")
        STRATEGY = "strategy", _("Strategi")
        PLAN = "plan", _("Plan")
        GUIDE = "guide", _("Veileder")
        GUIDELINE = "guideline", _("Retningslinje")
        ADVICE = "advice", _("Faglige råd")
        PATHWAY = "pathway", _("Pasientforløp")
        E_LEARNING = "e_learning", _("E-læring")
        REPORT = "report", _("Rapport")
        DATA_SOURCE = "data_source", _("Datakilde")
        WEB_RESOURCE = "web_resource", _("Nettressurs")
        OTHER = "other", _("Annet")

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("tilskudd"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("tittel"), max_length=500)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    issuer = models.CharField(_("utgiver"), max_length=200, blank=True)
    link = models.URLField(_("lenke"), max_length=500, blank=True)
    group = models.CharField(_("gruppe"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("normerende produkt")
        verbose_name_plural = _("normerende produkter")
        ordering = ["center", "-year", "group", "title"]

    def __str__(self) -> str:
        return self.title


def assignment_sort_key(number: str) -> str:
    """Zero-pad each numeric part so that text order is numbering order."""
    parts = [p for p in number.replace(" ", "").split(".") if p]
    return ".".join(p.zfill(4) if p.isdigit() else p for p in parts)


def parent_number(number: str) -> str | None:
    """The number of the parent assignment: 3.1.4 → 3.1; 3 → None."""
    parts = [p for p in number.split(".") if p]
    return ".".join(parts[:-1]) if len(parts) > 1 else None

"""Text that staff write for the annual report, beside the figures the system computes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import TenantModel


class AssessmentBlock(TenantModel):
    """One piece of staff-written report text for a centre's year.

    A block belongs either to an assignment (chapter 3) or to a fixed section of the
    report (``section_key``: ``foreword``, ``overall:a``, ``focus:b``,
    ``questionnaire:3`` …). The text may hold cross-references written as
    ``[[ref:assignment:3.1.2]]``; they are resolved to chapter numbers when the
    report is rendered, so they never go stale silently.
    """

    class Kind(models.TextChoices):
        ACTIVITIES = "activities", _("Aktiviteter")
        INVOLVEMENT = "involvement", _("Målgruppemedvirkning")
        RESULTS = "results", _("Resultater, effekter og vurdering av måloppnåelse")
        FOREWORD = "foreword", _("Forord")
        OVERALL = "overall", _("Overordnet vurdering")
        QUESTIONNAIRE = "questionnaire", _("Svar i måloppnåelsesskjemaet")
        TEXT = "text", _("Fritekst")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        READY = "ready", _("Klar")
        APPROVED = "approved", _("Godkjent")

    year = models.PositiveSmallIntegerField(_("år"), db_index=True)
    assignment = models.ForeignKey(
        "grants.Assignment",
        verbose_name=_("oppdrag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessment_blocks",
    )
    section_key = models.CharField(
        _("kapittelnøkkel"),
        max_length=50,
        blank=True,
        help_text=_(
            "For tekst utenfor kapittel 3, for eksempel «foreword», «overall:a», «focus:c»."
        ),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    text = models.TextField(
        _("tekst"),
        blank=True,
        help_text=_(
            "Henvis til andre kapitler med [[ref:assignment:3.1.2]] eller [[ref:focus:a]]."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forfatter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(
        _("overskrift"),
        max_length=200,
        blank=True,
        help_text=_("Overskriften på et eget tema under et innsatsområde."),
    )
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("ansvarlig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("frist"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vurderingstekst")
        verbose_name_plural = _("vurderingstekster")
        ordering = ["year", "section_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "assignment", "kind"],
                condition=models.Q(assignment__isnull=False),
                name="assessment_assignment_kind",
            ),
            models.UniqueConstraint(
                fields=["center", "year", "section_key", "kind"],
                condition=models.Q(assignment__isnull=True),
                name="assessment_section_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(assignment__isnull=False) | ~models.Q(section_key=""),
                name="assessment_has_place",
            ),
        ]

    def __str__(self) -> str:
        place = self.assignment.number if self.assignment_id else self.section_key  # type: ignore[union-attr]
        return f"{self.year} {place}: {self.get_kind_display()}"


class SubmittedReport(TenantModel):
    """The report tree of a year as it was when a centre administrator submitted it.

    The grantor reads this snapshot, never the live registry, so edits after
    submission do not change what was delivered; submitting again adds a version.
    """

    year = models.PositiveSmallIntegerField(_("år"), db_index=True)
    version = models.PositiveSmallIntegerField(_("versjon"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("levert av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("levert"))
    note = models.TextField(
        _("merknad"),
        blank=True,
        help_text=_("Hva som er endret siden forrige versjon (påkrevd fra versjon 2)."),
    )
    tree = models.JSONField(_("rapporttreet"))

    class Meta:
        verbose_name = _("levert rapport")
        verbose_name_plural = _("leverte rapporter")
        ordering = ["center", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "version"], name="submittedreport_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.year} v{self.version}"


class RenderedDocument(models.Model):
    """A report file made in the background, kept for as long as the report reads the same.

    Two keys: ``data_version`` is the centre's data version (``oppdrag.core.versions``)
    read before the tree was built, so the next download while it is unchanged is served
    from here without building the report at all; ``content_key`` is a hash of the
    report tree the file was made from, so a change of version that leaves the report
    reading the same (a record of another year) keeps the file, and any change to what
    the report says — however it was written — makes a new document. A cache, not a
    record: it is not in the centre's archive and is rebuilt on demand.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Lages")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    # A cache under the centre's data version: saving one must not raise the version.
    center_data = False

    center = models.ForeignKey(
        "core.Center", verbose_name=_("senter"), on_delete=models.CASCADE, related_name="+"
    )
    uid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("år"))
    identifier = models.CharField(_("format"), max_length=16)
    content_key = models.CharField(_("innholdsnøkkel"), max_length=64)
    data_version = models.PositiveBigIntegerField(_("dataversjon"), null=True, blank=True)
    # When the version was last confirmed to stand for this content: a document found by
    # version alone is served only this long after (writes made outside Django raise no
    # version), then the tree is built again and compared.
    checked_at = models.DateTimeField(_("sist kontrollert"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("fremdrift (prosent)"), default=0)
    filename = models.CharField(_("filnavn"), max_length=200, blank=True)
    mimetype = models.CharField(_("filtype"), max_length=100, blank=True)
    data = models.BinaryField(_("innhold"), blank=True, default=b"")
    # The report tree the order was keyed by, for the worker to render (pickled and
    # compressed; emptied once the file is made), so one download builds the tree once.
    tree = models.BinaryField(_("rapporttre"), blank=True, default=b"", editable=False)
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)

    class Meta:
        verbose_name = _("laget rapportfil")
        verbose_name_plural = _("lagede rapportfiler")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "identifier", "content_key"],
                name="reports_rendered_document_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.year} {self.identifier} {self.status}"


class ReportSettings(models.Model):
    """How a centre approves its report texts (one row per centre; defaults when absent).

    ``approver_role`` is the least role that approves a text that is ready; the
    author of a text approves it only when ``authors_may_approve`` is set.
    """

    class ApproverRole(models.TextChoices):
        ADMIN = "admin", _("Bare senteradministratorer")
        EDITOR = "editor", _("Redaktører og senteradministratorer")

    center = models.OneToOneField(
        "core.Center",
        verbose_name=_("senter"),
        on_delete=models.CASCADE,
        related_name="report_settings",
    )
    approver_role = models.CharField(
        _("hvem godkjenner tekstene"),
        max_length=10,
        choices=ApproverRole.choices,
        default=ApproverRole.ADMIN,
    )
    authors_may_approve = models.BooleanField(
        _("forfatteren kan godkjenne egen tekst"),
        default=False,
        help_text=_("Uten dette må en annen enn den som skrev teksten sist, godkjenne den."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("innstillinger for årsrapporten")
        verbose_name_plural = _("innstillinger for årsrapporten")

    def __str__(self) -> str:
        return str(self.center)


class SlotComment(TenantModel):
    """A comment on one text of the report, for the owner, the author and the approver."""

    block = models.ForeignKey(
        AssessmentBlock,
        verbose_name=_("tekst"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("kommentar"), max_length=4000)

    class Meta:
        verbose_name = _("kommentar til tekst")
        verbose_name_plural = _("kommentarer til tekster")
        ordering = ["block", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.block}: {self.text[:40]}"

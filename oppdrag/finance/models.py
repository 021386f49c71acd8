"""The grant's money: funding per budget line, budgets with revisions, the ledger and
its mappings, explanations of deviations and the auditor's confirmation.

Money is ``DecimalField`` in kroner with øre. Spending is never stored per assignment
or cost type: ledger lines keep what the accounting system exported (account,
project dimension), and the mappings turn them into cost types and assignments when
the figures are read, so a corrected mapping corrects every figure at once.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import TenantModel
from oppdrag.grants.models import Assignment, BudgetLine, Grant


class CostType(models.TextChoices):
    SALARIES = "salaries", _("Lønn")
    OPERATIONS = "operations", _("Drift")
    EVENTS = "events", _("Arrangementer")
    TRAVEL = "travel", _("Reiser")
    PURCHASED = "purchased", _("Kjøpte tjenester")
    INDIRECT = "indirect", _("Indirekte kostnader")


class Source(models.TextChoices):
    GRANT = "grant", _("Tilskudd")
    OWN = "own", _("Egenfinansiering")
    OTHER = "other", _("Annen finansiering")


class FinanceSettings(TenantModel):
    """A centre's choices for the finance pages and the annual report."""

    deviation_percent = models.DecimalField(
        _("avvik som må forklares (prosent)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        help_text=_("Et avvik mellom budsjett og regnskap over denne andelen må forklares."),
    )
    deviation_minimum = models.DecimalField(
        _("avvik som må forklares (minst kr)"),
        default=Decimal(10000),
        help_text=_("Mindre avvik enn dette må ikke forklares, uansett andel."),
        max_digits=14,
        decimal_places=2,
    )
    report_chapter = models.BooleanField(
        _("kapittelet «Budsjett og regnskap» i årsrapporten"), default=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("innstillinger for økonomi")
        verbose_name_plural = _("innstillinger for økonomi")
        constraints = [models.UniqueConstraint(fields=["center"], name="financesettings_center")]

    def __str__(self) -> str:
        return str(self.center)


class Funding(TenantModel):
    """A grant's money over one budget line (kap./post) in one year.

    ``grants.Grant`` holds one letter per centre and year; a centre funded by two
    grantors, or by a second letter, has more fundings than that letter's lines, so
    grantor and reference live here, with the letter and its line linked when known.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    grantor = models.CharField(_("tilskuddsgiver"), max_length=200, default="Helsedirektoratet")
    reference = models.CharField(
        _("tilskuddsbrev"),
        max_length=200,
        blank=True,
        help_text=_("Brevets dato eller saksnummer."),
    )
    chapter = models.CharField(_("kapittel"), max_length=4, blank=True)
    post = models.CharField(_("post"), max_length=2, blank=True)
    amount = models.DecimalField(_("tilskudd (kr)"), max_digits=14, decimal_places=2)
    grant = models.ForeignKey(
        Grant, verbose_name=_("tilskudd"), null=True, blank=True, on_delete=models.SET_NULL
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budsjettpost"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilskuddsmidler")
        verbose_name_plural = _("tilskuddsmidler")
        ordering = ["center", "year", "grantor", "chapter", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "grantor", "reference", "chapter", "post"],
                name="funding_unique_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grantor} {self.line_label}"

    @property
    def line_label(self) -> str:
        if not self.chapter:
            return str(_("uten kap./post"))
        return str(_("kap. {chapter} post {post}")).format(chapter=self.chapter, post=self.post)

    @property
    def grant_label(self) -> str:
        """Which grant the line belongs to: the grantor, and the letter when given."""
        return f"{self.grantor} ({self.reference})" if self.reference else self.grantor


class BudgetRevision(TenantModel):
    """One version of a centre's budget for a year; the newest is the budget in force."""

    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("versjon"))
    note = models.TextField(_("begrunnelse"), blank=True)
    needs_approval = models.BooleanField(
        _("krever tilskuddsgivers godkjenning"),
        default=False,
        help_text=_("Revisjonen flytter tilskuddsmidler mellom oppdrag."),
    )
    approved_on = models.DateField(_("godkjent av tilskuddsgiver"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_generated = models.BooleanField(_("eksempeldata"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budsjettversjon")
        verbose_name_plural = _("budsjettversjoner")
        ordering = ["center", "year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "number"], name="budgetrevision_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.number}"


class BudgetItem(TenantModel):
    """One amount of a budget version: source, budget line, assignment and cost type."""

    revision = models.ForeignKey(
        BudgetRevision, verbose_name=_("versjon"), on_delete=models.CASCADE, related_name="items"
    )
    source = models.CharField(
        _("finansiering"), max_length=10, choices=Source.choices, default=Source.GRANT
    )
    funding = models.ForeignKey(
        Funding,
        verbose_name=_("budsjettpost"),
        null=True,
        blank=True,
        # RESTRICT, not PROTECT: an assignment with budget rows cannot be deleted on its
        # own, but a whole centre (archive restore, demo reload) goes with its rows.
        on_delete=models.RESTRICT,
        related_name="budget_items",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("oppdrag"),
        null=True,
        blank=True,
        # RESTRICT, not PROTECT: an assignment with budget rows cannot be deleted on its
        # own, but a whole centre (archive restore, demo reload) goes with its rows.
        on_delete=models.RESTRICT,
        related_name="budget_items",
    )
    cost_type = models.CharField(_("kostnadstype"), max_length=12, choices=CostType.choices)
    amount = models.DecimalField(_("beløp (kr)"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budsjettbeløp")
        verbose_name_plural = _("budsjettbeløp")
        ordering = ["revision", "id"]

    def __str__(self) -> str:
        return f"{self.get_cost_type_display()} {self.amount}"


class AccountMapping(TenantModel):
    """Which cost type an account of the centre's chart of accounts is (kept across years).

    An account with no cost type (income, internal postings) is left out of spending.
    """

    account = models.CharField(_("konto"), max_length=20)
    name = models.CharField(_("kontonavn"), max_length=200, blank=True)
    cost_type = models.CharField(
        _("kostnadstype"),
        max_length=12,
        choices=CostType.choices,
        blank=True,
        help_text=_("Tom: kontoen holdes utenfor forbruket (inntekter, interne posteringer)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontokobling")
        verbose_name_plural = _("kontokoblinger")
        ordering = ["center", "account"]
        constraints = [
            models.UniqueConstraint(fields=["center", "account"], name="accountmapping_account")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.name}".strip()


class LedgerProject(TenantModel):
    """Which assignment (and budget line) a project of the ledger serves in one year.

    Carried to the next year by ``services.carry_forward_projects``, as the hours
    projects are: the successor of the assignment, or the one with the same number.
    A project with no assignment is the centre's common costs.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    code = models.CharField(_("prosjekt/avdeling"), max_length=30)
    name = models.CharField(_("navn"), max_length=200, blank=True)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("oppdrag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_projects",
    )
    funding = models.ForeignKey(
        Funding,
        verbose_name=_("budsjettpost"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_projects",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prosjektkobling")
        verbose_name_plural = _("prosjektkoblinger")
        ordering = ["center", "year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "code"], name="ledgerproject_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class LedgerImport(TenantModel):
    """One ledger file read in: the period it covers, and its SHA-256 to know it again."""

    year = models.PositiveSmallIntegerField(_("år"))
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"))
    file_name = models.CharField(_("fil"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("linjer"))
    total = models.DecimalField(_("sum (kr)"), max_digits=14, decimal_places=2)
    rows_replaced = models.PositiveIntegerField(_("linjer erstattet"), default=0)
    is_generated = models.BooleanField(
        _("eksempeldata"),
        default=False,
        help_text=_("Generert for demonstrasjon; ikke et regnskap."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lest inn av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regnskapsimport")
        verbose_name_plural = _("regnskapsimporter")
        ordering = ["center", "-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.start}–{self.end})"


class LedgerLine(TenantModel):
    """One posting of the ledger as exported: date, account, project, text and amount.

    Costs are positive (debit), credits negative. Inserted in bulk without history
    rows: the import that brought them (``LedgerImport``) is the record of the change.
    """

    batch = models.ForeignKey(
        LedgerImport, verbose_name=_("import"), on_delete=models.CASCADE, related_name="lines"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    date = models.DateField(_("dato"))
    account = models.CharField(_("konto"), max_length=20)
    project = models.CharField(_("prosjekt/avdeling"), max_length=30, blank=True)
    text = models.CharField(_("tekst"), max_length=300, blank=True)
    amount = models.DecimalField(_("beløp (kr)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("regnskapslinje")
        verbose_name_plural = _("regnskapslinjer")
        ordering = ["center", "date", "id"]
        indexes = [models.Index(fields=["center", "year", "date"], name="ledgerline_year_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.account} {self.amount}"


class Explanation(TenantModel):
    """Why spending differs from the budget on one row of the comparison.

    ``key`` names the row: ``assignment:<uid>``, ``cost:<type>`` or ``line:<uid>``.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    key = models.CharField(_("rad"), max_length=60)
    text = models.TextField(_("forklaring"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forklaring av avvik")
        verbose_name_plural = _("forklaringer av avvik")
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "key"], name="explanation_row")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.key}"


class AuditorConfirmation(TenantModel):
    """The auditor's confirmation of the year's accounts (ISRS 4400 or ISA 805)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Bestilt")
        RECEIVED = "received", _("Mottatt")
        SENT = "sent", _("Sendt tilskuddsgiver")

    class Engagement(models.TextChoices):
        ISRS_4400 = "isrs4400", _("ISRS 4400 (avtalte kontrollhandlinger)")
        ISA_805 = "isa805", _("ISA 805 (revisjon av enkeltstående oppstilling)")
        OTHER = "other", _("Annen revisjonsuttalelse")

    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    engagement = models.CharField(
        _("oppdragstype"), max_length=10, choices=Engagement.choices, default=Engagement.ISRS_4400
    )
    auditor = models.CharField(_("revisor"), max_length=200, blank=True)
    # The document is kept in the database, as the rendered reports are: no media
    # storage to configure, and the centre's export and backups include it.
    document = models.BinaryField(_("dokument"), blank=True, default=b"")
    file_name = models.CharField(_("filnavn"), max_length=255, blank=True)
    content_type = models.CharField(_("filtype"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revisorbekreftelse")
        verbose_name_plural = _("revisorbekreftelser")
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="auditorconfirmation_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_status_display()}"

"""Hours, staff and FTE: time projects, report groups, time entries and the staff register."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import Center, Person, TenantModel
from oppdrag.grants.models import Assignment

from .periods import Period, period_between


class TimeProject(TenantModel):
    """A project (prosjektnummer) in the centre's time-tracking system."""

    number = models.CharField(_("prosjektnummer"), max_length=30)
    name = models.CharField(_("navn"), max_length=200)
    active_from = models.PositiveSmallIntegerField(_("aktiv fra år"), null=True, blank=True)
    active_to = models.PositiveSmallIntegerField(_("aktiv til år"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("timeprosjekt")
        verbose_name_plural = _("timeprosjekter")
        ordering = ["center", "number"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="timeproject_center_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def is_active(self, year: int) -> bool:
        return (self.active_from is None or self.active_from <= year) and (
            self.active_to is None or year <= self.active_to
        )


class ReportGroup(TenantModel):
    """A line group of the hours appendix for one year (e.g. «3.1.1 ACT/FACT og FACT ung»).

    ``counts_as`` says whether the group's hours are performed work, holiday or
    absence; the published table counts holiday in the performed total and
    absence outside it.
    """

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("Oppdrag")
        OTHER = "other", _("Annet enn oppdrag")

    class CountsAs(models.TextChoices):
        WORK = "work", _("Arbeid")
        HOLIDAY = "holiday", _("Ferie")
        ABSENCE = "absence", _("Fravær")

    year = models.PositiveSmallIntegerField(_("år"))
    label = models.CharField(_("kapittel"), max_length=30, blank=True)
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    counts_as = models.CharField(
        _("teller som"), max_length=20, choices=CountsAs.choices, default=CountsAs.WORK
    )
    position = models.PositiveIntegerField(_("rekkefølge"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapportgruppe")
        verbose_name_plural = _("rapportgrupper")
        ordering = ["center", "year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "title"], name="reportgroup_title")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()


class ProjectMapping(TenantModel):
    """Which report group a time project's hours go to in one year."""

    year = models.PositiveSmallIntegerField(_("år"))
    project = models.ForeignKey(
        TimeProject, verbose_name=_("prosjekt"), on_delete=models.CASCADE, related_name="mappings"
    )
    group = models.ForeignKey(
        ReportGroup, verbose_name=_("gruppe"), on_delete=models.CASCADE, related_name="mappings"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prosjekt i rapportgruppe")
        verbose_name_plural = _("prosjekter i rapportgrupper")
        ordering = ["center", "year", "group__position", "project__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "project"], name="projectmapping_project_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.group}"


class ProjectAssignment(TenantModel):
    """A time project serving an assignment, with a weight (equal weights by default).

    A project serving several assignments splits its hours between them in
    proportion to the weights.
    """

    project = models.ForeignKey(
        TimeProject,
        verbose_name=_("prosjekt"),
        on_delete=models.CASCADE,
        related_name="assignment_links",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("oppdrag"),
        on_delete=models.CASCADE,
        related_name="time_project_links",
    )
    weight = models.DecimalField(
        _("vekt"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prosjekt for oppdrag")
        verbose_name_plural = _("prosjekter for oppdrag")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "assignment"], name="projectassignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.assignment.number} ({self.weight})"


class HoursImport(TenantModel):
    """One run of the hours import: who imported which file, when, and what it replaced.

    This record is the history of the time entries an import writes. An hours
    export is a couple of hundred thousand rows a year per centre (ten million
    at national scale); a history row per entry doubled both the import's work
    and the table, and said nothing per row that this record does not: who
    (``user``), when (``created_at``), what (file name and SHA-256 of its
    bytes, the period, rows and hours added), and what was there before (rows and
    hours replaced, summed per project and person in ``replaced``). Each entry
    points to the import that wrote it (``TimeEntry.batch``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("importert av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("fil"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"))
    rows_added = models.PositiveIntegerField(_("rader lagt til"))
    hours_added = models.DecimalField(_("timer lagt til"), max_digits=14, decimal_places=2)
    rows_replaced = models.PositiveIntegerField(_("rader erstattet"), default=0)
    hours_replaced = models.DecimalField(
        _("timer erstattet"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    replaced = models.JSONField(
        _("erstattet"),
        default=list,
        blank=True,
        help_text=_("Erstattede timer per prosjekt og person: rader og sum."),
    )

    class Meta:
        verbose_name = _("timeimport")
        verbose_name_plural = _("timeimporter")
        ordering = ["center", "-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.start}–{self.end}"


class TimeEntry(TenantModel):
    """Hours one person gave one project in a day, an ISO week, a month or a year.

    A time entry (timeregistrering) as the time system exports it, one row each, so
    SQL sums it by day, week, month, project or assignment. ``person`` is empty for
    hours known per project only (e.g. reconstructed from a published table). The
    unit is not stored: the importer takes only whole days, ISO weeks, months and
    years, which ``start`` and ``end`` tell apart (``period``). Entries have no
    history of their own: ``batch`` names the import that wrote them, whose record
    says who, when, from which file and what it replaced. Hours are corrected in
    the time system and imported again.
    """

    # No index of its own: ``timeentry_period_hours`` begins with the centre and serves
    # every look-up by centre (the queries, a centre's deletion).
    center = models.ForeignKey(
        Center, verbose_name=_("senter"), on_delete=models.CASCADE, db_index=False
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="time_entries",
    )
    project = models.ForeignKey(
        TimeProject, verbose_name=_("prosjekt"), on_delete=models.CASCADE, related_name="entries"
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"))
    hours = models.DecimalField(_("timer"), max_digits=9, decimal_places=2)
    # No index: an import's entries are only ever read by period, and an index on a
    # column every row of an import shares would cost each insert for no query.
    batch = models.ForeignKey(
        HoursImport,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        db_index=False,
    )

    class Meta:
        verbose_name = _("timeregistrering")
        verbose_name_plural = _("timeregistreringer")
        ordering = ["center", "start", "project"]
        # The year's hours per project (``hours.tables.project_hours``, read by the hours,
        # finance and report pages) are summed from this index alone on PostgreSQL: the
        # project and the hours ride along, so some 60 000 rows of a centre-year are
        # read without visiting the table (SQLite ignores ``include``).
        indexes = [
            models.Index(
                fields=["center", "start"],
                include=["project", "hours"],
                name="timeentry_period_hours",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="timeentry_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="timeentry_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.number} {self.period}: {self.hours}"

    @property
    def period(self) -> Period:
        return period_between(self.start, self.end)


class HoursColumnMapping(TenantModel):
    """A centre's own column headings for the hours export, kept for next year's import.

    ``mapping`` maps a heading in the file (as written) to a column key of the
    hours importer (``person``, ``project``, ``period``, ``hours``, ``project_name``).
    """

    mapping = models.JSONField(_("kolonner"), default=dict)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kolonneoppsett for timeimport")
        verbose_name_plural = _("kolonneoppsett for timeimport")
        constraints = [models.UniqueConstraint(fields=["center"], name="hourscolumns_center")]

    def __str__(self) -> str:
        return str(self.center)


class StaffMember(TenantModel):
    """A person in the centre's staff register (or an external collaborator).

    The register keeps competence, role and areas of work; the position
    percentage over time is in ``positions``. No contact details are kept.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="staff_records"
    )
    competence = models.TextField(_("formell kompetanse"), blank=True)
    role = models.CharField(_("stilling"), max_length=200, blank=True)
    areas = models.TextField(_("arbeidsområder"), blank=True, help_text=_("Ett per linje."))
    is_external = models.BooleanField(_("ekstern samarbeidspartner"), default=False)
    department = models.CharField(_("avdeling"), max_length=200, blank=True)
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ansatt eller samarbeidspartner")
        verbose_name_plural = _("personalregister")
        ordering = ["center", "person__name"]
        constraints = [models.UniqueConstraint(fields=["center", "person"], name="staff_person")]

    def __str__(self) -> str:
        return str(self.person)


class PositionChange(TenantModel):
    """A period with one position percentage; later periods override earlier ones."""

    class Kind(models.TextChoices):
        POSITION = "position", _("Stilling")
        REDUCED = "reduced", _("Redusert stilling")
        LEAVE = "leave", _("Permisjon")
        RETIREMENT = "retirement", _("Pensjon")
        END = "end", _("Sluttet")

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("ansatt"), on_delete=models.CASCADE, related_name="positions"
    )
    kind = models.CharField(_("endring"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    percentage = models.DecimalField(_("stillingsprosent"), max_digits=5, decimal_places=2)
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stillingsendring")
        verbose_name_plural = _("stillingsendringer")
        ordering = ["staff", "start"]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_kind_display()} {self.start}: {self.percentage} %"


class ExternalHours(TenantModel):
    """Hours an external collaborator (e.g. a researcher of the host) spent with the centre."""

    year = models.PositiveSmallIntegerField(_("år"))
    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("samarbeidspartner"),
        on_delete=models.CASCADE,
        related_name="external_hours",
    )
    work = models.TextField(_("samarbeid"), blank=True)
    projects = models.ManyToManyField(  # type: ignore[var-annotated]
        TimeProject, verbose_name=_("prosjekter"), blank=True, related_name="external_hours"
    )
    hours = models.DecimalField(_("timer"), max_digits=9, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eksterne timer")
        verbose_name_plural = _("eksterne timer")
        ordering = ["center", "year", "staff__person__name"]

    def __str__(self) -> str:
        return f"{self.staff} {self.year}: {self.hours}"


class PublishedHoursTotal(TenantModel):
    """A line of a published hours table, kept to reconcile it with the computed one."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Gruppe")
        PERFORMED = "performed", _("Utførte årsverk")
        TOTAL = "total", _("Totalt antall timer")
        STAFF_FTE = "staff_fte", _("Årsverk ansatte")
        EXTERNAL = "external", _("Eksterne timer")
        NOTE = "note", _("Merknad")

    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.GROUP)
    label = models.CharField(_("kapittel"), max_length=30, blank=True)
    title = models.CharField(_("linje"), max_length=200)
    hours = models.DecimalField(_("timer"), max_digits=10, decimal_places=2, null=True, blank=True)
    share = models.DecimalField(_("prosent"), max_digits=6, decimal_places=2, null=True, blank=True)
    fte = models.DecimalField(_("årsverk"), max_digits=7, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    # A note printed under the table (hired hours, "NB"), on a line of kind NOTE.
    note = models.TextField(_("merknad"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publisert timetall")
        verbose_name_plural = _("publiserte timetall")
        ordering = ["center", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "kind", "title"], name="publishedhours_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

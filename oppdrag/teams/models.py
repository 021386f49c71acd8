"""Service teams (ACT, FACT, FACT ung, RPH, Housing First), pilot projects, fidelity
scales and fidelity reviews."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import (
    Center,
    CityDistrict,
    Municipality,
    Organization,
    Region,
    TenantModel,
    TenantQuerySet,
)


class TeamModelType(models.Model):
    """A service model teams follow (ACT, FACT, FACT ung, RPH, Housing First …).

    Reference data shared by all centres; new models are added as rows, not code.
    """

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("navn"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("tjenestemodell")
        verbose_name_plural = _("tjenestemodeller")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceTeam(TenantModel):
    """A team of a service model, owned by one or more municipalities, city districts
    and health trusts. Its status over time is in ``TeamStatus``."""

    model_type = models.ForeignKey(
        TeamModelType, verbose_name=_("modell"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("navn"), max_length=200)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("eierkommuner"), blank=True, related_name="service_teams"
    )
    districts = models.ManyToManyField(
        CityDistrict, verbose_name=_("eierbydeler"), blank=True, related_name="service_teams"
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("eierorganisasjoner"),
        blank=True,
        related_name="owned_service_teams",
        help_text=_("Helseforetak og andre eiere som ikke er kommuner."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    start_date = models.DateField(_("startdato"), null=True, blank=True)
    contact_organization = models.ForeignKey(
        Organization,
        verbose_name=_("kontaktorganisasjon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_for_service_teams",
    )
    is_placeholder = models.BooleanField(
        _("plassholder"),
        default=False,
        help_text=_("Navn og eiere er ikke kjent; raden finnes for at tallene skal stemme."),
    )
    notes = models.TextField(_("merknader"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("team")
        ordering = ["model_type__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "model_type", "name"], name="serviceteam_center_type_name"
            )
        ]

    def __str__(self) -> str:
        marker = str(_("(plassholder)"))
        if self.is_placeholder and marker not in self.name:
            return f"{self.name} {marker}"
        return self.name


class TeamStatus(TenantModel):
    """From ``valid_from`` on, the team has this status until the next entry."""

    class Status(models.TextChoices):
        PILOT = "pilot", _("Forprosjekt")
        ESTABLISHED = "established", _("Etablert")
        PAUSED = "paused", _("Pause")
        CLOSED = "closed", _("Avviklet")

    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("team"), on_delete=models.CASCADE, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    valid_from = models.DateField(_("fra dato"))
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("teamstatus")
        verbose_name_plural = _("teamstatuser")
        ordering = ["team", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["team", "valid_from"], name="teamstatus_team_date")
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_status_display()} {self.valid_from:%d.%m.%Y}"


class PilotProject(TenantModel):
    """A pilot project (forprosjekt) funded to prepare a team, and what came of it."""

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Pågår")
        BECAME_TEAM = "became_team", _("Ble team")
        CLOSED = "closed", _("Avsluttet uten team")
        ENDED = "ended", _("Avsluttet, utfall ikke registrert")

    model_type = models.ForeignKey(
        TeamModelType,
        verbose_name=_("modell"),
        on_delete=models.PROTECT,
        related_name="pilot_projects",
    )
    name = models.CharField(_("navn"), max_length=200)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner"), blank=True, related_name="pilot_projects"
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organisasjoner"), blank=True, related_name="pilot_projects"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    grant_years = models.JSONField(
        _("tilskuddsår"), default=list, blank=True, help_text=_("F.eks. [2024, 2025].")
    )
    outcome = models.CharField(
        _("utfall"), max_length=20, choices=Outcome.choices, default=Outcome.ONGOING
    )
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)
    team = models.ForeignKey(
        ServiceTeam,
        verbose_name=_("ble teamet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilot_projects",
    )
    is_placeholder = models.BooleanField(_("plassholder"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forprosjekt")
        verbose_name_plural = _("forprosjekter")
        ordering = ["model_type__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "model_type", "name"], name="pilotproject_center_type_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FidelityScale(TenantModel):
    """A fidelity scale a centre is licensed to use; its definitions are versions."""

    key = models.SlugField(_("kode"), max_length=50)
    name = models.CharField(_("navn"), max_length=200)
    model_type = models.ForeignKey(
        TeamModelType,
        verbose_name=_("modell"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Tjenestemodellen skalaen måler, om den gjelder én."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fidelityskala")
        verbose_name_plural = _("fidelityskalaer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "key"], name="fidelityscale_center_key")
        ]

    def __str__(self) -> str:
        return self.name


class FidelityScaleVersion(TenantModel):
    """One version of a scale, kept unchanged once reviews use it.

    ``definition`` is the validated JSON. A centre may register a version it holds
    a licence for without loading its definition (``None``): reviews can then be
    recorded and counted, but item scores need the definition.
    """

    scale = models.ForeignKey(
        FidelityScale, verbose_name=_("skala"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.CharField(_("versjon"), max_length=50)
    definition = models.JSONField(_("definisjon"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skalaversjon")
        verbose_name_plural = _("skalaversjoner")
        ordering = ["scale", "version"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "version"], name="scaleversion_scale_version")
        ]

    def __str__(self) -> str:
        return f"{self.scale} {self.version}"

    def parsed(self):  # type: ignore[no-untyped-def]
        from .scales import parse_scale

        return parse_scale(self.definition)


class FidelityReviewQuerySet(TenantQuerySet):
    def visible_to(self, center: Center) -> FidelityReviewQuerySet:
        """The centre's own reviews and those other centres shared with it."""
        shared = FidelityReview.shared_with.through.objects.filter(center=center).values(
            "fidelityreview_id"
        )
        return self.filter(Q(center=center) | Q(pk__in=shared))


class FidelityReview(TenantModel):
    """A fidelity review (fidelitymåling) of one team with one scale version.

    A review cannot start before the cooperation agreement with the team's owners is
    signed and the data-protection officer has approved it; the database refuses
    a started review without both dates.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        STARTED = "started", _("Startet")
        COMPLETED = "completed", _("Fullført")

    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("team"), on_delete=models.RESTRICT, related_name="reviews"
    )
    date = models.DateField(_("dato"))
    scale_version = models.ForeignKey(
        FidelityScaleVersion,
        verbose_name=_("skalaversjon"),
        on_delete=models.RESTRICT,
        related_name="reviews",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    agreement_signed_on = models.DateField(_("samarbeidsavtale signert"), null=True, blank=True)
    dpo_approved_on = models.DateField(_("tilrådning fra personvernombud"), null=True, blank=True)
    follow_up = models.TextField(_("oppfølging"), blank=True)
    shared_with = models.ManyToManyField(
        Center,
        verbose_name=_("delt med"),
        blank=True,
        related_name="shared_fidelity_reviews",
        help_text=_("Partnersentre som kan se målingen."),
    )
    is_demo = models.BooleanField(
        _("demonstrasjonsdata"),
        default=False,
        help_text=_("Skårene er generert for demonstrasjon og er ikke ekte målinger."),
    )
    history = HistoricalRecords()

    objects = FidelityReviewQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("fidelitymåling")
        verbose_name_plural = _("fidelitymålinger")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned")
                | (Q(agreement_signed_on__isnull=False) & Q(dpo_approved_on__isnull=False)),
                name="fidelityreview_preconditions",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.date:%d.%m.%Y}"

    @property
    def preconditions_met(self) -> bool:
        return self.agreement_signed_on is not None and self.dpo_approved_on is not None


class ReviewRater(TenantModel):
    """A rater on a review; raters come from any partner centre."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Hovedbedømmer")
        RATER = "rater", _("Bedømmer")
        TRAINEE = "trainee", _("Ny bedømmer under opplæring")
        OBSERVER = "observer", _("Observatør")

    review = models.ForeignKey(
        FidelityReview, verbose_name=_("måling"), on_delete=models.CASCADE, related_name="raters"
    )
    name = models.CharField(_("navn"), max_length=200)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("senter eller organisasjon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.RATER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bedømmer")
        verbose_name_plural = _("bedømmere")
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="reviewrater_review_name")
        ]

    def __str__(self) -> str:
        return self.name


class RaterScore(TenantModel):
    """One rater's independent score on one item of the review's scale."""

    rater = models.ForeignKey(
        ReviewRater, verbose_name=_("bedømmer"), on_delete=models.CASCADE, related_name="scores"
    )
    item_code = models.CharField(_("indikator"), max_length=20)
    score = models.DecimalField(_("skår"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bedømmers skår")
        verbose_name_plural = _("bedømmeres skårer")
        constraints = [
            models.UniqueConstraint(fields=["rater", "item_code"], name="raterscore_rater_item")
        ]

    def __str__(self) -> str:
        return f"{self.rater} {self.item_code}: {self.score}"


class ConsensusScore(TenantModel):
    """The agreed score on one item, with the raters' comment to the team."""

    review = models.ForeignKey(
        FidelityReview,
        verbose_name=_("måling"),
        on_delete=models.CASCADE,
        related_name="consensus",
    )
    item_code = models.CharField(_("indikator"), max_length=20)
    score = models.DecimalField(_("skår"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("konsensusskår")
        verbose_name_plural = _("konsensusskårer")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "item_code"], name="consensusscore_review_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} {self.item_code}: {self.score}"

"""Tenancy (centres, memberships), people, and reference data shared by all centres."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .parsing import is_valid_organization_number


class Region(models.Model):
    """A region of the centres' regional collaboration (Nord, Midt, Vest, Sør, Øst)."""

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county (fylke) with its official two-digit number."""

    number = models.CharField(_("fylkesnummer"), max_length=2, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="counties"
    )

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommune) with its official four-digit number.

    ``valid_from``/``valid_to`` let the registry hold municipalities that were
    merged or split by a reform next to their successors.
    """

    number = models.CharField(_("kommunenummer"), max_length=4)
    name = models.CharField(_("navn"), max_length=100)
    county = models.ForeignKey(
        County, verbose_name=_("fylke"), on_delete=models.PROTECT, related_name="municipalities"
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "valid_from"], name="municipality_number_from"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CityDistrict(models.Model):
    """A city district (bydel), e.g. one of Oslo's 15."""

    number = models.CharField(_("bydelsnummer"), max_length=6, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="districts"
    )

    class Meta:
        verbose_name = _("bydel")
        verbose_name_plural = _("bydeler")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """A partner, owner or organiser: another centre, a directorate, a health trust …"""

    class Kind(models.TextChoices):
        KORUS = "korus", "KORUS"
        RVTS = "rvts", "RVTS"
        RKBU = "rkbu", "RKBU/RBUP"
        CENTRE = "kompetansesenter", _("Annet kompetansesenter")
        GOVERNOR = "statsforvalter", _("Statsforvalter")
        HEALTH_TRUST = "helseforetak", _("Helseforetak")
        MUNICIPALITY = "kommune", _("Kommune")
        USER_ORG = "brukerorganisasjon", _("Bruker- og pårørendeorganisasjon")
        DIRECTORATE = "direktorat", _("Direktorat")
        UNIVERSITY = "universitet", _("Universitet eller høgskole")
        RESEARCH = "forskning", _("Forskningsmiljø")
        VOLUNTARY = "frivillig", _("Frivillig eller ideell organisasjon")
        NETWORK = "nettverk", _("Nettverk eller samarbeidsorgan")
        SERVICE = "tjeneste", _("Tjeneste eller team")
        OTHER = "annet", _("Annet")

    name = models.CharField(_("navn"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    organization_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, blank=True, help_text=_("Ni siffer.")
    )
    aliases = models.TextField(
        _("andre navn"),
        blank=True,
        help_text=_("Andre skrivemåter som importen skal kjenne igjen, én per linje."),
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.organization_number and not is_valid_organization_number(self.organization_number):
            raise ValidationError(
                {"organization_number": _("Organisasjonsnummeret har feil kontrollsiffer.")}
            )

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Center(models.Model):
    """A competence centre: the tenant. Every tenant-owned row points to one.

    A grantor (``kind`` grantor, e.g. Helsedirektoratet) is a tenant too: its members
    read the reports centres have submitted and nothing else.
    """

    class Kind(models.TextChoices):
        CENTRE = "centre", _("Kompetansesenter")
        GRANTOR = "grantor", _("Tilskuddsgiver")

    slug = models.SlugField(_("kortnavn"), unique=True)
    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(_("forkortelse"), max_length=30)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.CENTRE)
    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organisasjon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Senteret selv i organisasjonsregisteret, slik at det kan være arrangør."),
    )
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL, through="Membership", related_name="centers", blank=True
    )

    class Meta:
        verbose_name = _("kompetansesenter")
        verbose_name_plural = _("kompetansesentre")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A user's role in one centre. A person may belong to several centres."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Senteradministrator")
        EDITOR = "editor", _("Redaktør")
        READER = "reader", _("Leser")
        # Sees only what other centres shared with this centre.
        PARTNER = "partner", _("Partnersenter")
        # Member of a grantor: reads submitted reports of every centre.
        GRANTOR = "grantor", _("Tilskuddsgiver")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bruker"), on_delete=models.CASCADE
    )
    center = models.ForeignKey(Center, verbose_name=_("senter"), on_delete=models.CASCADE)
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.READER)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "center"], name="membership_user_center")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.center} ({self.get_role_display()})"

    def clean(self) -> None:
        # A grantor's members are grantors; a centre's members are staff or partners.
        is_grantor_centre = self.center_id is not None and self.center.kind == Center.Kind.GRANTOR
        if is_grantor_centre != (self.role == self.Role.GRANTOR):
            raise ValidationError(
                {"role": _("Rollen «Tilskuddsgiver» hører til tilskuddsgivere, og bare der.")}
            )


class TenantQuerySet(models.QuerySet):
    def for_center(self, center: Center) -> TenantQuerySet:
        return self.filter(center=center)


class TenantModel(models.Model):
    """Base for every tenant-owned record: centre, public id, timestamps, history.

    ``uid`` is the identifier shown in URLs and APIs, so record counts and
    neighbours cannot be guessed from sequence numbers.
    """

    center = models.ForeignKey(Center, verbose_name=_("senter"), on_delete=models.CASCADE)
    uid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class ReportingYear(TenantModel):
    """One centre's reporting year and where it stands."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planlegging")
        ACTIVE = "active", _("Pågår")
        REPORTING = "reporting", _("Rapportering")
        SUBMITTED = "submitted", _("Levert")

    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapporteringsår")
        verbose_name_plural = _("rapporteringsår")
        ordering = ["center", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="reportingyear_center_year")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.year}"


class Person(TenantModel):
    """A staff member or an external contributor, as one centre knows them.

    No contact details are kept: the registry needs names for attribution only.
    """

    name = models.CharField(_("navn"), max_length=200)
    is_staff_member = models.BooleanField(_("ansatt ved senteret"), default=False)
    affiliation = models.CharField(_("tilknytning"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="person_center_name")
        ]

    def __str__(self) -> str:
        return self.name


class CenterVersion(models.Model):
    """How many committed changes a centre's data has seen: the key its caches live under.

    Raised once per transaction that saved or deleted anything of the centre
    (``oppdrag.core.versions``), so a page or document cached under one number is
    never served after a change. Not a record: it has no history and is not archived.
    """

    center = models.OneToOneField(
        Center,
        verbose_name=_("senter"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    counter = models.PositiveBigIntegerField(_("endringer"), default=0)

    class Meta:
        verbose_name = _("dataversjon")
        verbose_name_plural = _("dataversjoner")

    def __str__(self) -> str:
        return f"{self.center_id}: {self.counter}"

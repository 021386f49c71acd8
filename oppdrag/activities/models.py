"""The records a centre's year is made of: events, presentations, publications …

Each kind is its own model with the fields its appendix needs; they share the
``Activity`` base (centre, year, assignments, focus areas, reference number), so
counting and filtering across kinds is the same query shape for every kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from oppdrag.core.models import (
    CityDistrict,
    Municipality,
    Organization,
    Person,
    Region,
    TenantModel,
)


class Activity(TenantModel):
    """Fields every registered activity has."""

    year = models.PositiveSmallIntegerField(_("år"), db_index=True)
    ref = models.CharField(
        _("nr."),
        max_length=50,
        blank=True,
        help_text=_("Senterets eget løpenummer, om det har et."),
    )
    assignments = models.ManyToManyField(
        "grants.Assignment",
        verbose_name=_("oppdrag"),
        blank=True,
        related_name="%(class)s_set",
    )
    focus_areas = models.ManyToManyField(
        "grants.FocusArea",
        verbose_name=_("innsatsområder"),
        blank=True,
        related_name="%(class)s_set",
    )

    class Meta:
        abstract = True


class Contribution(models.Model):
    """A person's place in a record's ordered list of contributors."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.RESTRICT)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return str(self.person)


class Scope(models.TextChoices):
    NATIONAL = "Nasjonal", _("Nasjonal")
    REGIONAL = "Regional", _("Regional")
    LOCAL = "Lokal", _("Lokal")
    NORDIC = "Nordisk", _("Nordisk")
    INTERNATIONAL = "Internasjonal", _("Internasjonal")


class Format(models.TextChoices):
    PHYSICAL = "Fysisk", _("Fysisk")
    DIGITAL = "Digital", _("Digital")
    HYBRID = "Hybrid", _("Hybrid")


class EventSeries(TenantModel):
    """Events that belong together, such as the sessions of one training cohort.

    A series knows its unique participants, which differ from the sum of each
    session's participants (the participations).
    """

    year = models.PositiveSmallIntegerField(_("år"), db_index=True)
    name = models.CharField(_("navn"), max_length=300)
    unique_participants = models.PositiveIntegerField(_("unike deltakere"), null=True, blank=True)
    teams = models.PositiveIntegerField(_("antall team"), null=True, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arrangementsserie")
        verbose_name_plural = _("arrangementsserier")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "name"], name="series_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Event(Activity):
    """An event the centre organised or co-organised (appendix 1)."""

    theme = models.CharField(_("tema"), max_length=200)
    title = models.CharField(pgettext_lazy("event", "hva"), max_length=500)
    participants = models.PositiveIntegerField(_("antall deltakere"), null=True, blank=True)
    scope = models.CharField(
        _("nasjonal/regional"), max_length=20, choices=Scope.choices, blank=True
    )
    audience = models.TextField(_("deltakere (målgruppe)"), blank=True)
    format = models.CharField(
        _("fysisk/digital"), max_length=10, choices=Format.choices, blank=True
    )
    date_start = models.DateField(_("dato"), null=True, blank=True)
    date_end = models.DateField(_("til dato"), null=True, blank=True)
    organizers = models.ManyToManyField(  # type: ignore[var-annotated]
        Organization, verbose_name=_("arrangører"), through="EventOrganizer", blank=True
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regioner"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner nådd"), blank=True
    )
    districts = models.ManyToManyField(CityDistrict, verbose_name=_("bydeler nådd"), blank=True)
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("serie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    target_group_involved = models.BooleanField(
        _("målgruppen med i planleggingen"), null=True, blank=True
    )
    users_involved = models.BooleanField(
        _("brukere/pårørende med i planleggingen"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["center", "year"])]

    def __str__(self) -> str:
        return self.title


class EventOrganizer(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisasjon"), on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("arrangør")
        verbose_name_plural = _("arrangører")
        ordering = ["position"]

    def __str__(self) -> str:
        return str(self.organization)


class Presentation(Activity):
    """A talk or presentation (appendix 2), as registered in NVA."""

    title = models.CharField(_("tittel"), max_length=500)
    date = models.DateField(_("dato"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=100)
    contributors = models.ManyToManyField(  # type: ignore[var-annotated]
        Person, verbose_name=_("bidragsytere"), through="PresentationContributor", blank=True
    )
    nva_id = models.CharField(_("NVA-id"), max_length=100, blank=True)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presentasjon")
        verbose_name_plural = _("presentasjoner")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["center", "year"])]
        constraints = [
            # One record per NVA result and centre, so a re-import updates instead of adding.
            models.UniqueConstraint(
                fields=["center", "nva_id"],
                condition=~models.Q(nva_id=""),
                name="presentation_center_nva_id",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PresentationContributor(Contribution):
    presentation = models.ForeignKey(Presentation, on_delete=models.CASCADE)

    class Meta(Contribution.Meta):
        verbose_name = _("bidragsyter")
        verbose_name_plural = _("bidragsytere")


class OpEd(Activity):
    """An op-ed or reader's letter (appendix 3)."""

    title = models.CharField(_("tittel"), max_length=500)
    kind = models.CharField(_("type"), max_length=50)
    outlet = models.CharField(_("kanal"), max_length=200)
    date = models.DateField(_("dato"), null=True, blank=True)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    authors = models.ManyToManyField(  # type: ignore[var-annotated]
        Person, verbose_name=_("forfattere"), through="OpEdAuthor", blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kronikk eller leserinnlegg")
        verbose_name_plural = _("kronikker og leserinnlegg")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class OpEdAuthor(Contribution):
    op_ed = models.ForeignKey(OpEd, on_delete=models.CASCADE)

    class Meta(Contribution.Meta):
        verbose_name = _("forfatter")
        verbose_name_plural = _("forfattere")


class ConsultationResponse(Activity):
    """A consultation response (høringsinnspill, appendix 4)."""

    title = models.CharField(_("tittel"), max_length=500)
    date = models.DateField(_("dato"), null=True, blank=True)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("høringsinnspill")
        verbose_name_plural = _("høringsinnspill")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class Publication(Activity):
    """A product: anthology, chapter, report, article … (appendix 5)."""

    title = models.CharField(_("tittel"), max_length=500)
    kind = models.CharField(_("type"), max_length=100)
    date = models.DateField(_("dato"), null=True, blank=True)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    nva_id = models.CharField(_("NVA-id"), max_length=100, blank=True)
    contributors = models.ManyToManyField(  # type: ignore[var-annotated]
        Person, verbose_name=_("bidragsytere"), through="PublicationContributor", blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("produkt")
        verbose_name_plural = _("produkter")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "nva_id"],
                condition=~models.Q(nva_id=""),
                name="publication_center_nva_id",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PublicationContributor(Contribution):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE)

    class Meta(Contribution.Meta):
        verbose_name = _("bidragsyter")
        verbose_name_plural = _("bidragsytere")


class MediaAppearance(Activity):
    """A media appearance by a staff member (appendix 6)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.RESTRICT)
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    title = models.CharField(_("tittel"), max_length=500)
    outlet = models.CharField(_("medium"), max_length=200)
    date = models.DateField(_("dato"), null=True, blank=True)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medieoppslag")
        verbose_name_plural = _("medieoppslag")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class Group(Activity):
    """A network, working group or reference group the centre leads or joins (appendix 9)."""

    class Kind(models.TextChoices):
        NETWORK = "nettverk", _("Nettverk")
        WORKING_GROUP = "arbeidsgruppe", _("Arbeidsgruppe")
        REFERENCE_GROUP = "referansegruppe", _("Referansegruppe")
        RESOURCE_GROUP = "ressursgruppe", _("Ressursgruppe")
        STEERING_GROUP = "styringsgruppe", _("Styringsgruppe")
        EXPERT_GROUP = "ekspertgruppe", _("Ekspertgruppe")
        SUBJECT_GROUP = "faggruppe", _("Faggruppe")
        PROJECT_GROUP = "prosjektgruppe", _("Prosjektgruppe")
        FORUM = "samarbeidsforum", _("Samarbeidsforum")
        WRITING_GROUP = "skrivegruppe", _("Skrivegruppe")
        INPUT_GROUP = "innspillsgruppe", _("Innspillsgruppe")
        OTHER = "annet", _("Annet")

    class Role(models.TextChoices):
        LEAD = "leder", _("Leder/koordinerer")
        MEMBER = "medlem", _("Medlem")

    name = models.CharField(_("navn"), max_length=500)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    role = models.CharField(_("senterets rolle"), max_length=20, choices=Role.choices)
    description = models.TextField(_("beskrivelse"), blank=True)
    shared_with = models.ManyToManyField(
        "core.Center",
        verbose_name=_("delt med"),
        blank=True,
        related_name="shared_groups",
        help_text=_("Partnersentre som kan se gruppen og møtene."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gruppe eller nettverk")
        verbose_name_plural = _("grupper og nettverk")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name


class GroupMeeting(TenantModel):
    """One meeting of a group or network."""

    group = models.ForeignKey(
        Group, verbose_name=_("gruppe"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("dato"))
    format = models.CharField(
        _("fysisk/digital"), max_length=10, choices=Format.choices, blank=True
    )
    participants = models.PositiveIntegerField(_("antall deltakere"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.group} {self.date:%d.%m.%Y}"


class WebArticle(Activity):
    """An article published on the centre's web site."""

    class Category(models.TextChoices):
        NEWS = "nyhet", _("Nyhet")
        PRACTICE = "praksiseksempel", _("Praksiseksempel")
        RESEARCH = "forskning", _("Forskning")
        BLOG = "blogg", _("Blogg")
        OP_ED = "kronikk", _("Kronikk")
        DEBATE = "debattinnlegg", _("Debattinnlegg")
        COMMENT = "kommentar", _("Kommentar")
        CONFERENCE = "konferanseomtale", _("Konferanseomtale")
        WEBINAR = "webinar", _("Webinar")
        VIDEO = "video", _("Film og video")

    title = models.CharField(_("tittel"), max_length=500)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    date = models.DateField(_("dato"), null=True, blank=True)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    visits = models.PositiveIntegerField(_("besøk"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nettsak")
        verbose_name_plural = _("nettsaker")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class TopicPage(TenantModel):
    """A topic page (temaside) on the centre's web site."""

    name = models.CharField(_("navn"), max_length=200)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("temaside")
        verbose_name_plural = _("temasider")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="topicpage_center_name")
        ]

    def __str__(self) -> str:
        return self.name


class TopicPageVisits(TenantModel):
    """Visits to one topic page in one year."""

    page = models.ForeignKey(
        TopicPage, verbose_name=_("temaside"), on_delete=models.CASCADE, related_name="visits"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    visits = models.PositiveIntegerField(_("besøk"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("besøk på temaside")
        verbose_name_plural = _("besøk på temasider")
        ordering = ["page__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["page", "year"], name="topicpagevisits_page_year")
        ]

    def __str__(self) -> str:
        return f"{self.page} {self.year}"


class AdviceRequest(Activity):
    """Advice or guidance given to a municipality, a service or a team (henvendelse)."""

    class Channel(models.TextChoices):
        PHONE = "telefon", _("Telefon")
        EMAIL = "epost", _("E-post")
        MEETING = "møte", _("Fysisk møte")
        VIDEO = "videomøte", _("Videomøte")
        OTHER = "annet", _("Annet")

    date = models.DateField(_("dato"), null=True, blank=True)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), null=True, blank=True, on_delete=models.PROTECT
    )
    district = models.ForeignKey(
        CityDistrict, verbose_name=_("bydel"), null=True, blank=True, on_delete=models.PROTECT
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisasjon"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    asker_kind = models.CharField(
        _("hvem spurte"),
        max_length=30,
        choices=Organization.Kind.choices,
        blank=True,
        help_text=_("Hva slags virksomhet henvendelsen kom fra."),
    )
    team = models.CharField(_("team"), max_length=200, blank=True)
    topic = models.CharField(_("tema"), max_length=300)
    minutes = models.PositiveIntegerField(
        _("tidsbruk (minutter)"),
        null=True,
        blank=True,
        help_text=_("Omtrent hvor lang tid svaret tok."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("henvendelse")
        verbose_name_plural = _("henvendelser")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.topic


class Deletion(TenantModel):
    """A deleted record's links, kept so the record can be restored from its history.

    The record's own fields are in its history (simple-history keeps a «-» row with
    every value); its many-to-many links and ordered people, organisers and meetings
    are not, so the delete service writes them here in the same transaction.
    """

    model = models.CharField(_("modell"), max_length=100)  # «app_label.modelname»
    record_uid = models.UUIDField(_("postens id"), db_index=True)
    kind = models.SlugField(_("type"), max_length=50)
    title = models.CharField(_("tittel"), max_length=500)
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    links = models.JSONField(_("koblinger"), default=dict, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("slettet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    restored_at = models.DateTimeField(_("gjenopprettet"), null=True, blank=True)

    class Meta:
        verbose_name = _("slettet post")
        verbose_name_plural = _("slettede poster")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["center", "kind", "restored_at"])]

    def __str__(self) -> str:
        return self.title


class PublishedFigure(TenantModel):
    """A figure as published in a document (e.g. last year's report), for comparison.

    Figures that rows can produce are computed; these are kept only to show where a
    published number and the registry disagree, or for figures no row can give
    (web visits, newsletter subscribers).
    """

    class Qualifier(models.TextChoices):
        """How the published text bounds the figure: «over 50» is a lower bound."""

        EXACT = "exact", _("nøyaktig")
        OVER = "over", _("over")
        UNDER = "under", _("under")
        ABOUT = "about", _("omtrent")

    year = models.PositiveSmallIntegerField(_("år"))
    key = models.SlugField(_("nøkkel"), max_length=100)
    value = models.DecimalField(_("verdi"), max_digits=14, decimal_places=2)
    qualifier = models.CharField(
        _("presisjon"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publisert tall")
        verbose_name_plural = _("publiserte tall")
        ordering = ["-year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "key"], name="publishedfigure_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.value}"

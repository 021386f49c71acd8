"""Questionnaires as data, evaluations sent out (surveys), and the anonymous answers.

A questionnaire has numbered versions; a version that has been sent out is frozen,
and changing the questions makes a new version, so answered questionnaires are never
altered. Standard questions carry a ``standard_key`` shared by every centre, so the
built-in event evaluation is comparable across events, years and centres.

Answers are anonymous by construction: a ``Response`` holds its survey, the date
(no time) and its answers, nothing else. What keeps a device from answering twice
(``DeviceMark``) and a form from being posted twice (``UsedNonce``) is kept per
survey, keyed by a hash, with no link to any response.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppdrag.core.models import Center, Municipality, TenantModel

from . import answers


def new_token() -> str:
    """An unguessable public token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class Questionnaire(models.Model):
    """A questionnaire: built in (no centre) or a centre's own."""

    class Purpose(models.TextChoices):
        EVENT = "event", _("Evaluering av arrangement")
        TEAM = "team", _("Undersøkelse blant team")

    center = models.ForeignKey(
        Center,
        verbose_name=_("senter"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Tomt for innebygde skjemaer som alle sentre kan bruke."),
    )
    uid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(_("nøkkel"), max_length=60, blank=True)
    name = models.CharField(_("navn"), max_length=200)
    purpose = models.CharField(
        _("bruk"), max_length=10, choices=Purpose.choices, default=Purpose.EVENT
    )
    intro = models.TextField(_("innledning"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spørreskjema")
        verbose_name_plural = _("spørreskjemaer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.center_id is None


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire's questions; frozen once it has been sent out."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("versjon"))
    frozen = models.BooleanField(_("låst"), default=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("skjemaversjon")
        verbose_name_plural = _("skjemaversjoner")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaireversion_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class Section(models.Model):
    """A titled group of questions on the form."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    title = models.CharField(_("tittel"), max_length=200)

    class Meta:
        verbose_name = _("del")
        verbose_name_plural = _("deler")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a version. ``key`` is stable across versions of a questionnaire."""

    class Kind(models.TextChoices):
        SCALE = answers.SCALE, _("Skala 1–5")
        SINGLE = answers.SINGLE, _("Ett valg")
        MULTIPLE = answers.MULTIPLE, _("Flere valg")
        NUMBER = answers.NUMBER, _("Tall")
        TEXT = answers.TEXT, _("Fritekst")
        MUNICIPALITY = answers.MUNICIPALITY, _("Kommune")

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    key = models.SlugField(_("nøkkel"), max_length=60)
    standard_key = models.SlugField(
        _("standardnøkkel"),
        max_length=60,
        blank=True,
        help_text=_("Satt for spørsmålene i standardevalueringen, som er like for alle."),
    )
    text = models.CharField(_("spørsmål"), max_length=500)
    help_text = models.CharField(_("hjelpetekst"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    required = models.BooleanField(_("påkrevd"), default=False)
    # single/multiple: the options; scale: five labels, 1 to 5 (blank for none).
    options = models.JSONField(_("svaralternativer"), default=list, blank=True)
    minimum = models.FloatField(_("minste verdi"), null=True, blank=True)
    maximum = models.FloatField(_("største verdi"), null=True, blank=True)

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_version_key")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q-{self.key}"

    def scale_labels(self) -> list[str]:
        labels = [str(x) for x in (self.options or [])][:5]
        return labels + [""] * (5 - len(labels))


class Survey(TenantModel):
    """A questionnaire version sent out: attached to an event or a series (public link),
    or sent to every team of a model (a personal link per team)."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Arrangement")
        SERIES = "series", _("Arrangementsserie")
        TEAM = "team", _("Teamundersøkelse")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("tittel"), max_length=300)
    year = models.PositiveSmallIntegerField(_("år"), db_index=True)
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("skjema"),
        # A used version cannot go, except together with its surveys (a centre deleted).
        on_delete=models.RESTRICT,
        related_name="surveys",
    )
    event = models.ForeignKey(
        "activities.Event",
        verbose_name=_("arrangement"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    series = models.ForeignKey(
        "activities.EventSeries",
        verbose_name=_("serie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    team_type = models.ForeignKey(
        "teams.TeamModelType",
        verbose_name=_("tjenestemodell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    token = models.CharField(_("lenkenøkkel"), max_length=40, unique=True, default=new_token)
    closes_on = models.DateField(_("stenger"), null=True, blank=True)
    closed = models.BooleanField(_("stengt"), default=False)
    one_per_device = models.BooleanField(_("ett svar per enhet"), default=True)
    is_demo = models.BooleanField(
        _("demonstrasjonsdata"),
        default=False,
        help_text=_("Svarene er laget av en generator for demonstrasjon, ikke gitt av noen."),
    )
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="event", event__isnull=False, series__isnull=True)
                    | models.Q(kind="series", series__isnull=False, event__isnull=True)
                    | models.Q(kind="team", event__isnull=True, series__isnull=True)
                ),
                name="survey_target_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """One team's personal link to a team survey, and how far the team has come.

    Dates only; which answer is the team's is not recorded."""

    class Status(models.TextChoices):
        NOT_OPENED = "not_opened", _("Ikke åpnet")
        OPENED = "opened", _("Åpnet")
        ANSWERED = "answered", _("Svart")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey(
        "teams.ServiceTeam", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    token = models.CharField(max_length=40, unique=True, default=new_token)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_OPENED
    )
    reminders = models.PositiveSmallIntegerField(_("påminnelser"), default=0)

    class Meta:
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        constraints = [
            models.UniqueConstraint(fields=["survey", "team"], name="invitation_survey_team")
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.team}"


class Response(models.Model):
    """One anonymous answer to a survey: no person, address, browser or time of day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("dato"))

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self) -> str:
        return f"{self.survey} {self.submitted_on:%d.%m.%Y}"


class Answer(models.Model):
    """The answer to one question; a multiple-choice answer is one row per option."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("svarverdi")
        verbose_name_plural = _("svarverdier")
        indexes = [models.Index(fields=["question", "response"])]

    def __str__(self) -> str:
        return self.text or ("" if self.number is None else str(self.number))


class DeviceMark(models.Model):
    """A device that has answered a survey: the hash of survey and cookie token.

    The hash is the primary key, so rows carry no order that could be matched
    against the order of the responses."""

    key = models.CharField(primary_key=True, max_length=64)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.key[:12]


class UsedNonce(models.Model):
    """A form nonce already used for a survey (replay protection), hashed."""

    key = models.CharField(primary_key=True, max_length=64)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.key[:12]


class SubmissionCount(models.Model):
    """Well-formed submissions from one client address to one link in one time window.

    The rate limit's counter, in the database so that every process counts the same.
    The key is a keyed hash of link, address and window, so the row names neither;
    rows are deleted once their window has passed."""

    key = models.CharField(primary_key=True, max_length=64)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key[:12]

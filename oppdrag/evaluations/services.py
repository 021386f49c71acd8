"""Writes for evaluations: questionnaires and their versions, sending out, answering.

Every write goes through here; views, the demo and the tests call these functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from oppdrag.activities.models import Event, EventSeries
from oppdrag.core.models import Center, Municipality
from oppdrag.teams.models import ServiceTeam, TeamModelType

from . import answers, standard
from .models import (
    Answer,
    DeviceMark,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
    SubmissionCount,
    Survey,
    UsedNonce,
)

NONCE_SALT = "oppdrag.evaluations.nonce"
RATE_SALT = "oppdrag.evaluations.rate"
# A form left open longer than this must be reloaded (its nonce has expired).
NONCE_MAX_AGE = 24 * 60 * 60


class SubmissionRefused(Exception):
    """A submission that is refused as a whole; ``code`` names why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# questionnaires -------------------------------------------------------------------------
def standard_questionnaire() -> Questionnaire:
    """The built-in standard event evaluation (installed by a migration)."""
    return standard.install(Questionnaire, QuestionnaireVersion, Section, Question)


def questionnaires_for(center: Center) -> QuerySet[Questionnaire]:
    """The questionnaires a centre may use: the built-in ones and its own."""
    standard_questionnaire()
    return Questionnaire.objects.filter(center__isnull=True) | Questionnaire.objects.filter(
        center=center
    )


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    version = questionnaire.versions.order_by("-number").first()
    if version is None:
        version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    return version


def _copy_version(source: QuestionnaireVersion, target: QuestionnaireVersion) -> None:
    sections = {}
    for section in source.sections.all():
        sections[section.pk] = Section.objects.create(
            version=target, position=section.position, title=section.title
        )
    for q in source.questions.all():
        Question.objects.create(
            version=target,
            section=sections.get(q.section_id) if q.section_id else None,
            position=q.position,
            key=q.key,
            standard_key=q.standard_key,
            text=q.text,
            help_text=q.help_text,
            kind=q.kind,
            required=q.required,
            options=list(q.options or []),
            minimum=q.minimum,
            maximum=q.maximum,
        )


@transaction.atomic
def create_questionnaire(
    *, center: Center, name: str, purpose: str = "event", intro: str = "", base_on_standard: bool
) -> Questionnaire:
    """A centre's own questionnaire, starting from the standard questions or from none."""
    questionnaire = Questionnaire.objects.create(
        center=center, name=name, purpose=purpose, intro=intro
    )
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    if base_on_standard:
        _copy_version(current_version(standard_questionnaire()), version)
    return questionnaire


@transaction.atomic
def editable_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The version to change: the current one, or a new copy when it is frozen."""
    version = current_version(questionnaire)
    if not version.frozen:
        return version
    new = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=version.number + 1
    )
    _copy_version(version, new)
    return new


@dataclass
class QuestionData:
    text: str
    kind: str
    required: bool = False
    options: tuple[str, ...] = ()
    section: str = ""
    help_text: str = ""
    minimum: float | None = None
    maximum: float | None = None


def _unique_key(version: QuestionnaireVersion, text: str) -> str:
    from django.utils.text import slugify

    base = (slugify(text)[:40] or "sporsmal").strip("-")
    taken = set(version.questions.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def add_question(*, questionnaire: Questionnaire, center: Center, data: QuestionData) -> Question:
    """Add a centre's own question; built-in questionnaires cannot be changed."""
    if questionnaire.center_id != center.pk:
        raise PermissionError("only a centre's own questionnaire can be changed")
    version = editable_version(questionnaire)
    section = None
    if data.section.strip():
        section, _created = Section.objects.get_or_create(
            version=version,
            title=data.section.strip(),
            defaults={"position": version.sections.count()},
        )
    position = max(version.questions.values_list("position", flat=True), default=0) + 1
    return Question.objects.create(
        version=version,
        section=section,
        position=position,
        key=_unique_key(version, data.text),
        text=data.text.strip(),
        help_text=data.help_text.strip(),
        kind=data.kind,
        required=data.required,
        options=list(data.options),
        minimum=data.minimum,
        maximum=data.maximum,
    )


@transaction.atomic
def remove_question(*, questionnaire: Questionnaire, center: Center, key: str) -> None:
    """Remove a question from the next version; answered versions keep it."""
    if questionnaire.center_id != center.pk:
        raise PermissionError("only a centre's own questionnaire can be changed")
    version = editable_version(questionnaire)
    version.questions.filter(key=key).delete()


# sending out ----------------------------------------------------------------------------
def _freeze(version: QuestionnaireVersion) -> None:
    if not version.frozen:
        version.frozen = True
        version.save(update_fields=["frozen"])


@transaction.atomic
def attach_evaluation(
    *,
    center: Center,
    questionnaire: Questionnaire,
    event: Event | None = None,
    series: EventSeries | None = None,
    closes_on: dt.date | None = None,
    one_per_device: bool = True,
    title: str = "",
    is_demo: bool = False,
) -> Survey:
    """Attach an evaluation to one event or a whole series; gives a public link."""
    if (event is None) == (series is None):
        raise ValueError("give either an event or a series")
    target: Any = event or series
    if target.center_id != center.pk:
        raise PermissionError("the event belongs to another centre")
    if questionnaire.center_id not in (None, center.pk):
        raise PermissionError("the questionnaire belongs to another centre")
    version = current_version(questionnaire)
    _freeze(version)
    return Survey.objects.create(
        center=center,
        kind=Survey.Kind.EVENT if event else Survey.Kind.SERIES,
        title=title or (event.title if event else series.name),  # type: ignore[union-attr]
        year=target.year,
        version=version,
        event=event,
        series=series,
        closes_on=closes_on,
        one_per_device=one_per_device,
        is_demo=is_demo,
    )


@transaction.atomic
def send_team_survey(
    *,
    center: Center,
    questionnaire: Questionnaire,
    team_type: TeamModelType,
    year: int,
    title: str,
    closes_on: dt.date | None = None,
    is_demo: bool = False,
) -> Survey:
    """Send a questionnaire to every team of a model: one personal link per team."""
    if questionnaire.center_id not in (None, center.pk):
        raise PermissionError("the questionnaire belongs to another centre")
    version = current_version(questionnaire)
    _freeze(version)
    survey = Survey.objects.create(
        center=center,
        kind=Survey.Kind.TEAM,
        title=title,
        year=year,
        version=version,
        team_type=team_type,
        closes_on=closes_on,
        one_per_device=False,
        is_demo=is_demo,
    )
    teams = ServiceTeam.objects.filter(center=center, model_type=team_type).order_by("name")
    Invitation.objects.bulk_create([Invitation(survey=survey, team=team) for team in teams])
    return survey


def link_lines(invitations: Iterable[Invitation], base_url: str) -> list[str]:
    return [f"{inv.team.name}: {base_url.rstrip('/')}/svar/{inv.token}/" for inv in invitations]


@transaction.atomic
def mail_team_links(*, survey: Survey, address: str, base_url: str, reminder: bool) -> int:
    """E-mail the personal links (for a reminder: of the teams that have not answered)
    to the one address the centre types in; the address is not stored."""
    invitations = survey.invitations.select_related("team").order_by("team__name")
    if reminder:
        invitations = invitations.exclude(status=Invitation.Status.ANSWERED)
    rows = list(invitations)
    if not rows:
        return 0
    heading = (_("Påminnelse: {title}") if reminder else _("Personlige lenker: {title}")).format(
        title=survey.title
    )
    body = "\n".join(
        [
            _(
                "Her er lenken til hvert team som skal svare på «{title}». "
                "Send hver lenke til teamet den gjelder."
            ).format(title=survey.title),
            "",
            *link_lines(rows, base_url),
        ]
    )
    send_mail(heading, body, None, [address])
    if reminder:
        Invitation.objects.filter(pk__in=[r.pk for r in rows]).update(reminders=F("reminders") + 1)
    return len(rows)


def close_survey(survey: Survey) -> None:
    survey.closed = True
    survey.save(update_fields=["closed", "updated_at"])


def is_open(survey: Survey, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return not survey.closed and (survey.closes_on is None or today <= survey.closes_on)


# answering ------------------------------------------------------------------------------
def specs_for(questions: list[Question], municipality_ids: list[str]) -> list[answers.QuestionSpec]:
    specs = []
    for q in questions:
        options: tuple[str, ...] = ()
        if q.kind in (answers.SINGLE, answers.MULTIPLE):
            options = tuple(str(o) for o in q.options or [])
        elif q.kind == answers.MUNICIPALITY:
            options = tuple(municipality_ids)
        specs.append(
            answers.QuestionSpec(
                name=q.field_name,
                kind=q.kind,
                required=q.required,
                options=options,
                minimum=q.minimum,
                maximum=q.maximum,
            )
        )
    return specs


def municipality_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """Municipalities valid today as (id, name), by name."""
    today = today or timezone.localdate()
    rows = (
        (
            Municipality.objects.filter(valid_to__isnull=True)
            | Municipality.objects.filter(valid_to__gte=today)
        )
        .order_by("name")
        .values_list("pk", "name")
    )
    return [(str(pk), name) for pk, name in rows]


def new_nonce(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=NONCE_SALT)


def check_nonce(survey: Survey, nonce: str) -> str:
    """The key under which the nonce is recorded once used; refuses foreign or old ones."""
    try:
        data = signing.loads(nonce, salt=NONCE_SALT, max_age=NONCE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise SubmissionRefused("expired") from exc
    except signing.BadSignature as exc:
        raise SubmissionRefused("bad_nonce") from exc
    if not isinstance(data, dict) or data.get("s") != survey.pk:
        raise SubmissionRefused("bad_nonce")
    return digest("nonce", nonce)


def device_key(survey: Survey, device: str) -> str:
    return digest("device", survey.token, device)


def has_answered(survey: Survey, device: str | None) -> bool:
    return bool(device) and DeviceMark.objects.filter(key=device_key(survey, device or "")).exists()


def count_submission(
    survey: Survey, address: str, *, limit: int, window: int, now: dt.datetime | None = None
) -> bool:
    """Count one well-formed submission from ``address`` to ``survey``'s link in the
    current ``window`` (seconds); True when that makes more than ``limit``.

    Per link *and* address, so that one address cannot lock a link for everyone."""
    now = now or timezone.now()
    slot = int(now.timestamp()) // window
    key = salted_hmac(RATE_SALT, f"{survey.pk}\x1f{address}\x1f{window}:{slot}").hexdigest()
    rows = SubmissionCount.objects.filter(key=key)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            SubmissionCount.objects.filter(expires_at__lt=now).delete()
            try:
                with transaction.atomic():
                    expires = dt.datetime.fromtimestamp((slot + 1) * window, tz=dt.UTC)
                    SubmissionCount.objects.create(key=key, count=1, expires_at=expires)
            except IntegrityError:  # another process made the row first
                rows.update(count=F("count") + 1)
        count = rows.values_list("count", flat=True).get()
    return count > limit


def submit_response(
    *,
    survey: Survey,
    questions: list[Question],
    values: dict[str, answers.CleanValue],
    nonce_key: str,
    device: str | None,
    invitation: Invitation | None = None,
    today: dt.date | None = None,
) -> Response:
    """Save one anonymous response; refuses a used nonce, a device that has answered
    (when the survey allows one answer per device) and a closed survey."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            # A fresh read: the survey may have been closed since the form was shown.
            if not is_open(Survey.objects.get(pk=survey.pk), today):
                raise SubmissionRefused("closed")
            try:
                with transaction.atomic():
                    UsedNonce.objects.create(key=nonce_key, survey=survey)
            except IntegrityError as exc:
                raise SubmissionRefused("replayed") from exc
            if survey.one_per_device and device:
                try:
                    with transaction.atomic():
                        DeviceMark.objects.create(key=device_key(survey, device), survey=survey)
                except IntegrityError as exc:
                    raise SubmissionRefused("already_answered") from exc
            if invitation is not None:
                updated = (
                    Invitation.objects.filter(pk=invitation.pk)
                    .exclude(status=Invitation.Status.ANSWERED)
                    .update(status=Invitation.Status.ANSWERED)
                )
                if not updated:
                    raise SubmissionRefused("already_answered")
            response = Response.objects.create(survey=survey, submitted_on=today)
            Answer.objects.bulk_create(_answer_rows(response, questions, values))
            return response
    except IntegrityError as exc:  # a concurrent duplicate slipped past the checks
        raise SubmissionRefused("replayed") from exc


def _answer_rows(
    response: Response, questions: list[Question], values: dict[str, answers.CleanValue]
) -> list[Answer]:
    rows: list[Answer] = []
    for q in questions:
        value = values.get(q.field_name)
        if value is None:
            continue
        if q.kind == answers.MULTIPLE:
            assert isinstance(value, tuple)
            rows.extend(Answer(response=response, question=q, text=v) for v in value)
        elif q.kind in (answers.SCALE, answers.NUMBER):
            rows.append(Answer(response=response, question=q, number=float(value)))  # type: ignore[arg-type]
        elif q.kind == answers.MUNICIPALITY:
            rows.append(Answer(response=response, question=q, municipality_id=int(str(value))))
        else:
            rows.append(Answer(response=response, question=q, text=str(value)))
    return rows


def mark_opened(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.NOT_OPENED).update(
        status=Invitation.Status.OPENED
    )

"""Writes to the activity registries: one function per operation, one transaction each.

Views, the API and commands call these; the importers share the rules in ``rules``
(dates inside the year, a to-date after the from-date, one number per year) and
save in bulk. Every write records who made it in the record's history.

``data`` holds a record's field values by field name, as a form's ``cleaned_data``
does; many-to-many links are lists of objects, and the ordered lists (an event's
organisers, a presentation's contributors, an op-ed's authors) are lists of objects
or, for people, of names (people not yet registered are added, as the importer does).
A key that is absent leaves that field or link as it is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oppdrag.core.models import (
    Center,
    CityDistrict,
    Municipality,
    Organization,
    Person,
    Region,
    TenantModel,
)
from oppdrag.core.services import people_by_name
from oppdrag.grants.models import FocusArea

from . import models as m


@dataclass(frozen=True)
class People:
    """An ordered list of people on a record, through its own table."""

    key: str  # the data key and the model's many-to-many name
    through: type[Model]
    fk: str  # the through table's key to the record
    label: Any


ORDERED_PEOPLE: dict[type[Model], People] = {
    m.Presentation: People(
        "contributors", m.PresentationContributor, "presentation", _("bidragsytere")
    ),
    m.Publication: People(
        "contributors", m.PublicationContributor, "publication", _("bidragsytere")
    ),
    m.OpEd: People("authors", m.OpEdAuthor, "op_ed", _("forfattere")),
}
DATE_FIELDS = ("date", "date_start", "date_end")


class Protected(Exception):
    """The record cannot be deleted: something else depends on it (the message says what)."""


# --- the rules forms, the API and the importers share ---------------------------------


def date_problems(data: dict[str, Any]) -> dict[str, str]:
    """Dates outside the record's year, or a to-date before the from-date, by field."""
    problems: dict[str, str] = {}
    year = data.get("year")
    for name in DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, dt.date) and year and value.year != year:
            problems[name] = _("Datoen {date} er ikke i {year}, året posten gjelder.").format(
                date=value.strftime("%d.%m.%Y"), year=year
            )
    start, end = data.get("date_start"), data.get("date_end")
    if end and not start:
        problems.setdefault("date_start", _("Til-dato er fylt ut, men fra-dato mangler."))
    if start and end and end < start:
        problems.setdefault("date_end", _("Til-datoen er før fra-datoen."))
    return problems


def validate(
    model: type[Model], *, center: Center, data: dict[str, Any], instance: Model | None = None
) -> None:
    """Raise ``ValidationError`` naming each field whose value breaks a registry rule.

    The same rules as the importer: dates inside the record's year, a to-date not
    before the from-date, a centre's number («Nr.») used once a year, an NVA id once,
    and the assignments those of the record's own year.
    """
    merged = dict(_current(instance, data))
    problems: dict[str, list[str]] = {
        name: [message] for name, message in date_problems(merged).items()
    }
    year, ref = merged.get("year"), merged.get("ref")
    others = model._default_manager.filter(center=center)  # type: ignore[attr-defined]
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    if ref and year and "ref" in data and others.filter(year=year, ref=ref).exists():
        problems["ref"] = [
            _("Nr. «{ref}» er allerede registrert for {year}.").format(ref=ref, year=year)
        ]
    nva_id = merged.get("nva_id")
    if nva_id and "nva_id" in data and others.filter(nva_id=nva_id).exists():
        problems["nva_id"] = [_("NVA-id {id} er allerede registrert.").format(id=nva_id)]
    if model is m.TopicPage:
        problems.update(_topic_page_problems(others, data))
    if year and data.get("assignments"):
        wrong = [
            a.number for a in data["assignments"] if a.year != year or a.center_id != center.pk
        ]
        if wrong:
            problems["assignments"] = [
                _("Oppdrag {numbers} hører ikke til {year}.").format(
                    numbers=", ".join(wrong), year=year
                )
            ]
    if problems:
        raise ValidationError(problems)


def _topic_page_problems(others: Any, data: dict[str, Any]) -> dict[str, list[str]]:
    """A topic page's name is the centre's once (as the importer matches pages by
    name), and a visit count needs the year it counts."""
    problems: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if name and others.filter(name__iexact=name).exists():
        problems["name"] = [_("Temasiden «{name}» er allerede registrert.").format(name=name)]
    if data.get("visits") is not None and not data.get("year"):
        problems["year"] = [_("Oppgi året besøkstallet gjelder.")]
    visits = data.get("visits")
    if isinstance(visits, int) and visits < 0:
        problems["visits"] = [_("Antall besøk kan ikke være negativt.")]
    return problems


def _current(instance: Model | None, data: dict[str, Any]) -> dict[str, Any]:
    """The values a record will have: the instance's, with ``data`` on top."""
    values: dict[str, Any] = {}
    if instance is not None:
        for name in ("year", "ref", "nva_id", *DATE_FIELDS):
            if hasattr(instance, name):
                values[name] = getattr(instance, name)
    values.update(data)
    return values


# --- register, change ---------------------------------------------------------------


def _split(model: type[Model], data: dict[str, Any]) -> tuple[dict, dict, list | None, list | None]:
    """A record's data as (own fields, many-to-many links, organisers, people)."""
    data = dict(data)
    organizers = data.pop("organizers", None) if model is m.Event else None
    people_spec = ORDERED_PEOPLE.get(model)
    people = data.pop(people_spec.key, None) if people_spec else None
    plain_m2m = {
        f.name
        for f in model._meta.many_to_many
        if f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    }
    links = {key: data.pop(key) for key in list(data) if key in plain_m2m}
    return data, links, organizers, people


def _person_by_name(fields: dict[str, Any], *, center: Center, user: Any) -> None:
    """A media appearance's person given by name: the centre's person of that name."""
    name = fields.get("person")
    if isinstance(name, str):
        fields["person"] = people_by_name(center, {name}, user)[name]


def _save_links(
    record: Model,
    *,
    user: Any,
    links: dict[str, Any],
    organizers: Sequence[Organization] | None,
    people: Sequence[Person | str] | None,
) -> None:
    for key, values in links.items():
        getattr(record, key).set(values or [])
    if organizers is not None:
        m.EventOrganizer.objects.filter(event_id=record.pk).delete()
        m.EventOrganizer.objects.bulk_create(
            m.EventOrganizer(event=record, organization=org, position=i)  # type: ignore[misc]
            for i, org in enumerate(organizers)
        )
    spec = ORDERED_PEOPLE.get(type(record))
    if spec is not None and people is not None:
        names = {p for p in people if isinstance(p, str)}
        found = people_by_name(record.center, names, user) if names else {}  # type: ignore[attr-defined]
        persons = [found[p] if isinstance(p, str) else p for p in people]
        spec.through._default_manager.filter(**{spec.fk: record}).delete()
        spec.through._default_manager.bulk_create(
            spec.through(**{spec.fk: record, "person": person, "position": i})
            for i, person in enumerate(dict.fromkeys(persons))
        )


def _yearly_visits(model: type[Model], data: dict[str, Any]) -> tuple[dict, tuple | None]:
    """A topic page's data without its year's visits, and (year, visits) apart: the
    count is a row of its own per year (``TopicPageVisits``). None when the data
    names no year or no visits key (the counts stay as they are)."""
    if model is not m.TopicPage:
        return data, None
    data = dict(data)
    year = data.pop("year", None)
    if "visits" not in data:
        return data, None
    visits = data.pop("visits")
    return data, ((year, visits) if year else None)


def _save_visits(page: m.TopicPage, yearly: tuple | None, user: Any) -> None:
    """Set (or, given None, remove) one year's visit count of a topic page."""
    if yearly is None:
        return
    year, visits = yearly
    row: Any = m.TopicPageVisits.objects.filter(page=page, year=year).first()
    if visits is None:
        if row is not None:
            row._history_user = user
            row.delete()
        return
    if row is None:
        row = m.TopicPageVisits(center=page.center, page=page, year=year)
    row.visits = visits
    row._history_user = user
    row.save()


@transaction.atomic
def register_record(
    model: type[Model], *, center: Center, user: Any, data: dict[str, Any]
) -> Model:
    """Create a record of ``model`` for ``center``; its history names ``user``."""
    validate(model, center=center, data=data)
    data, yearly = _yearly_visits(model, data)
    fields, links, organizers, people = _split(model, data)
    _person_by_name(fields, center=center, user=user)
    record = model(center=center, **fields)
    record._history_user = user  # type: ignore[attr-defined]
    record.save()
    _save_links(record, user=user, links=links, organizers=organizers, people=people)
    if isinstance(record, m.TopicPage):
        _save_visits(record, yearly, user)
    return record


@transaction.atomic
def change_record(record: Model, *, user: Any, data: dict[str, Any]) -> Model:
    """Change a record's fields and links; the previous values stay in its history."""
    validate(type(record), center=record.center, data=data, instance=record)  # type: ignore[attr-defined]
    data, yearly = _yearly_visits(type(record), data)
    if isinstance(record, m.TopicPage):
        _save_visits(record, yearly, user)
    fields, links, organizers, people = _split(type(record), data)
    _person_by_name(fields, center=record.center, user=user)  # type: ignore[attr-defined]
    for key, value in fields.items():
        setattr(record, key, value)
    record._history_user = user  # type: ignore[attr-defined]
    record.save()
    _save_links(record, user=user, links=links, organizers=organizers, people=people)
    return record


def register_event(
    *,
    center: Center,
    user: Any,
    data: dict[str, Any],
    organizers: Sequence[Organization] = (),
) -> m.Event:
    """Create an event for ``center`` from cleaned form data; history records ``user``."""
    data = {**data, "organizers": list(organizers) or data.get("organizers") or []}
    return register_record(m.Event, center=center, user=user, data=data)  # type: ignore[return-value]


def change_event(*, event: m.Event, user: Any, data: dict[str, Any]) -> m.Event:
    """Change an event's fields and links; the previous values stay in its history."""
    return change_record(event, user=user, data=data)  # type: ignore[return-value]


update_event = change_event


# --- delete, restore ----------------------------------------------------------------


def protection(record: Model) -> str | None:
    """Why ``record`` cannot be deleted, or None when it can."""
    if isinstance(record, m.Event):
        surveys = record.evaluations.count()  # type: ignore[attr-defined]
        if surveys:
            return ngettext(
                "Arrangementet har {n} evaluering med svar fra deltakerne. Slett evalueringen "
                "først hvis arrangementet skal slettes.",
                "Arrangementet har {n} evalueringer med svar fra deltakerne. Slett "
                "evalueringene først hvis arrangementet skal slettes.",
                surveys,
            ).format(n=surveys)
    return None


# Shared reference rows by the fields that name them in any installation (those the
# centre archive uses), so a deletion's links keep their meaning when a centre moves.
REFERENCE_KEYS: dict[type[Model], tuple[str, ...]] = {
    Organization: ("name",),
    Municipality: ("number", "valid_from"),
    CityDistrict: ("number",),
    Region: ("code",),
    FocusArea: ("code",),
    Center: ("slug",),
}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def _keys_of(queryset: Any, model: type[Model]) -> list[Any]:
    """How a deletion names linked rows: a centre's own rows by their public id,
    shared reference rows by their natural key, in the queryset's order."""
    if issubclass(model, TenantModel):
        return [str(uid) for uid in queryset.values_list("uid", flat=True)]
    if model in REFERENCE_KEYS:
        fields = REFERENCE_KEYS[model]
        return [
            [value.isoformat() if isinstance(value, dt.date) else value for value in row]
            for row in queryset.values_list(*fields)
        ]
    return [_plain(pk) for pk in queryset.values_list("pk", flat=True)]


def _rows_named(model: type[Model], keys: list[Any], center: Center) -> list[Model]:
    """The rows ``keys`` (from ``_keys_of``) name, in that order; rows gone are left out."""
    manager: Any = model._default_manager
    if not keys:
        return []
    if issubclass(model, TenantModel):
        found = {str(row.uid): row for row in manager.filter(center=center, uid__in=keys)}
        return [found[key] for key in keys if key in found]
    if model in REFERENCE_KEYS:
        fields = REFERENCE_KEYS[model]
        named = reduce(or_, (Q(**dict(zip(fields, key, strict=True))) for key in keys))
        by_key = {}
        for row in manager.filter(named):
            values = [getattr(row, name) for name in fields]
            plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
            by_key[tuple(plain)] = row
        return [by_key[tuple(key)] for key in keys if tuple(key) in by_key]
    found = manager.in_bulk(keys)
    return [found[key] for key in keys if key in found]


def snapshot(record: Model) -> dict[str, Any]:
    """The record's links as keys, in order: what its history does not keep."""
    links: dict[str, Any] = {}
    for f in type(record)._meta.many_to_many:
        if f.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
            related: Any = f.related_model
            rows = getattr(record, f.name).order_by(*REFERENCE_KEYS.get(related, ("pk",)))
            links[f.name] = _keys_of(rows, related)
    if isinstance(record, m.Event):
        links["organizers"] = [
            [name]
            for name in record.eventorganizer_set.order_by("position").values_list(
                "organization__name", flat=True
            )
        ]
    spec = ORDERED_PEOPLE.get(type(record))
    if spec is not None:
        links[spec.key] = [
            str(uid)
            for uid in spec.through._default_manager.filter(**{spec.fk: record})
            .order_by("position")
            .values_list("person__uid", flat=True)
        ]
    if isinstance(record, m.Group):
        links["meetings"] = [
            {
                "date": meeting.date.isoformat(),
                "format": meeting.format,
                "participants": meeting.participants,
            }
            for meeting in record.meetings.order_by("date", "id")  # type: ignore[attr-defined]
        ]
    if isinstance(record, m.TopicPage):
        links["visits"] = [
            {"year": year, "visits": visits}
            for year, visits in record.visits.order_by("year").values_list("year", "visits")  # type: ignore[attr-defined]
        ]
    return links


def losses(record: Model) -> list[str]:
    """What goes with the record when it is deleted, as sentences for the confirmation."""
    links = snapshot(record)
    labels = {
        "assignments": _("koblinger til oppdrag"),
        "focus_areas": _("koblinger til innsatsområder"),
        "regions": _("koblinger til regioner"),
        "municipalities": _("koblinger til kommuner"),
        "districts": _("koblinger til bydeler"),
        "shared_with": _("delinger med andre sentre"),
        "organizers": _("arrangører"),
        "contributors": _("bidragsytere"),
        "authors": _("forfattere"),
        "meetings": _("møter"),
        "visits": _("års besøkstall"),
    }
    lines = [
        _("{count} {what}").format(count=len(values), what=labels.get(key, key))
        for key, values in links.items()
        if values
    ]
    if isinstance(record, m.Event) and record.series_id:
        lines.append(_("plassen i serien «{series}»").format(series=record.series))
    return lines


def record_title(record: Model) -> str:
    for name in ("title", "name", "topic"):
        value = getattr(record, name, None)
        if value:
            return str(value)[:500]
    return str(record)[:500]


@transaction.atomic
def delete_record(record: Model, *, user: Any, kind: str = "") -> m.Deletion:
    """Delete ``record`` after writing down its links, so ``restore_record`` can bring
    it back; refuses with ``Protected`` when something depends on it."""
    reason = protection(record)
    if reason:
        raise Protected(reason)
    deletion = m.Deletion.objects.create(
        center=record.center,  # type: ignore[attr-defined]
        model=record._meta.label_lower,
        record_uid=record.uid,  # type: ignore[attr-defined]
        kind=kind or record._meta.model_name or "",
        title=record_title(record),
        year=getattr(record, "year", None),
        links=snapshot(record),
        deleted_by=user if getattr(user, "pk", None) else None,
    )
    if isinstance(record, m.Group):
        for meeting in record.meetings.all():  # type: ignore[attr-defined]
            meeting._history_user = user
            meeting.delete()
    if isinstance(record, m.TopicPage):
        for visits in record.visits.all():  # type: ignore[attr-defined]
            visits._history_user = user
            visits.delete()
    record._history_user = user  # type: ignore[attr-defined]
    record.delete()
    return deletion


def delete_event(*, event: m.Event, user: Any) -> m.Deletion:
    return delete_record(event, user=user, kind="arrangementer")


@dataclass
class Restored:
    record: Model
    missing: list[str]  # links whose other end is gone since


@transaction.atomic
def deletion_row(deletion: m.Deletion, model: Any, *, back_already: str, no_history: str) -> Any:
    """The history row that recorded the deletion ``deletion`` names: the record as it
    was when deleted. Refuses (``ValidationError``, the given message) if the record is
    back already or its history is gone or belongs to another centre."""
    if (
        deletion.restored_at is not None
        or model._default_manager.filter(uid=deletion.record_uid).exists()
    ):
        raise ValidationError(back_already)
    last = (
        model.history.filter(uid=deletion.record_uid, history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if last is None or last.center_id != deletion.center_id:
        raise ValidationError(no_history)
    return last


def restore_record(deletion: m.Deletion, *, user: Any) -> Restored:
    """Bring a deleted record back as it was when deleted, with its links.

    The record's fields come from its history's deletion row (the same id and
    primary key, so links from its history still point at it); links whose other end
    has been deleted since are left out and named in ``missing``. Refuses with
    ``ValidationError`` if the record is back already or a unique value is taken.
    """
    model = apps.get_model(deletion.model)
    last = deletion_row(
        deletion,
        model,
        back_already=_("Posten er allerede gjenopprettet."),
        no_history=_("Historikken for posten mangler, så den kan ikke gjenopprettes."),
    )
    record = last.instance
    data = {
        name: getattr(record, name) for name in ("year", "ref", "nva_id") if hasattr(record, name)
    }
    data = {k: v for k, v in data.items() if v}
    if isinstance(record, m.TopicPage):
        data["name"] = record.name  # taken since by a new page of the same name?
    validate(model, center=deletion.center, data=data)
    missing: list[str] = []
    _check_references(record, missing)
    record._history_user = user
    record.save(force_insert=True)
    # Saving as new stamps «created» now; the record was created when it was.
    model._default_manager.filter(pk=record.pk).update(created_at=last.created_at)
    missing += _restore_links(record, deletion.links, user)
    deletion.restored_at = timezone.now()
    deletion.save(update_fields=["restored_at"])
    return Restored(record, missing)


def _check_references(record: Model, missing: list[str]) -> None:
    """A foreign key whose row is gone since: emptied if it may be, else refused."""
    for field in record._meta.concrete_fields:
        if not field.many_to_one or getattr(record, field.attname) is None:
            continue
        related: Any = field.related_model
        if related._default_manager.filter(pk=getattr(record, field.attname)).exists():
            continue
        if field.null:
            setattr(record, field.attname, None)
            missing.append(str(field.verbose_name))
        else:
            raise ValidationError(
                _(
                    "{field} posten pekte på, finnes ikke lenger, så den kan ikke gjenopprettes."
                ).format(field=capfirst(str(field.verbose_name)))
            )


def _restore_links(record: Model, links: dict[str, Any], user: Any) -> list[str]:
    missing: list[str] = []
    model = type(record)
    for f in model._meta.many_to_many:
        if f.name not in links or not f.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
            continue
        wanted = links[f.name]
        related: Any = f.related_model
        found = _rows_named(related, wanted, record.center)  # type: ignore[attr-defined]
        if len(found) < len(wanted):
            missing.append(str(f.verbose_name))
        getattr(record, f.name).set(found)
    if isinstance(record, m.Event) and "organizers" in links:
        orgs = _rows_named(Organization, links["organizers"], record.center)
        if len(orgs) < len(links["organizers"]):
            missing.append(_("arrangører"))
        m.EventOrganizer.objects.bulk_create(
            m.EventOrganizer(event=record, organization=org, position=i)  # type: ignore[misc]
            for i, org in enumerate(orgs)
        )
    spec = ORDERED_PEOPLE.get(model)
    if spec is not None and spec.key in links:
        people = {
            str(p.uid): p
            for p in Person.objects.filter(center=record.center, uid__in=links[spec.key])  # type: ignore[attr-defined]
        }
        if len(people) < len(links[spec.key]):
            missing.append(str(spec.label))
        spec.through._default_manager.bulk_create(
            spec.through(**{spec.fk: record, "person": people[uid], "position": i})
            for i, uid in enumerate(uid for uid in links[spec.key] if uid in people)
        )
    if isinstance(record, m.Group):
        for meeting in links.get("meetings", []):
            restored = m.GroupMeeting(
                center=record.center,
                group=record,
                date=dt.date.fromisoformat(meeting["date"]),
                format=meeting["format"],
                participants=meeting["participants"],
            )
            restored._history_user = user  # type: ignore[attr-defined]
            restored.save()
    if isinstance(record, m.TopicPage):
        for entry in links.get("visits", []):
            visits = m.TopicPageVisits(
                center=record.center, page=record, year=entry["year"], visits=entry["visits"]
            )
            visits._history_user = user  # type: ignore[attr-defined]
            visits.save()
    return missing

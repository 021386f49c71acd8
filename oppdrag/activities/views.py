"""The registry's pages: list, show, register, change, delete and restore every kind.

Events keep a list and detail page of their own (their table has more columns);
every kind, events included, registers, changes, deletes and restores through the
same views, its form from ``forms.FORMS`` and its writes through ``services``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from oppdrag.core.concurrency import Conflict, check_sealed, seal
from oppdrag.core.models import Membership, Municipality, Region
from oppdrag.grants.models import Assignment
from oppdrag.web import fragments
from oppdrag.web.access import center_view
from oppdrag.web.exports import EVENT_COLUMNS, event_row, table_response
from oppdrag.web.filters import FILTERSETS, EventFilter
from oppdrag.web.registry import KINDS, Kind
from oppdrag.web.years import chosen_year, year_in_view

from . import models as m
from . import services
from .duplicates import probable_duplicates
from .forms import FORMS, RecordForm

PAGE_SIZE = 50
LAST_ASSIGNMENT = "oppdrag:last-assignment"
EVENTS = "arrangementer"
# Values «register another like this» leaves for the new record: what makes it another.
NOT_COPIED = {"ref", "nva_id", "url", "participants", "visits", "minutes"}
DATE_NAMES = ("date", "date_start")


def kind_or_404(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def can_edit(request: HttpRequest) -> bool:
    return request.membership.role in {  # type: ignore[attr-defined]
        Membership.Role.EDITOR,
        Membership.Role.ADMIN,
    }


def query_without_page(request: HttpRequest) -> str:
    """The list's query string for its page links: without the page and any export."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()


def detail_url(spec: Kind, record: Any) -> str:
    center = record.center.slug
    if spec.slug == EVENTS:
        return reverse("activities:event_detail", kwargs={"center": center, "uid": record.uid})
    return reverse(
        "activities:kind_detail", kwargs={"center": center, "kind": spec.slug, "uid": record.uid}
    )


def list_url(spec: Kind, center: Any) -> str:
    if spec.slug == EVENTS:
        return reverse("activities:event_list", kwargs={"center": center.slug})
    return reverse("activities:kind_list", kwargs={"center": center.slug, "kind": spec.slug})


def history_of(record: Any) -> list[tuple[Any, list[Any]]]:
    entries = list(record.history.select_related("history_user").order_by("-history_date")[:50])
    return [
        (entry, entry.diff_against(entry.prev_record).changes if entry.prev_record else [])
        for entry in entries
    ]


# --- events: list and detail ------------------------------------------------------------


def event_queryset(center: Any) -> Any:
    # The related rows carry only what a row of the list shows (``event_row``) and the
    # edit form needs (their keys): a page of 50 events makes some 500 of them.
    return (
        m.Event.objects.filter(center=center)
        .select_related("series")
        .prefetch_related(
            Prefetch(
                "eventorganizer_set",
                queryset=m.EventOrganizer.objects.select_related("organization").only(
                    "event_id", "organization__name"
                ),
            ),
            Prefetch("regions", queryset=Region.objects.only("name")),
            Prefetch("municipalities", queryset=Municipality.objects.only("name")),
            Prefetch("assignments", queryset=Assignment.objects.only("number")),
        )
        .order_by("-year", "id")
    )


def list_body(request: HttpRequest, name: str, make: Callable[[], str]) -> SafeString:
    """A list's filter form, rows and pager, rendered by ``make`` or taken from the cache
    while the centre's data, the year chosen and the query are the same (web.fragments).
    The parts that differ by role (the actions) are rendered around it."""
    center = request.center  # type: ignore[attr-defined]
    parts = (chosen_year(request), request.GET.urlencode())
    return fragments.cached(center.pk, name, parts, make)


def event_filter(request: HttpRequest) -> EventFilter:
    center = request.center  # type: ignore[attr-defined]
    return EventFilter(
        request.GET or None,
        queryset=event_queryset(center),
        center=center,
        year=chosen_year(request),
    )


@center_view()
def event_list(request: HttpRequest) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        rows = (event_row(e) for e in event_filter(request).qs)
        return table_response(f"arrangementer-{center.slug}", EVENT_COLUMNS, rows, fmt)

    def body() -> str:
        filterset = event_filter(request)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "center": center,
            "filter": filterset,
            "page": page,
            "rows": [(e, event_row(e)) for e in page.object_list],
            "columns": EVENT_COLUMNS,
            "query": query_without_page(request),
        }
        return render_to_string("activities/_event_list.html", context)

    context = {
        "center": center,
        "kind": KINDS[EVENTS],
        "body": list_body(request, "event_list", body),
        "can_edit": can_edit(request),
    }
    return render(request, "activities/event_list.html", context)


@center_view()
def event_detail(request: HttpRequest, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    event = get_object_or_404(event_queryset(center), uid=uid)
    return render(
        request,
        "activities/event_detail.html",
        {
            "kind": KINDS[EVENTS],
            "event": event,
            "record": event,
            "row": zip(EVENT_COLUMNS, event_row(event), strict=True),
            "changes": history_of(event),
            "can_edit": can_edit(request),
        },
    )


# --- every other kind: list and detail ---------------------------------------------------


@center_view()
def kind_list(request: HttpRequest, kind: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)

    def kind_filter() -> Any:
        return FILTERSETS[spec.slug](
            request.GET or None,
            queryset=spec.queryset(center),
            center=center,
            year=chosen_year(request),
        )

    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        rows = (spec.row(r) for r in kind_filter().qs)
        return table_response(f"{spec.slug}-{center.slug}", spec.columns, rows, fmt)

    def body() -> str:
        filterset = kind_filter()
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "center": center,
            "kind": spec,
            "filter": filterset,
            "page": page,
            "rows": [(r, spec.row(r)) for r in page.object_list],
            "query": query_without_page(request),
        }
        return render_to_string("activities/_kind_list.html", context)

    context = {
        "center": center,
        "kind": spec,
        "body": list_body(request, f"kind_list:{spec.slug}", body),
        "can_edit": can_edit(request),
    }
    return render(request, "activities/kind_list.html", context)


@center_view()
def kind_detail(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    if spec.slug == EVENTS:
        return redirect("activities:event_detail", center=center.slug, uid=uid)
    record = get_object_or_404(spec.queryset(center), uid=uid)
    context = {
        "kind": spec,
        "record": record,
        "title": spec.row(record)[spec.title_column],
        "row": zip(spec.columns, spec.row(record), strict=True),
        "changes": history_of(record),
        "can_edit": can_edit(request),
    }
    if isinstance(record, m.TopicPage):
        # A page's own facts, then its visits year by year (the list shows one year).
        context["row"] = [(_("Lenke"), record.url)]
        context["visits"] = list(record.visits.order_by("-year"))  # type: ignore[attr-defined]
        return render(request, "activities/topic_page_detail.html", context)
    template = "activities/group_detail.html" if spec.model is m.Group else None
    return render(request, template or "activities/kind_detail.html", context)


# --- register and change ------------------------------------------------------------------


def form_for(spec: Kind, request: HttpRequest, **kwargs: Any) -> RecordForm:
    form_class = FORMS[spec.model]
    data = request.POST if request.method == "POST" else None
    return form_class(data, center=request.center, **kwargs)  # type: ignore[attr-defined]


def defaults(request: HttpRequest, spec: Kind) -> dict[str, Any]:
    """A new record's starting values: the year in view, today if it is in that year,
    the assignments last chosen and the signed-in person where a kind names people."""
    year = year_in_view(request)
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "year": year,
        "assignments": request.session.get(LAST_ASSIGNMENT, []),
    }
    for name in DATE_NAMES:
        initial[name] = today if today.year == year else None
    name = request.user.get_full_name()  # type: ignore[union-attr]
    if name:
        form_class = FORMS[spec.model]
        if form_class.people:
            initial[form_class.people] = name
        if spec.model is m.MediaAppearance:
            initial["person"] = name
    return initial


def copy_of(record: Model, form_class: type[RecordForm]) -> dict[str, Any]:
    """Initial values for «register another like this»: all but what makes it another.

    The date stays inside the year of the record copied: today when today is in
    that year, else the copied record's own date."""
    values: dict[str, Any] = {}
    for name in form_class._meta.fields or ():
        if name in NOT_COPIED:
            continue
        field = record._meta.get_field(name)
        if field.many_to_many:
            values[name] = [obj.pk for obj in getattr(record, name).all()]
        elif field.is_relation:
            values[name] = record.serializable_value(name)
        else:
            values[name] = getattr(record, name)
    year = getattr(record, "year", None)
    today = timezone.localdate()
    for name in DATE_NAMES:
        if name in values:
            values[name] = today if today.year == year else getattr(record, name)
    values.pop("date_end", None)
    if isinstance(record, m.Event):
        values["organizers"] = [link.organization_id for link in record.eventorganizer_set.all()]
    spec = services.ORDERED_PEOPLE.get(type(record))
    if spec is not None:
        links = spec.through._default_manager.filter(**{spec.fk: record}).select_related("person")
        values[spec.key] = "; ".join(link.person.name for link in links.order_by("position"))  # type: ignore[attr-defined]
    if isinstance(record, m.MediaAppearance):
        values["person"] = record.person.name
    if isinstance(record, m.TopicPage):
        values.pop("name", None)  # a page's name is its own: the copy needs another
    return values


def kind_queryset(spec: Kind, center: Any) -> Any:
    return event_queryset(center) if spec.slug == EVENTS else spec.queryset(center)


@center_view(role=Membership.Role.EDITOR)
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    initial = defaults(request, spec)
    like = request.GET.get("like")
    if like:
        original = get_object_or_404(kind_queryset(spec, center), uid=like)
        initial.update(copy_of(original, FORMS[spec.model]))
    form = form_for(spec, request, initial=initial, year=initial["year"])
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if not request.POST.get("duplicate_ok"):
            duplicates = probable_duplicates(spec.model, center, data)
        if not duplicates:
            try:
                record = services.register_record(
                    spec.model, center=center, user=request.user, data=data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return registered(request, spec, record, form)
    context = {
        "form": form,
        "kind": spec,
        "creating": True,
        "duplicates": [(record, detail_url(spec, record)) for record in duplicates],
        "another": bool(request.POST.get("another")),
        "fields_html": kept_fields(request, spec, form, initial),
    }
    return render(request, "activities/record_form.html", context)


def kept_fields(
    request: HttpRequest, spec: Kind, form: RecordForm, initial: dict[str, Any]
) -> SafeString | None:
    """An empty registration form's fields, kept under the centre's data version by
    kind and defaults (web.fragments): writing every field and choice was most of the
    form's cost under load. A posted form (values, errors) is written afresh."""
    if form.is_bound:
        return None
    center = request.center  # type: ignore[attr-defined]
    parts = (spec.slug, repr(sorted(initial.items())))
    return fragments.cached(
        center.pk,
        "record_form_fields",
        parts,
        lambda: render_to_string("activities/_record_fields.html", {"form": form}),
    )


def registered(request: HttpRequest, spec: Kind, record: Any, form: RecordForm) -> HttpResponse:
    chosen = [a.pk for a in form.cleaned_data.get("assignments") or []]
    if chosen:
        request.session[LAST_ASSIGNMENT] = chosen
    messages.success(
        request,
        _("{kind} «{title}» er registrert.").format(
            kind=str(spec.label_singular).capitalize(), title=services.record_title(record)
        ),
    )
    if request.POST.get("another"):
        url = reverse(
            "activities:kind_create", kwargs={"center": record.center.slug, "kind": spec.slug}
        )
        return redirect(f"{url}?like={record.uid}")
    return redirect(detail_url(spec, record))


@center_view(role=Membership.Role.EDITOR)
def record_edit(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    record = get_object_or_404(kind_queryset(spec, center), uid=uid)
    version = request.POST.get("versjon", "") if request.method == "POST" else seal(record)
    initial: dict[str, Any] = {}
    if isinstance(record, m.Event):
        initial["organizers"] = [link.organization_id for link in record.eventorganizer_set.all()]
    form = form_for(spec, request, instance=record, initial=initial, year=year_in_view(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                check_sealed(record, version)
                services.change_record(record, user=request.user, data=form.service_data())
        except Conflict as conflict:
            form.add_error(None, conflict.message())
            version, status = seal(kind_queryset(spec, center).get(pk=record.pk)), 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(detail_url(spec, record))
    context = {
        "form": form,
        "kind": spec,
        "creating": False,
        "record": record,
        "version": version,
        "cancel": detail_url(spec, record),
    }
    return render(request, "activities/record_form.html", context, status=status)


# --- delete and restore -------------------------------------------------------------------


@center_view(role=Membership.Role.EDITOR)
def record_delete(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    """Ask, naming what goes with the record; delete on a confirming post."""
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    record = get_object_or_404(spec.model._default_manager.filter(center=center), uid=uid)  # type: ignore[attr-defined]
    refusal = services.protection(record)
    status = 200
    if request.method == "POST" and refusal is None:
        try:
            services.delete_record(record, user=request.user, kind=spec.slug)
        except services.Protected as protected:
            refusal, status = str(protected), 409
        else:
            messages.success(
                request,
                _(
                    "«{title}» er slettet. Du kan gjenopprette den fra listen over slettede poster."
                ).format(title=services.record_title(record)),
            )
            return redirect(list_url(spec, center))
    elif request.method == "POST":
        status = 409
    context = {
        "kind": spec,
        "record": record,
        "title": services.record_title(record),
        "losses": services.losses(record),
        "refusal": refusal,
        "cancel": detail_url(spec, record),
    }
    return render(request, "activities/record_delete.html", context, status=status)


@center_view(role=Membership.Role.EDITOR)
def deleted_list(request: HttpRequest, kind: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    deletions = m.Deletion.objects.filter(
        center=center, kind=spec.slug, restored_at__isnull=True
    ).select_related("deleted_by")
    page = Paginator(deletions, PAGE_SIZE).get_page(request.GET.get("page"))
    restore = {"center": center.slug, "kind": spec.slug}
    context = {
        "kind": spec,
        "page": page,
        "rows": [
            (d, reverse("activities:kind_restore", kwargs={**restore, "uid": d.uid}))
            for d in page.object_list
        ],
        "query": query_without_page(request),
        "list_url": list_url(spec, center),
    }
    return render(request, "activities/deleted_list.html", context)


@center_view(role=Membership.Role.EDITOR)
def record_restore(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    center = request.center  # type: ignore[attr-defined]
    spec = kind_or_404(kind)
    deletion = get_object_or_404(m.Deletion.objects.filter(center=center, kind=spec.slug), uid=uid)
    back = reverse("activities:kind_deleted", kwargs={"center": center.slug, "kind": spec.slug})
    if request.method != "POST":
        return redirect(back)
    try:
        restored = services.restore_record(deletion, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, _("«{title}» er gjenopprettet.").format(title=deletion.title))
    if restored.missing:
        messages.warning(
            request,
            _("Noen koblinger pekte på noe som er slettet siden, og er ikke med: {what}.").format(
                what=", ".join(restored.missing)
            ),
        )
    return redirect(detail_url(spec, restored.record))

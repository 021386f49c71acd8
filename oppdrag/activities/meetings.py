"""A group's meetings in the staff interface: register, change and delete from the
group's page. The group is found through the centre in the URL, the meeting through
the group, so another centre's group or meeting answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from oppdrag.core.concurrency import Conflict, check_sealed, seal
from oppdrag.core.models import Membership
from oppdrag.web.access import center_view
from oppdrag.web.forms import DateInput
from oppdrag.web.widgets import plain_widgets

from .meeting_services import change_meeting, delete_meeting, register_meeting
from .models import Group, GroupMeeting

# More than anyone's meeting; a typo of a few extra digits is refused.
MAX_PARTICIPANTS = 100_000


class MeetingForm(forms.ModelForm):
    class Meta:
        model = GroupMeeting
        fields = ["date", "format", "participants"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        participants = self.fields["participants"]
        participants.widget.attrs.update({"min": 0, "max": MAX_PARTICIPANTS})
        participants.validators.append(MaxValueValidator(MAX_PARTICIPANTS))
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "ds-input")
            field.widget.attrs.setdefault("id", f"id_{name}")
        plain_widgets(self)


def group_url(group: Group) -> str:
    """The group's own page, where its meetings are listed."""
    return reverse(
        "activities:kind_detail",
        kwargs={"center": group.center.slug, "kind": "grupper", "uid": group.uid},
    )


def group_or_404(request: HttpRequest, uid: str) -> Group:
    center = request.center  # type: ignore[attr-defined]
    group = get_object_or_404(Group.objects.filter(center=center), uid=uid)
    group.center = center  # the same row; saves a query for the page's links
    return group


def meeting_or_404(group: Group, meeting: str) -> GroupMeeting:
    found = get_object_or_404(GroupMeeting.objects.filter(group=group), uid=meeting)
    found.group = group
    return found


def _saved(form: MeetingForm, save: Any) -> bool:
    """Run ``save`` with the form's data; a refusal lands on the form's fields."""
    try:
        save(dict(form.cleaned_data))
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@center_view(role=Membership.Role.EDITOR)
def meeting_create(request: HttpRequest, uid: str) -> HttpResponse:
    group = group_or_404(request, uid)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def save(data: dict[str, Any]) -> None:
            register_meeting(group=group, user=request.user, data=data)

        if _saved(form, save):
            messages.success(
                request,
                _("Møtet {date} er registrert.").format(
                    date=form.cleaned_data["date"].strftime("%d.%m.%Y")
                ),
            )
            return redirect(group_url(group))
    context = {"form": form, "group": group, "group_url": group_url(group), "creating": True}
    return render(request, "activities/meeting_form.html", context)


@center_view(role=Membership.Role.EDITOR)
def meeting_edit(request: HttpRequest, uid: str, meeting: str) -> HttpResponse:
    group = group_or_404(request, uid)
    record = meeting_or_404(group, meeting)
    version = request.POST.get("versjon", "") if request.method == "POST" else seal(record)
    form = MeetingForm(request.POST or None, instance=record)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with transaction.atomic():
                check_sealed(record, version)
                change_meeting(meeting=record, user=request.user, data=data)
        except Conflict as conflict:
            form.add_error(None, conflict.message())
            version, status = seal(GroupMeeting.objects.get(pk=record.pk)), 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Endringene i møtet er lagret."))
            return redirect(group_url(group))
    context = {
        "form": form,
        "group": group,
        "group_url": group_url(group),
        "creating": False,
        "meeting": record,
        "version": version,
    }
    return render(request, "activities/meeting_form.html", context, status=status)


@center_view(role=Membership.Role.EDITOR)
def meeting_delete(request: HttpRequest, uid: str, meeting: str) -> HttpResponse:
    group = group_or_404(request, uid)
    record = meeting_or_404(group, meeting)
    if request.method == "POST":
        date = record.date
        delete_meeting(meeting=record, user=request.user)
        messages.success(
            request, _("Møtet {date} er slettet.").format(date=date.strftime("%d.%m.%Y"))
        )
        return redirect(group_url(group))
    context = {"group": group, "group_url": group_url(group), "meeting": record}
    return render(request, "activities/meeting_delete.html", context)

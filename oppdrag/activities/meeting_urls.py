"""A group's meetings, under ``<centre>/grupper/`` (see ``meetings``)."""

from django.urls import path

from . import meetings

app_name = "meetings"

urlpatterns = [
    path("<uuid:uid>/moter/ny/", meetings.meeting_create, name="create"),
    path("<uuid:uid>/moter/<uuid:meeting>/endre/", meetings.meeting_edit, name="edit"),
    path("<uuid:uid>/moter/<uuid:meeting>/slett/", meetings.meeting_delete, name="delete"),
]

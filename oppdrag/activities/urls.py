"""The registry's pages under a centre: events first, then every kind by its segment.

Included after the shell's URLs (``oppdrag/urls.py``), so the shell's fixed
segments (``tilskudd``, ``kommuner`` …) are never taken for a kind.
"""

from django.urls import path

from . import views

app_name = "activities"

EVENTS = {"kind": views.EVENTS}

urlpatterns = [
    path("<slug:center>/arrangementer/", views.event_list, name="event_list"),
    path("<slug:center>/arrangementer/ny/", views.record_create, EVENTS, name="event_create"),
    path("<slug:center>/arrangementer/<uuid:uid>/", views.event_detail, name="event_detail"),
    path(
        "<slug:center>/arrangementer/<uuid:uid>/endre/",
        views.record_edit,
        EVENTS,
        name="event_edit",
    ),
    path("<slug:center>/<slug:kind>/", views.kind_list, name="kind_list"),
    path("<slug:center>/<slug:kind>/ny/", views.record_create, name="kind_create"),
    path("<slug:center>/<slug:kind>/slettede/", views.deleted_list, name="kind_deleted"),
    path(
        "<slug:center>/<slug:kind>/slettede/<uuid:uid>/gjenopprett/",
        views.record_restore,
        name="kind_restore",
    ),
    path("<slug:center>/<slug:kind>/<uuid:uid>/", views.kind_detail, name="kind_detail"),
    path("<slug:center>/<slug:kind>/<uuid:uid>/endre/", views.record_edit, name="kind_edit"),
    path("<slug:center>/<slug:kind>/<uuid:uid>/slett/", views.record_delete, name="kind_delete"),
]

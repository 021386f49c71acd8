"""The team pages, mounted under the centre: ``/<centre>/team/``, ``/<centre>/malinger/``
and ``/<centre>/pilotprosjekter/``."""

from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("team/", views.team_list, name="team_list"),
    path("team/ny/", views.team_create, name="team_create"),
    path("team/<uuid:uid>/", views.team_detail, name="team_detail"),
    path("team/<uuid:uid>/endre/", views.team_edit, name="team_edit"),
    path("team/<uuid:uid>/status/", views.team_status, name="team_status"),
    path("team/<uuid:uid>/ny-maling/", views.review_create, name="review_create"),
    path("malinger/slettede/", views.review_deleted, name="review_deleted"),
    path(
        "malinger/slettede/<uuid:uid>/gjenopprett/",
        views.review_restore,
        name="review_restore",
    ),
    path("malinger/<uuid:uid>/", views.review_detail, name="review_detail"),
    path("malinger/<uuid:uid>/endre/", views.review_edit, name="review_edit"),
    path("malinger/<uuid:uid>/slett/", views.review_delete, name="review_delete"),
    *[
        path(
            f"malinger/<uuid:uid>/tilbakemelding.{fmt}",
            views.review_feedback,
            {"fmt": fmt},
            name=f"review_feedback_{fmt}",
        )
        for fmt in views.FEEDBACK_FORMATS
    ],
    path("pilotprosjekter/", views.pilot_list, name="pilot_list"),
    path("pilotprosjekter/ny/", views.pilot_create, name="pilot_create"),
    path("pilotprosjekter/<uuid:uid>/", views.pilot_detail, name="pilot_detail"),
    path("pilotprosjekter/<uuid:uid>/endre/", views.pilot_edit, name="pilot_edit"),
]

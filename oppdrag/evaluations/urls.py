from django.urls import path, re_path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("ny/", views.survey_create, name="create"),
    path("team/ny/", views.team_survey_create, name="team_create"),
    path("skjema/ny/", views.questionnaire_create, name="questionnaire_create"),
    path("skjema/<uuid:uid>/", views.questionnaire_detail, name="questionnaire"),
    path("resultater/<year:year>/", views.results_overview, name="results"),
    path("<uuid:uid>/", views.survey_detail, name="survey"),
    path("<uuid:uid>/steng/", views.survey_close, name="close"),
    path("<uuid:uid>/paminnelse/", views.survey_remind, name="remind"),
    re_path(r"^(?P<uid>[0-9a-f-]{36})/qr\.(?P<fmt>svg|png)$", views.survey_qr, name="qr"),
    re_path(
        r"^(?P<uid>[0-9a-f-]{36})/svar\.(?P<fmt>csv|xlsx)$", views.survey_export, name="export"
    ),
]

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("<year:year>/", views.overview, name="overview"),
    path("<year:year>/forklaring/", views.explanation, name="explain"),
    path("<year:year>/innstillinger/", views.settings_page, name="settings"),
    path("<year:year>/budsjett/", views.budget, name="budget"),
    path("<year:year>/budsjett/ny/", views.budget_revise, name="revise"),
    path("<year:year>/budsjett/last-opp/", views.budget_upload, name="budget_upload"),
    path("<year:year>/budsjett/fra-brevet/", views.fundings_from_letter, name="from_letter"),
    path("<year:year>/budsjett/<uuid:uid>/", views.revision_detail, name="revision"),
    path("<year:year>/budsjett/<uuid:uid>/godkjent/", views.revision_approve, name="approve"),
    path("<year:year>/regnskap/", views.ledger, name="ledger"),
    path("<year:year>/koblinger/", views.mappings, name="mappings"),
    path("<year:year>/tilskuddsgiver/", views.grantor_report, name="grantor"),
    path(
        "<year:year>/tilskuddsgiver/rapport.xlsx",
        views.grantor_export,
        {"fmt": "xlsx"},
        name="grantor_xlsx",
    ),
    path(
        "<year:year>/tilskuddsgiver/rapport.pdf",
        views.grantor_export,
        {"fmt": "pdf"},
        name="grantor_pdf",
    ),
    path("<year:year>/revisor/", views.auditor, name="auditor"),
    path("<year:year>/revisor/dokument/", views.auditor_document, name="auditor_document"),
]

"""Report URLs, mounted under ``<slug:center>/rapport/`` by the project's URLconf."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<year:year>/", views.report_overview, name="overview"),
    path("<year:year>/lever/", views.report_submit, name="submit"),
    path("<year:year>/forhandsvisning/", views.report_preview, name="preview"),
    path("<year:year>/last-ned/<slug:identifier>/", views.report_download, name="download"),
    path("<year:year>/dokument/<uuid:uid>/", views.document_progress, name="document"),
    path("<year:year>/dokument/<uuid:uid>/fil/", views.document_file, name="document_file"),
    path("<year:year>/skriv/", views.writing, name="writing"),
    path("<year:year>/skriv/nytt-tema/", views.writing_add_theme, name="writing_add_theme"),
    path("<year:year>/skriv/<str:key>/", views.write, name="write"),
]

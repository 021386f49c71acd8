"""Report URLs, mounted under ``<slug:center>/rapport/`` by the project's URLconf."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:year>/", views.report_overview, name="overview"),
    path("<int:year>/lever/", views.report_submit, name="submit"),
    path("<int:year>/forhandsvisning/", views.report_preview, name="preview"),
    path("<int:year>/last-ned/<slug:identifier>/", views.report_download, name="download"),
    path("<int:year>/dokument/<uuid:uid>/", views.document_progress, name="document"),
    path("<int:year>/dokument/<uuid:uid>/fil/", views.document_file, name="document_file"),
]

"""Interchange URLs under ``<slug:center>/``: report tables as files and the centre export."""

from django.urls import path

from . import views

app_name = "interchange"

urlpatterns = [
    path(
        "rapport/<year:year>/tabeller/<slug:table>.<slug:ext>",
        views.report_table,
        name="report_table",
    ),
    path("eksport/", views.center_export_page, name="center_export"),
    path("eksport/last-ned/", views.center_export_download, name="center_export_download"),
]

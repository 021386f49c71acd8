from django.contrib import admin
from django.urls import include, path

from oppdrag.web import oidc

urlpatterns = [
    path("admin/", admin.site.urls),
    # Single sign-on; every path is a 404 while OIDC is not configured.
    path("oidc/", include(oidc.urlpatterns())),
    path("api/v1/", include("oppdrag.api.urls")),
    path("<slug:center>/rapport/", include("oppdrag.reports.urls")),
    path("svar/", include("oppdrag.evaluations.public_urls")),
    path("<slug:center>/evalueringer/", include("oppdrag.evaluations.urls")),
    path("<slug:center>/oppdrag/", include("oppdrag.grants.urls")),
    path("<slug:center>/grupper/", include("oppdrag.activities.meeting_urls")),
    path("<slug:center>/", include("oppdrag.teams.urls")),
    path("<slug:center>/okonomi/", include("oppdrag.finance.urls")),
    path("<slug:center>/nokkeltall/", include("oppdrag.figures.urls")),
    path("<slug:center>/", include("oppdrag.interchange.urls")),
    path("", include("oppdrag.web.urls")),
    # After the shell: its fixed segments under a centre are not kinds.
    path("", include("oppdrag.activities.urls")),
]

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Single sign-on callbacks; they answer only when OIDC is configured.
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("api/v1/", include("oppdrag.api.urls")),
    path("<slug:center>/rapport/", include("oppdrag.reports.urls")),
    path("svar/", include("oppdrag.evaluations.public_urls")),
    path("<slug:center>/evalueringer/", include("oppdrag.evaluations.urls")),
    path("<slug:center>/", include("oppdrag.interchange.urls")),
    path("", include("oppdrag.web.urls")),
]

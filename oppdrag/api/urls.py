from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views
from .resources import RESOURCES

app_name = "api"

router = SimpleRouter(trailing_slash=True)
for resource in RESOURCES.values():
    router.register(
        rf"(?P<center>[-a-zA-Z0-9_]+)/{resource.slug}",
        views.viewset_for(resource),
        basename=resource.slug,
    )

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(
        r"^(?P<center>[-a-zA-Z0-9_]+)/years/(?P<year>[0-9]{4})/figures/?$",
        views.FiguresView.as_view(),
        name="figures",
    ),
    re_path(
        r"^(?P<center>[-a-zA-Z0-9_]+)/years/(?P<year>[0-9]{4})/report/?$",
        views.ReportView.as_view(),
        name="report",
    ),
    *router.urls,
]

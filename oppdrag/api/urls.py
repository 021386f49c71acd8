from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import pages, views
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
    path("tokens/", pages.tokens, name="tokens"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("<slug:center>/years/<year:year>/figures", views.FiguresView.as_view(), name="figures"),
    path("<slug:center>/years/<year:year>/hours", views.HoursView.as_view(), name="hours"),
    path("<slug:center>/years/<year:year>/report", views.ReportView.as_view(), name="report"),
    *router.urls,
]

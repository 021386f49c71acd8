"""The application's URLs plus ``/bench/bare/``, reachable only under ``bench.settings``."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The framework's floor: the same middleware and server, no queries, no template."""
    return HttpResponse("ok", content_type="text/plain")


BARE_URL = "/bench/bare/"

urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("oppdrag.urls")),
]

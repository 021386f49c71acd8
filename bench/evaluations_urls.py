"""The project's URLs plus ``/bench/floor/``: a bare view served by the same Django,
middleware and server as the answer page, so the floor and the page differ only in
what the page itself does."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), path("", include("oppdrag.urls"))]

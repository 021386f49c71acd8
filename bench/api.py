"""The API's list pages at 1× and 20× the demo, against a bare DRF view of the same page.

``measure(database)`` rebuilds the NAPHA demo's registries itself (so it can run after
other benchmarks have grown the data), times a page of 50 through the whole stack (token
sign-in, tenancy, the list's FilterSet, pagination, serializer) with Django's test client,
and counts its queries; the count must be the same at both scales. The floor is a bare
DRF view that returns the same 50 rows' columns with ``values()`` and no relations.
Standalone: ``python -m bench.api`` (database from ``DATABASE_URL``) prints JSON.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import django

from bench.run import measurement, timed

PAGE = 50
KINDS = ("events", "presentations")


def measure(database: str) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, RequestFactory
    from rest_framework.permissions import AllowAny
    from rest_framework.request import Request
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from oppdrag.activities import models as m
    from oppdrag.api.tokens import create_token
    from oppdrag.core.demo import load_demo
    from oppdrag.core.models import Center, Membership
    from oppdrag.core.services import add_member
    from oppdrag.figures.scale import multiply

    load_demo(registries_only=True)
    center = Center.objects.get(slug="napha")
    user, _created = get_user_model().objects.get_or_create(username="bench-api")
    Membership.objects.filter(user=user).delete()
    add_member(center=center, user=user, role=Membership.Role.READER)
    _token, key = create_token(user, "bench")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {key}")
    models = {"events": m.Event, "presentations": m.Presentation}

    class BareView(APIView):
        """The floor: one query for a page of plain columns, rendered as JSON."""

        authentication_classes: list[Any] = []
        permission_classes = [AllowAny]
        model: Any = None

        def get(self, request: Request) -> Response:
            rows = self.model.objects.filter(center=center).order_by("-year", "id")
            return Response(list(rows.values("uid", "year", "title")[:PAGE]))

    factory = RequestFactory()
    results = []
    for scale, factor in (("1x", 1), ("20x", 20)):
        if factor > 1:
            multiply(center, 2025, factor)
        for kind in KINDS:
            url = f"/api/v1/napha/{kind}/?page_size={PAGE}"

            def api_page(url: str = url) -> None:
                response = client.get(url)
                assert response.status_code == 200, response.content[:300]

            view = BareView.as_view(model=models[kind])

            def floor(view: Any = view) -> None:
                view(factory.get("/", HTTP_HOST="localhost")).render()

            api_page()  # warm up; the token's first use is recorded once
            queries: list[str] = []

            def count(execute: Any, sql: str, *args: Any, _q: list[str] = queries) -> Any:
                _q.append(sql)
                return execute(sql, *args)

            # The test client's request signals clear ``connection.queries``; a wrapper
            # sees every statement.
            with connection.execute_wrapper(count):
                api_page()
            results.append(
                measurement(
                    f"api_{kind}_list",
                    database,
                    scale,
                    timed(api_page, repeat=7),
                    f"bare DRF view, {PAGE} rows of values()",
                    timed(floor, repeat=7),
                    queries=len(queries),
                    rows=models[kind].objects.filter(center=center).count(),
                )
            )
    return results


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppdrag.settings.test")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    json.dump(measure(connection.vendor), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

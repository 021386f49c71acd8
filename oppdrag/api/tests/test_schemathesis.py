"""Schemathesis runs the OpenAPI description against the live test server.

Every operation gets generated requests (valid and invalid ones) with an administrator's
token; no answer may be a server error, and every answer must match the description
(status codes, content types, response bodies). The centre and record ids in the paths
are narrowed to a real centre and its real records, so the requests reach the code
behind the lookups instead of stopping at 404. ``max_examples`` keeps the run short.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from oppdrag.api.tests.conftest import one_of_each
from oppdrag.api.tokens import create_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def narrowed(document: dict[str, Any], center: str, records: dict[str, Any]) -> dict[str, Any]:
    for path, operations in document["paths"].items():
        slug = path.split("/")[4] if path.count("/") > 4 else ""
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                if parameter["name"] == "center":
                    parameter["schema"] = {"type": "string", "enum": [center]}
                elif parameter["name"] == "uid" and slug in records:
                    parameter["schema"] = {"type": "string", "enum": [str(records[slug].uid)]}
    return document


@pytest.fixture
def api_schema(live_server, make_center, make_user):
    center = make_center("napha")
    records = one_of_each(center, "st")
    _token, key = create_token(make_user("st-admin", center, "admin"))
    served = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.status_code == 200
    document = narrowed(json.loads(served.content), center.slug, records)
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=live_server.url)
    return schema, {"Authorization": f"Token {key}"}


def test_the_api_keeps_its_description(api_schema):
    # Schemathesis' own pytest loader does not run under pytest 9 yet; this drives its
    # strategies and checks directly, one Hypothesis run per operation and mode.
    schema, headers = api_schema
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Exception as exc:  # collect every operation's failure, then report
                failures.append(f"{operation.label} ({mode.value}): {exc}"[:2000])
    assert operations >= 30
    assert not failures, "\n\n".join(failures)

"""
Every operation in the project's OpenAPI document answers as documented: schemathesis generates
requests from /api/v3/openapi.json (a bounded number per operation) and checks each response.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles.models import Author

EXAMPLES_PER_OPERATION = 12
# Operations this project wrote: their status codes are documented exhaustively too.
OWN_TAGS = {"articles", "clinic"}


@pytest.fixture
def api_schema(demo):
    # Calls go straight to the WSGI application, whose end-of-request handler would close the
    # test's database connection (and its transaction) on PostgreSQL; the test client avoids
    # that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_openapi_document_lists_the_projects_endpoints(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    for path in [
        "/api/v3/articles/",
        "/api/v3/articles/{article_id}/",
        "/api/v3/opening-hours/",
        "/api/v3/clinic/",
    ]:
        assert path in paths
    assert "/api/v3/pages/" in paths  # Wagtail's own endpoints share the document
    assert client.get("/api/v3/docs/").status_code == 200


def test_every_operation_answers_as_documented(api_schema, client):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    uncallable = [operation for operation in operations if takes_an_empty_snippet_type(operation)]

    for operation in operations:
        if operation in uncallable:
            continue
        try:
            fuzz(operation)  # Unsatisfiable (no valid request could be generated) is a failure too
        except Exception as error:  # collect them all, then fail once with the list
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:500]}")

    assert not failures, "\n\n".join(failures)
    # What is left out is what the document says no request can reach (as of Wagtail 8: the revisions
    # and the publish, unpublish, revert and copy-for-translation actions of snippets); called with a
    # real snippet type all the same, each answers with a client error, never a server error.
    assert all(operation.path.startswith("/api/v3/snippets/{type}/{pk}/") for operation in uncallable)
    for operation in uncallable:
        path = operation.path.format(type="articles.Author", pk=Author.objects.get().pk, revision_id=1)
        response = getattr(client, operation.method)(path)
        assert 400 <= response.status_code < 500, f"{operation.method.upper()} {path}: {response.status_code}"


def takes_an_empty_snippet_type(operation):
    """
    Whether the operation's `type` path parameter may only be the empty string, which no URL path can
    carry (schemathesis then finds no valid request: Unsatisfiable). Wagtail documents it so for its
    snippet operations that need a snippet model with revisions (or draft state, or translations): the
    enum of such models is empty, as this project has none.
    """
    return any(
        parameter["in"] == "path" and parameter["name"] == "type" and parameter["schema"].get("const") == ""
        for parameter in operation.definition.raw.get("parameters", [])
    )


def fuzz(operation):
    checks = [not_a_server_error, content_type_conformance, response_schema_conformance]
    if OWN_TAGS & set(operation.definition.raw.get("tags", [])):
        checks.append(status_code_conformance)

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        # The same examples on every run: CI stays reproducible; raise the count to explore more.
        derandomize=True,
        # Only the check of how long generating the examples takes: that depends on how busy the
        # (shared) machine is and on the size of the document's schemas, not on the API. The other
        # checks (examples filtered out or too large, ...) say the requests tested are not the ones
        # meant, so they fail the test.
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(case=operation.as_strategy())
    def run(case):
        # Called in-process (WSGI), where nothing undoes a Content-Encoding as an HTTP client would:
        # ask for the body as it is instead of requests' default "gzip, deflate, br, zstd".
        case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})

    run()

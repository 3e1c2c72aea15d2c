"""
The project's OpenAPI document (/api/v3/openapi.json): valid OpenAPI 3.1, true about languages, and every
operation in it answers as documented (schemathesis generates a bounded number of requests per operation
and checks each response). tests/api/test_generated_client.py uses a client generated from it.
"""

import re
from functools import partial

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import OpenAPIV31SpecValidator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles.models import Author
from cms.api import api
from tests.test_static_files import StaticReferences, fetch

EXAMPLES_PER_OPERATION = 12
# Operations this project wrote: their status codes are documented exhaustively too.
OWN_TAGS = {"articles", "clinic", "index"}


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
        "/api/v3/",
        "/api/v3/articles/",
        "/api/v3/articles/{article_id}/",
        "/api/v3/opening-hours/",
        "/api/v3/clinic/",
    ]:
        assert path in paths
    assert "/api/v3/pages/" in paths  # Wagtail's own endpoints share the document


def test_the_docs_page_loads_swagger_ui_from_the_sites_own_static_files(client):
    response = client.get("/api/v3/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "://" not in html  # no CDN: it works offline, at the version pinned with django-ninja
    references = StaticReferences.of(html)
    assert sorted(references.values()) == ["icon", "icon", "script", "script", "stylesheet"]
    for url in references:
        assert url.startswith(settings.STATIC_URL), url
        served = fetch(client, url)
        assert served.status_code == 200, url
        assert len(served.body) > 500, url  # Swagger UI's bundle, styles and init, not an empty file
    # The only inline <script> holds data (the settings as JSON), which a Content-Security-Policy
    # without 'unsafe-inline' allows: browsers run none of it.
    assert re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) == [
        ' type="application/json" id="swagger-settings"'
    ]
    assert '"url": "/api/v3/openapi.json"' in html


def test_the_openapi_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v3/openapi.json").json()

    assert document["openapi"].startswith("3.1.")
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in OpenAPIV31SpecValidator(document).iter_errors()
    ]
    assert errors == []
    assert len(list(operations(document))) > 40  # Wagtail's operations and the project's alike


def test_every_operation_takes_lang_and_accept_language(client):
    document = client.get("/api/v3/openapi.json").json()
    languages = [code for code, _name in settings.LANGUAGES]

    for path, method, operation in operations(document):
        declared = [(p["in"], p["name"], p) for p in map(partial(resolve, document), operation["parameters"])]
        parameters = {(where, name): parameter for where, name, parameter in declared}
        assert len(parameters) == len(declared), f"{method} {path} declares a parameter twice"
        lang = parameters[("query", "lang")]
        # The project's content endpoints also take every language at once.
        assert resolve(document, lang["schema"])["enum"] in (languages, [*languages, "*"]), f"{method} {path}"
        assert ("header", "Accept-Language") in parameters, f"{method} {path}"
        # Wagtail's per-tree translations are off here: these answer 400 (or nothing).
        assert not {("query", "locale"), ("query", "translation_of")} & set(parameters), f"{method} {path}"


def test_what_needs_a_token_says_so_and_documents_its_401(client, demo):
    document = client.get("/api/v3/openapi.json").json()

    pages = document["paths"]["/api/v3/pages/"]["get"]
    assert {} not in pages["security"]
    assert client.get("/api/v3/pages/").status_code == 401
    for path, method, operation in operations(document):
        if operation.get("security") and {} not in operation["security"]:
            assert {"400", "401", "403"} <= set(operation["responses"]), f"{method} {path}"
        else:
            assert "400" in operation["responses"], f"{method} {path}"
    assert "404" in document["paths"]["/api/v3/articles/{article_id}/"]["get"]["responses"]


def test_the_document_leaves_out_only_what_cannot_answer(client, demo):
    """
    Wagtail documents its snippet operations that need a model with revisions, draft state or
    translations with a `type` that may only be "" (no snippet model here has them), and its
    copy-for-translation actions answer 404 while per-tree translations are off: the document leaves
    them out. Called with a real snippet type all the same, each answers with a client error.
    """
    published = client.get("/api/v3/openapi.json").json()
    generated = api.get_openapi_schema.__wrapped__(path_prefix="/api/v3/")
    left_out = {
        (path, method)
        for path, method, _operation in operations(generated)
        if method not in published["paths"].get(path, {})
    }

    snippet_operations = {
        ("/api/v3/snippets/{type}/{pk}/revisions/", "get"),
        ("/api/v3/snippets/{type}/{pk}/revisions/{revision_id}/", "get"),
        *((f"/api/v3/snippets/{{type}}/{{pk}}/actions/{action}/", "post") for action in SNIPPET_ACTIONS),
    }
    assert left_out == snippet_operations | {
        ("/api/v3/pages/{page_id}/actions/copy_for_translation/", "post")
    }
    for path, method in left_out:
        url = path.format(type="articles.Author", pk=Author.objects.get().pk, revision_id=1, page_id=demo.pk)
        response = getattr(client, method)(url)
        assert 400 <= response.status_code < 500, f"{method.upper()} {url}: {response.status_code}"


SNIPPET_ACTIONS = ("publish", "unpublish", "revert", "copy_for_translation")


def test_every_operation_answers_as_documented(api_schema):
    failures = []
    operations_ = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations_) > 40

    for operation in operations_:
        try:
            fuzz(operation)  # Unsatisfiable (no valid request could be generated) is a failure too
        except Exception as error:  # collect them all, then fail once with the list
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:500]}")

    assert not failures, "\n\n".join(failures)


def operations(document):
    """(path, method, operation) of each operation in an OpenAPI document."""
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            yield path, method, operation


def resolve(document, item):
    """`item`, or what its `$ref` (within the document) points to."""
    if "$ref" not in item:
        return item
    found = document
    for key in item["$ref"].removeprefix("#/").split("/"):
        found = found[key]
    return found


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

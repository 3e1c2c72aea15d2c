"""
What the OpenAPI document says a request may hold is what the server takes (`make fuzz` checks it
at large): a value the document allows is not refused for its shape, and a value it forbids is a
4xx. Each test here is one disagreement the fuzzer found, kept fixed.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from consultations.api import IDEMPOTENCY_KEY_PATTERN, PHONE_PATTERN
from consultations.models import ConsultationRequest
from consultations.validators import normalise_indian_phone
from tests.consultations.conftest import clinic_hours, next_monday  # noqa: F401 (fixtures)

BOOKINGS = "/api/v3/consultation-requests/"


@pytest.fixture
def document(client):
    return client.get("/api/v3/openapi.json").json()


def parameter_schema(document, path, name, method="get"):
    [parameter] = [p for p in document["paths"][path][method]["parameters"] if p.get("name") == name]
    return parameter["schema"]


def allows(schema, value):
    return Draft202012Validator(schema).is_valid(value)


@pytest.fixture
def booking(next_monday):  # noqa: F811
    return {
        "name": "Kavya Raman",
        "phone": "98765 43210",
        "preferred_date": next_monday.isoformat(),
        "preferred_session": "10:00",
        "consent": True,
    }


def book(client, body, **headers):
    return client.post(BOOKINGS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please tell us your name."),
        ("name", "   ", "Please tell us your name."),
        ("name", "K" * 121, "Please shorten your name to at most 120 characters."),
        ("name", "Kavya\x00", "Null characters are not allowed."),
        ("phone", "", "Please give a phone number we can call you on."),
        ("phone", "12345", "Enter an Indian phone number"),
        ("phone", "+44 20 7946 0958", "Enter an Indian phone number"),
        ("preferred_session", "10.00", "Please choose a session."),
        ("reason", "Acne\x00", "Null characters are not allowed."),
        ("language", "fr", "Please choose one of the languages listed."),
        ("consent", False, "Please agree to be contacted, so that we can call you back."),
    ],
)
def test_a_booking_the_document_forbids_is_refused_with_the_forms_message(
    client, document, booking, field, value, message
):
    body = {**booking, field: value}
    assert not allows(document["components"]["schemas"]["ConsultationRequestIn"], body)

    response = book(client, body)

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "payload", field]
    assert error["msg"].startswith(message)
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "+91 98765 43210"),
        ("phone", "(044) 4000-1234"),
        ("phone", "0091 44 4000 1234"),
        ("phone", "919876543210"),
        ("name", " Kavya  Raman "),
        ("language", ""),
        ("language", None),
        ("language", "ta"),
        ("reason", None),
    ],
)
def test_a_booking_the_document_allows_is_taken(client, document, booking, field, value):
    body = {**booking, field: value}
    assert allows(document["components"]["schemas"]["ConsultationRequestIn"], body)

    assert book(client, body).status_code == 201


@settings(max_examples=60, deadline=None)
@given(st.from_regex(PHONE_PATTERN, fullmatch=True))
def test_every_phone_number_the_document_allows_is_one_the_form_takes(phone):
    assert normalise_indian_phone(phone).startswith("+91")


def test_the_idempotency_keys_pattern_is_declared_and_is_what_is_checked(client, document, booking):
    schema = parameter_schema(document, BOOKINGS, "Idempotency-Key", "post")
    assert schema["anyOf"][0]["pattern"] == IDEMPOTENCY_KEY_PATTERN
    assert allows(schema, "k" * 100) and not allows(schema, "k" * 101) and not allows(schema, "")

    assert book(client, booking, HTTP_IDEMPOTENCY_KEY="k" * 100).status_code == 201
    refused = book(client, {**booking, "name": "Arun"}, HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]


@pytest.mark.parametrize(
    ("path", "name", "refused", "taken"),
    [
        ("/api/v3/opening-hours/", "at", "2101-01-01T00:00:00Z", "2100-12-31T18:00:00Z"),
        ("/api/v3/articles/", "date_to", "6289-01-20", "2200-12-31"),
        ("/api/v3/articles/", "updated_since", "1899-12-31T23:00:00+05:30", "1900-01-01T00:00:00Z"),
    ],
)
def test_dates_outside_the_declared_years_are_a_400_naming_the_parameter(
    client, document, demo, path, name, refused, taken
):
    schema = parameter_schema(document, path, name)
    assert not allows(schema, refused) and allows(schema, taken)

    response = client.get(path, {name: refused})
    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["query", name]
    assert client.get(path, {name: taken}).status_code == 200


def test_no_path_or_query_text_may_hold_a_nul_character(document):
    # The input guard refuses them (a 400); every text parameter says so, or is narrower still (a
    # date's format).
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            for parameter in operation["parameters"]:
                schema = parameter.get("schema", {})
                if parameter.get("in") in ("path", "query") and "format" not in str(schema):
                    assert not allows(schema, "a\x00b"), f"{method} {path} {parameter['name']}"


def test_the_site_filter_declares_the_numeric_port_the_guard_wants(client, document, editor_authorization):
    schema = parameter_schema(document, "/api/v3/pages/", "site")
    assert allows(schema, "localhost:80") and allows(schema, "localhost")
    assert not allows(schema, "localhost:http")

    answer = client.get("/api/v3/pages/", {"site": "localhost:http"}, HTTP_AUTHORIZATION=editor_authorization)
    assert answer.status_code == 400


@pytest.mark.parametrize(
    "path", ["/api/v3/pages/", "/api/v3/images/", "/api/v3/documents/", "/api/v3/redirects/"]
)
def test_wagtails_lists_take_every_order_the_document_declares_and_refuse_others(
    client, document, editor_authorization, path
):
    schema = parameter_schema(document, path, "order")
    [fields] = [part["items"]["enum"] for part in schema["anyOf"] if part.get("type") == "array"]
    assert "-id" in fields and not allows(schema, ["unknown"])

    for field in fields:
        answer = client.get(path, {"order": field}, HTTP_AUTHORIZATION=editor_authorization)
        assert answer.status_code == 200, field
    assert client.get(path, {"order": "unknown"}, HTTP_AUTHORIZATION=editor_authorization).status_code == 422


def test_every_operation_documents_the_servers_414_for_a_url_too_long(document):
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            assert "414" in operation["responses"], f"{method} {path}"


def test_wagtails_token_operations_document_the_404_and_422_their_lookups_give(document):
    # e.g. /pages/find/?html_path=/nowhere/ (404), /images/?order=random&offset=5 (422).
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            if operation.get("security") and {} not in operation["security"]:
                assert {"404", "422"} <= set(operation["responses"]), f"{method} {path}"


def test_wagtails_lists_declare_the_largest_page_they_give(client, document, editor_authorization, settings):
    most = settings.WAGTAILAPI_LIMIT_MAX
    assert parameter_schema(document, "/api/v3/images/", "limit")["maximum"] == most

    answer = client.get("/api/v3/images/", {"limit": most + 1}, HTTP_AUTHORIZATION=editor_authorization)
    assert answer.status_code == 400
    assert (
        client.get("/api/v3/images/", {"limit": most}, HTTP_AUTHORIZATION=editor_authorization).status_code
        == 200
    )

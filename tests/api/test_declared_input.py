"""
What the OpenAPI document says a request may hold is what the server takes (`make fuzz` checks it
at large): a value the document allows is not refused for its shape, and a value it forbids is a
4xx. Each test here is one disagreement the fuzzer found, kept fixed.
"""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from consultations.api import IDEMPOTENCY_KEY_PATTERN, PHONE_PATTERN
from consultations.models import ConsultationRequest
from consultations.validators import normalise_indian_phone
from home.models import OpeningHours
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


def test_opening_hours_listed_by_wagtail_match_the_schema_it_documents(
    client, document, editor_authorization
):
    # Its sessions' times are local ("10:00:00"), not RFC 3339 times with an offset.
    OpeningHours.objects.get_or_create(name="Clinic hours")[0].sessions.create(
        weekday=0, opens=datetime.time(10), closes=datetime.time(13)
    )
    answer = client.get("/api/v3/snippets/home.OpeningHours/", HTTP_AUTHORIZATION=editor_authorization)
    assert answer.status_code == 200
    schema = document["components"]["schemas"]["OpeningHoursSchema"]
    for item in answer.json()["items"]:
        Draft202012Validator(
            {"$ref": "#/components/schemas/OpeningHoursSchema", "components": document["components"]},
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        ).validate(item)
    assert schema["properties"]["sessions"]["items"]


def test_finding_a_page_with_a_parameter_it_does_not_take_is_a_400(client, editor_authorization):
    answer = client.get(
        "/api/v3/pages/find/", {"id": 1, "htmlpath": "/"}, HTTP_AUTHORIZATION=editor_authorization
    )
    assert answer.status_code == 400
    assert "htmlpath" in answer.json()["detail"]
    assert (
        client.get("/api/v3/pages/find/", {"id": 1}, HTTP_AUTHORIZATION=editor_authorization).status_code
        == 302  # to the page found
    )


@pytest.mark.parametrize(
    ("path", "schema_name", "field"),
    [
        ("/api/v3/redirects/", "RedirectInputSchema", "old_path"),
        ("/api/v3/sites/", "SiteInputSchema", "hostname"),
    ],
)
@pytest.mark.parametrize("blank", ["", "  "])
def test_text_wagtails_forms_require_is_declared_not_blank(
    client, document, editor_authorization, path, schema_name, field, blank
):
    schema = document["components"]["schemas"][schema_name]
    assert field in schema["required"] and not allows(schema["properties"][field], blank)
    assert allows(schema["properties"][field], "/old-page/")
    answer = client.post(
        path, {field: blank}, content_type="application/json", HTTP_AUTHORIZATION=editor_authorization
    )
    assert answer.status_code == 422


def test_an_images_title_cannot_be_patched_to_null_or_blank(document):
    title = document["components"]["schemas"]["ImagePatchSchema"]["properties"]["title"]
    assert not allows(title, None) and not allows(title, " ") and allows(title, "Sunscreen")
    focal_point_x = document["components"]["schemas"]["ImagePatchSchema"]["properties"]["focal_point_x"]
    assert not allows(focal_point_x, -1) and allows(focal_point_x, 0)


def test_filters_that_exclude_each_other_say_so(document):
    assert "descendant_of" in parameter_description(document, "/api/v3/pages/", "child_of")
    assert "child_of" in parameter_description(document, "/api/v3/pages/", "descendant_of")
    assert "random" in parameter_description(document, "/api/v3/images/", "offset")


def parameter_description(document, path, name):
    [parameter] = [p for p in document["paths"][path]["get"]["parameters"] if p.get("name") == name]
    return parameter["description"]


@pytest.mark.parametrize("schema_name", ["PageCopySchema", "PageCreateAliasSchema"])
def test_a_copys_or_an_aliass_slug_may_be_left_out_but_not_blank(document, schema_name):
    slug = document["components"]["schemas"][schema_name]["properties"]["slug"]
    assert allows(slug, None) and allows(slug, "sun-care") and not allows(slug, "")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Hair care", "slug": "hair-care"},
        {"name": "Hair care", "slug": "hair-care", "meta": {"type": "articles.ArticleCategory"}},
        {"name": "Hair care", "slug": "hair-care", "meta": {}},
    ],
)
def test_a_snippet_body_may_leave_its_type_to_the_path(client, document, editor_authorization, body):
    # Without `meta.type`, a body fits several types' schemas: still one the document allows.
    operation = document["paths"]["/api/v3/snippets/{type}/"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert Draft202012Validator({**schema, "components": document["components"]}).is_valid(body)
    assert not Draft202012Validator({**schema, "components": document["components"]}).is_valid(
        {"meta": {"type": "nowhere.Nothing"}}
    )

    answer = client.post(
        "/api/v3/snippets/articles.ArticleCategory/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=editor_authorization,
    )
    assert answer.status_code == 201, answer.json()

"""Consultation requests over the API: 201 with a reference, translated 422s, idempotency, abuse."""

import datetime
import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection

from consultations.models import ConsultationRequest

URL = "/api/v3/consultation-requests/"


@pytest.fixture
def payload(valid_data):
    data = {key: value for key, value in valid_data.items() if key != "website"}
    data["consent"] = True
    return data


def post(client, body, *, content_type="application/json", **headers):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data=raw, content_type=content_type, **headers)


def test_a_valid_request_is_stored_and_answered_201_with_its_reference(client, payload):
    response = post(client, payload)

    assert response.status_code == 201
    data = response.json()
    stored = ConsultationRequest.objects.get()
    assert data["reference"] == stored.reference
    assert data["preferred_session"] == "10:00"
    assert stored.source == "api"
    assert stored.phone == "+919876543210"
    assert stored.language == "ta"


def test_the_thank_you_message_follows_the_requested_language(client, payload):
    tamil = post(client, payload, HTTP_ACCEPT_LANGUAGE="ta").json()["message"]
    english = post(client, payload).json()["message"]
    assert any("\u0b80" <= ch <= "\u0bff" for ch in tamil)
    assert english.startswith("Thank you")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": False}, "consent"),
        ({"preferred_session": "14:00"}, "preferred_session"),
        ({"phone": "12345"}, "phone"),
        ({"name": ""}, "name"),
        ({"reason": "x" * 2001}, "reason"),
    ],
)
def test_invalid_fields_are_a_422_with_per_field_errors_and_nothing_stored(client, payload, change, field):
    response = post(client, {**payload, **change})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert field in {error["loc"][-1] for error in errors}
    assert not ConsultationRequest.objects.exists()


def test_a_sunday_and_a_date_in_the_past_are_refused(client, payload, next_monday):
    sunday = next_monday - datetime.timedelta(days=1)
    past = next_monday - datetime.timedelta(days=14)
    for date in (sunday, past):
        response = post(client, {**payload, "preferred_date": date.isoformat()})
        assert response.status_code == 422, date
        fields = {error["loc"][-1] for error in response.json()["errors"]}
        assert fields & {"preferred_date", "preferred_session"}, date
    assert not ConsultationRequest.objects.exists()


def test_errors_come_in_tamil_when_asked(client, payload):
    response = post(client, {**payload, "consent": False}, HTTP_ACCEPT_LANGUAGE="ta")
    messages = " ".join(error["msg"] for error in response.json()["errors"])
    assert any("\u0b80" <= ch <= "\u0bff" for ch in messages)

    english = post(client, {**payload, "consent": False}, QUERY_STRING="lang=en")
    assert all(not ("\u0b80" <= ch <= "\u0bff") for error in english.json()["errors"] for ch in error["msg"])


@pytest.mark.parametrize(
    ("change", "field", "english", "tamil"),
    [
        ({"name": ["a", "list"]}, "name", "Please tell us your name.", "உங்கள் பெயரைத் தெரிவியுங்கள்."),
        ({"preferred_date": 20250314}, "preferred_date", "Enter the date as YYYY-MM-DD", "ஆஆஆஆ-மாமா-நாநா"),
        ({"consent": "maybe"}, "consent", "Please agree to be contacted", "ஒப்புதல் அளியுங்கள்"),
        (
            {"reason": {"a": "dict"}},
            "reason",
            "Input should be a valid string",
            "Input should be a valid string",
        ),
    ],
)
@pytest.mark.parametrize("language", ["en", "ta"])
def test_a_value_of_the_wrong_type_is_a_422_in_the_forms_words(
    client, payload, change, field, english, tamil, language
):
    response = post(client, {**payload, **change}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "payload", field]
    assert (tamil if language == "ta" else english) in error["msg"]
    assert not ConsultationRequest.objects.exists()


def test_a_missing_field_is_a_422_with_the_forms_message(client, payload):
    del payload["phone"]
    response = post(client, payload, QUERY_STRING="lang=ta")

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "payload", "phone"]
    assert error["msg"] == "உங்களை அழைக்கக்கூடிய தொலைபேசி எண்ணைத் தாருங்கள்."


def test_the_forms_errors_and_ninjas_point_to_fields_alike(client, payload):
    response = post(client, {**payload, "consent": False})
    [error] = response.json()["errors"]
    assert error == {
        "type": "required",
        "loc": ["body", "payload", "consent"],
        "msg": "Please agree to be contacted, so that we can call you back.",
    }


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2, 3]", "application/json", 400),
        (" ", "application/json", 400),
        ('"a string"', "application/json", 400),
        ('{"name": ' + "[" * 5000 + "]" * 5000 + "}", "application/json", 400),
        ("name=Kavya", "application/x-www-form-urlencoded", 415),
        ("{}", "text/plain", 415),
        ("{" + " " * 20000 + "}", "application/json", 413),
    ],
)
def test_malformed_bodies_are_clear_4xx_and_store_nothing(client, clinic_hours, body, content_type, status):
    response = client.post(URL, data=body, content_type=content_type)
    assert response.status_code == status
    assert response.json()["detail"]
    assert not ConsultationRequest.objects.exists()


def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_result(client, payload):
    first = post(client, payload, HTTP_IDEMPOTENCY_KEY="app-42-attempt")
    again = post(client, payload, HTTP_IDEMPOTENCY_KEY="app-42-attempt")
    other = post(client, payload, HTTP_IDEMPOTENCY_KEY="app-43-attempt")

    assert first.status_code == again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert other.json()["reference"] != first.json()["reference"]
    assert ConsultationRequest.objects.count() == 2


def test_another_clients_request_with_the_same_key_is_its_own(client, payload):
    """Alice's app and Bob's, at other addresses, both send "order-1": each gets its own request."""
    alice = post(client, payload, HTTP_IDEMPOTENCY_KEY="order-1", REMOTE_ADDR="192.0.2.10")
    bob = post(
        client,
        {**payload, "name": "Bob", "phone": "91234 56789", "preferred_session": "16:00"},
        HTTP_IDEMPOTENCY_KEY="order-1",
        REMOTE_ADDR="192.0.2.20",
    )

    assert alice.status_code == bob.status_code == 201
    assert bob.json()["reference"] != alice.json()["reference"]
    assert bob.json()["preferred_session"] == "16:00"
    assert sorted(ConsultationRequest.objects.values_list("name", flat=True)) == ["Bob", "Kavya Raman"]


def test_the_same_key_with_another_body_is_a_422_and_stores_nothing(client, payload):
    first = post(client, payload, HTTP_IDEMPOTENCY_KEY="order-1")
    bob = {**payload, "name": "Bob", "preferred_session": "16:00"}
    other = post(client, bob, HTTP_IDEMPOTENCY_KEY="order-1")

    assert first.status_code == 201
    assert other.status_code == 422
    assert other["Content-Type"].startswith("application/problem+json")
    problem = other.json()
    assert "already used for a request with other details" in problem["detail"]
    assert problem["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert first.json()["reference"] not in other.content.decode()  # nothing of the first request leaks
    assert list(ConsultationRequest.objects.values_list("name", flat=True)) == ["Kavya Raman"]


def test_keys_are_scoped_to_the_api_token_when_one_is_sent(client, payload):
    app_one = {"HTTP_IDEMPOTENCY_KEY": "order-1", "HTTP_AUTHORIZATION": "Bearer app-one"}
    app_two = {"HTTP_IDEMPOTENCY_KEY": "order-1", "HTTP_AUTHORIZATION": "Bearer app-two"}
    one = post(client, payload, **app_one)
    two = post(client, {**payload, "name": "Bob"}, **app_two)
    again = post(client, payload, **app_one, REMOTE_ADDR="192.0.2.99")

    assert one.status_code == two.status_code == again.status_code == 201
    assert two.json()["reference"] != one.json()["reference"]
    assert again.json()["reference"] == one.json()["reference"]  # the same app, from another address
    assert ConsultationRequest.objects.count() == 2


def test_a_malformed_idempotency_key_is_a_400(client, payload):
    response = post(client, payload, HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert response.status_code == 400
    assert not ConsultationRequest.objects.exists()


def test_the_rate_limit_answers_429_with_retry_after(client, payload, settings):
    settings.CONSULTATION_RATE_LIMIT = "2/h"
    assert post(client, payload).status_code == 201
    assert post(client, payload).status_code == 201

    response = post(client, payload)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert ConsultationRequest.objects.count() == 2


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_requests_can_never_be_read_back(client, payload, method):
    post(client, payload)
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")
    assert "Kavya" not in response.content.decode()


def test_the_endpoint_is_in_the_openapi_document(client, clinic_hours):
    document = client.get("/api/v3/openapi.json").json()
    operation = document["paths"][URL]
    assert set(operation) == {"post"}
    post_ = operation["post"]
    assert {"201", "400", "413", "415", "422", "429"} <= set(post_["responses"])
    assert post_["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ConsultationRequestIn"
    )
    # Besides the languages' parameters every operation refers to (tests/api/test_openapi.py).
    assert [p["name"] for p in post_["parameters"] if "$ref" not in p] == ["Idempotency-Key"]
    schema = document["components"]["schemas"]["ConsultationRequestIn"]
    assert set(schema["required"]) == {"name", "phone", "preferred_date", "preferred_session", "consent"}
    assert schema["properties"]["reason"]["anyOf"][0]["maxLength"] == 2000


def send_at_once(url, bodies):
    """POST each JSON body to `url` from its own thread, all at once; the status codes, in any order."""
    start = threading.Barrier(len(bodies))
    statuses = []

    def send(body):
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def skip_on_sqlite():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's shared in-memory test database locks under concurrent writes; "
            "CI runs this on PostgreSQL (make test-services)"
        )


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_requests_give_exactly_fifty_rows(live_server, payload, settings):
    skip_on_sqlite()
    settings.CONSULTATION_RATE_LIMIT = None

    statuses = send_at_once(live_server.url + URL, [{**payload, "name": f"Patient {n}"} for n in range(50)])

    assert statuses.count(201) == 50
    assert ConsultationRequest.objects.count() == 50
    assert ConsultationRequest.objects.values("reference").distinct().count() == 50


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_requests_from_one_address_against_five_an_hour_store_exactly_five(
    live_server, payload, settings
):
    """The live server answers each request in a thread of its own; make test-services counts in Redis."""
    skip_on_sqlite()
    settings.CONSULTATION_RATE_LIMIT = "5/h"

    statuses = send_at_once(live_server.url + URL, [{**payload, "name": f"Patient {n}"} for n in range(30)])

    assert sorted(statuses) == [201] * 5 + [429] * 25
    assert ConsultationRequest.objects.count() == 5

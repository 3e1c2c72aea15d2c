"""The one way a request is checked and stored (the site's and the future API's), and its phone rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import ConsultationRequest, IdempotencyKey
from consultations.services import (
    IdempotencyKeyReused,
    InvalidConsultationRequest,
    RateLimited,
    submit_consultation_request,
)
from consultations.validators import normalise_indian_phone
from home.models import ClinicDetails
from tests.factories import OpeningExceptionFactory


def submit(data, language="en", clinic=None, **kwargs):
    clinic = clinic or ClinicDetails.for_request(None)
    return submit_consultation_request(
        data, clinic=clinic, language=language, client_ip="192.0.2.1", **kwargs
    )


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("9876543210", "+919876543210"),
        ("98765 43210", "+919876543210"),
        ("+91 98765-43210", "+919876543210"),
        ("+919876543210", "+919876543210"),
        ("919876543210", "+919876543210"),
        ("09876543210", "+919876543210"),
        ("0091 98765 43210", "+919876543210"),
        ("6123456789", "+916123456789"),
        ("044 4000 1234", "+914440001234"),
        ("+91 44 4000 1234", "+914440001234"),
        ("(044) 4000-1234", "+914440001234"),
    ],
)
def test_indian_numbers_are_stored_as_plus_91_and_ten_digits(written, stored):
    assert normalise_indian_phone(written) == stored


@pytest.mark.parametrize(
    "written",
    [
        "",
        "12345",
        "5876543210",  # a bare number starting 1–5 is no mobile number
        "98765432101",  # eleven digits
        "+44 20 7946 0958",  # not Indian
        "+91 0876543210",
        "98765O43210",  # a letter O
        "call me",
        "9876543210; DROP TABLE",
        "+91+9876543210",
        "٩٨٧٦٥٤٣٢١٠",  # digits of another script
        "98765௪3210",  # one Tamil digit among ASCII ones
    ],
)
def test_anything_else_is_rejected_as_a_phone_number(written):
    with pytest.raises(ValidationError) as error:
        normalise_indian_phone(written)
    assert "Enter an Indian phone number" in str(error.value)


def test_a_dict_from_an_app_is_stored_like_a_form_from_the_site(clinic_hours, valid_data, next_monday):
    data = {**valid_data, "consent": True}

    consultation = submit(data, source=ConsultationRequest.Source.API)

    consultation.refresh_from_db()
    assert consultation.source == "api"
    assert consultation.phone == "+919876543210"
    assert consultation.preferred_date == next_monday


def test_the_preferred_language_defaults_to_the_language_of_the_request(clinic_hours, valid_data):
    data = {key: value for key, value in valid_data.items() if key != "language"}
    assert submit(data, language="ta").language == "ta"


def test_errors_come_per_field_in_the_language_of_the_request(clinic_hours, valid_data):
    with pytest.raises(InvalidConsultationRequest) as error:
        submit({**valid_data, "consent": False, "phone": "12"}, language="ta")

    assert set(error.value.errors) == {"consent", "phone"}
    assert error.value.errors["consent"] == ["நாங்கள் உங்களைத் திரும்ப அழைக்க, தொடர்புகொள்ள ஒப்புதல் அளியுங்கள்."]
    assert error.value.message == "கீழே உள்ள பிழைகளைத் திருத்துங்கள்."
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize(
    "odd_values",
    [
        {"preferred_date": 20250314},
        {"preferred_session": 10},
        {"name": ["a", "list"]},
        {"phone": {"a": "dict"}},
        {"language": "fr"},
        {"consent": "false"},
    ],
)
def test_values_of_the_wrong_type_are_errors_not_crashes(clinic_hours, valid_data, odd_values):
    with pytest.raises(InvalidConsultationRequest) as error:
        submit({**valid_data, **odd_values})
    assert set(error.value.errors) == set(odd_values)
    assert ConsultationRequest.objects.count() == 0


def test_empty_optional_values_sent_as_null_are_accepted(clinic_hours, valid_data):
    consultation = submit({**valid_data, "reason": None, "email": None})
    assert consultation.reason == "" and consultation.email == ""


def test_a_session_that_has_ended_today_cannot_be_chosen(clinic_hours, valid_data, monkeypatch):
    # Monday 14:00 in Chennai: the morning session is over, the evening one is still to come.
    monday = datetime.date(2030, 1, 7)
    at = datetime.datetime(2030, 1, 7, 14, 0, tzinfo=clinic_hours.tzinfo)
    monkeypatch.setattr("home.models.now", lambda: at)
    data = {**valid_data, "preferred_date": monday.isoformat()}

    with pytest.raises(InvalidConsultationRequest) as error:
        submit({**data, "preferred_session": "10:00"})
    assert error.value.errors["preferred_session"] == [
        "This session has already ended today. Please choose a later session or another day."
    ]

    assert submit({**data, "preferred_session": "16:00"}).preferred_date == monday


def test_special_hours_on_a_date_offer_their_own_session(clinic_hours, valid_data, next_monday):
    OpeningExceptionFactory(
        hours=clinic_hours,
        date=next_monday,
        closed=False,
        opens=datetime.time(11),
        closes=datetime.time(14),
        label="Half day",
    )
    with pytest.raises(InvalidConsultationRequest) as error:
        submit({**valid_data, "preferred_session": "10:00"})
    assert "Sessions start at 11:00 AM." in error.value.errors["preferred_session"][0]

    with pytest.raises(InvalidConsultationRequest) as error:
        submit({**valid_data, "preferred_session": "10:00"}, language="ta")
    assert "காலை 11:00" in error.value.errors["preferred_session"][0]

    assert submit({**valid_data, "preferred_session": "11:00"}).preferred_session == datetime.time(11)


def test_the_last_bookable_day_is_eight_weeks_ahead(clinic_hours, valid_data):
    today = clinic_hours.local_now().date()
    last_day = today + datetime.timedelta(days=56)
    while last_day.weekday() == 6:  # Sunday: try the Saturday before
        last_day -= datetime.timedelta(days=1)
    assert submit({**valid_data, "preferred_date": last_day.isoformat()}).preferred_date == last_day


def test_a_repeated_idempotency_key_with_the_same_fields_returns_the_first_request(clinic_hours, valid_data):
    first = submit(valid_data, idempotency_key="app-123")
    again = submit(dict(valid_data), idempotency_key="app-123")

    assert again.pk == first.pk and again.reference == first.reference
    assert ConsultationRequest.objects.count() == 1


def test_the_same_key_with_other_fields_is_refused_and_nothing_is_stored(clinic_hours, valid_data):
    first = submit(valid_data, idempotency_key="order-1")
    with pytest.raises(IdempotencyKeyReused) as error:
        submit({**valid_data, "name": "Bob", "phone": "91234 56789"}, idempotency_key="order-1")

    assert "already used for a request with other details" in error.value.message
    assert list(ConsultationRequest.objects.all()) == [first]


def test_the_refusal_is_in_the_language_of_the_request(clinic_hours, valid_data):
    submit(valid_data, idempotency_key="order-1")
    with pytest.raises(IdempotencyKeyReused) as error:
        submit({**valid_data, "name": "Bob"}, language="ta", idempotency_key="order-1")
    assert any("\u0b80" <= ch <= "\u0bff" for ch in error.value.message)


def test_keys_belong_to_their_client_the_token_else_the_address(clinic_hours, valid_data):
    alice = submit(valid_data, idempotency_key="order-1")
    bob = submit_consultation_request(
        {**valid_data, "name": "Bob"},
        clinic=ClinicDetails.for_request(None),
        language="en",
        client_ip="198.51.100.7",
        idempotency_key="order-1",
    )
    app_one = submit({**valid_data, "name": "App one"}, idempotency_key="order-1", client_token="token-one")
    app_two = submit({**valid_data, "name": "App two"}, idempotency_key="order-1", client_token="token-two")

    assert len({alice.pk, bob.pk, app_one.pk, app_two.pk}) == 4
    assert sorted(ConsultationRequest.objects.values_list("name", flat=True)) == [
        "App one",
        "App two",
        "Bob",
        "Kavya Raman",
    ]


def test_a_key_is_forgotten_after_24_hours(clinic_hours, valid_data):
    first = submit(valid_data, idempotency_key="order-1")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1))

    later = submit({**valid_data, "name": "Bob"}, idempotency_key="order-1")

    assert later.pk != first.pk and later.name == "Bob"
    assert IdempotencyKey.objects.get().consultation == later


def test_neither_the_address_nor_the_token_is_stored_with_a_key(clinic_hours, valid_data):
    submit(valid_data, idempotency_key="order-1", client_token="secret-token")
    stored = IdempotencyKey.objects.get()
    assert "secret-token" not in stored.client and "192.0.2.1" not in stored.client
    assert len(stored.client) == len(stored.fingerprint) == 64


def test_a_repeated_request_does_not_use_up_the_rate_limit(clinic_hours, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    first = submit(valid_data, idempotency_key="order-1")
    assert submit(valid_data, idempotency_key="order-1") == first
    with pytest.raises(RateLimited):
        submit(valid_data, idempotency_key="order-2")


def test_an_invalid_request_gives_its_place_back(clinic_hours, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    for _ in range(3):
        with pytest.raises(InvalidConsultationRequest):
            submit({**valid_data, "consent": ""})
    assert submit(valid_data).pk is not None


def test_the_rate_limit_raises_with_the_seconds_to_wait(clinic_hours, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    submit(valid_data)
    with pytest.raises(RateLimited) as error:
        submit(valid_data)
    assert 0 < error.value.retry_after <= 3600
    assert "Please try again in" in error.value.message
    assert ConsultationRequest.objects.count() == 1


def test_the_honeypot_returns_an_unsaved_request_with_a_reference(clinic_hours, valid_data):
    decoy = submit({**valid_data, "website": "http://spam.example"})
    assert decoy.pk is None and decoy.reference.startswith("CR-")
    assert ConsultationRequest.objects.count() == 0


def test_references_are_unique_and_avoid_look_alike_characters(clinic_hours, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = None
    references = {submit(valid_data).reference for _ in range(20)}
    assert len(references) == 20
    assert not any(set(reference[3:]) & set("01OIL") for reference in references)

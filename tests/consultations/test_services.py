"""The one way a request is checked and stored (the site's and the future API's), and its phone rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from consultations.models import ConsultationRequest
from consultations.services import InvalidConsultationRequest, RateLimited, submit_consultation_request
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
    assert error.value.errors["consent"] == ["நாங்கள் உங்களைத் திரும்ப அழைக்க, தொடர்புகொள்ள ஒப்புதல் அளிக்கவும்."]
    assert error.value.message == "கீழே உள்ள பிழைகளைத் திருத்தவும்."
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


def test_a_repeated_idempotency_key_returns_the_first_request(clinic_hours, valid_data):
    first = submit(valid_data, idempotency_key="app-123")
    again = submit({**valid_data, "name": "Someone else"}, idempotency_key="app-123")

    assert again.pk == first.pk and again.reference == first.reference
    assert again.name == "Kavya Raman"  # the first request's, not the retry's
    assert ConsultationRequest.objects.count() == 1


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

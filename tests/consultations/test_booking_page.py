"""The Book a Consultation page: the form in both languages, its errors, the thank-you page, the button."""

import datetime
import re

import pytest
from django.test import Client
from wagtail.models import Page

import cms.pages
from consultations.models import BookingPage, ConsultationRequest
from home.models import HomePage
from tests.factories import BlogIndexPageFactory, BookingPageFactory, OpeningExceptionFactory

from .conftest import url_in


def post(client, page, language, data, **extra):
    return client.post(url_in(page, language), data, **extra)


@pytest.mark.parametrize(
    ("language", "heading", "intro"),
    [
        ("en", "<h1>Book a Consultation</h1>", "Tell us when you would like to come."),
        ("ta", "<h1>ஆலோசனைக்கு முன்பதிவு</h1>", "எப்போது வர விரும்புகிறீர்கள் என்று சொல்லுங்கள்."),
    ],
)
def test_the_booking_page_shows_the_form_in_the_pages_language(
    client, booking_page, language, heading, intro
):
    response = client.get(url_in(booking_page, language))
    html = response.content.decode()

    assert response.status_code == 200
    assert heading in html and intro in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="preferred_session" value="10:00"' in html and 'value="16:00"' in html
    assert "no-store" in response["Cache-Control"]


def test_the_english_form_labels_its_sessions_and_fields(client, booking_page):
    html = client.get(url_in(booking_page, "en")).content.decode()
    assert "10:00 AM – 1:00 PM</label>" in html and "4:00 PM – 7:00 PM</label>" in html
    assert "Your name" in html and "I agree that the clinic may contact me about this request." in html
    assert "We use your details only to arrange your consultation." in html  # the privacy notice


def test_the_tamil_form_is_labelled_in_tamil(client, booking_page):
    html = client.get(url_in(booking_page, "ta")).content.decode()
    assert "உங்கள் பெயர்" in html
    assert "உங்கள் விவரங்களை ஆலோசனைக்கு மட்டுமே பயன்படுத்துகிறோம்." in html


@pytest.mark.parametrize(
    ("language", "morning", "evening"),
    [
        ("en", "10:00 AM – 1:00 PM", "4:00 PM – 7:00 PM"),
        ("ta", "காலை 10:00 – மதியம் 1:00", "மாலை 4:00 – இரவு 7:00"),
    ],
)
def test_the_sessions_read_as_on_the_hours_page(client, booking_page, language, morning, evening):
    response = client.get(url_in(booking_page, language))
    labels = [choice[1] for choice in response.context["form"].fields["preferred_session"].choices]

    assert labels == [morning, evening]
    assert f"{morning}</label>" in response.content.decode()


@pytest.mark.parametrize(("language", "thanks_text"), [("en", "Thank you for your request"), ("ta", "நன்றி")])
def test_a_valid_request_is_stored_and_leads_to_the_thank_you_page(
    client, booking_page, valid_data, next_monday, language, thanks_text
):
    response = post(client, booking_page, language, valid_data)

    assert response.status_code == 303
    assert response["Location"] == url_in(booking_page, language, "thanks/")
    consultation = ConsultationRequest.objects.get()
    assert consultation.name == "Kavya Raman"
    assert consultation.phone == "+919876543210"
    assert consultation.preferred_date == next_monday
    assert consultation.preferred_session == datetime.time(10)
    assert consultation.language == "ta"
    assert consultation.consent is True
    assert consultation.status == ConsultationRequest.Status.NEW
    assert consultation.source == ConsultationRequest.Source.SITE
    assert consultation.reference.startswith("CR-") and len(consultation.reference) == 9

    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert thanks.status_code == 200
    assert consultation.reference in html
    assert thanks_text in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_tamil_thank_you_page_says_what_happens_next_in_tamil(client, booking_page, valid_data):
    response = post(client, booking_page, "ta", valid_data)
    html = client.get(response["Location"]).content.decode()
    assert "ஒரு வேலை நாளுக்குள் உங்களை அழைப்போம்." in html
    assert "உங்கள் குறிப்பு எண்" in html


@pytest.mark.parametrize(
    ("language", "date_label", "session_label", "weekday", "session"),
    [
        ("en", "Preferred date", "Preferred session", "Monday", "10:00 AM – 1:00 PM"),
        ("ta", "விரும்பும் தேதி", "விரும்பும் வேளை", "திங்கள்", "காலை 10:00 – மதியம் 1:00"),
    ],
)
def test_the_thank_you_page_repeats_the_date_and_session_chosen(
    client, booking_page, valid_data, next_monday, language, date_label, session_label, weekday, session
):
    response = post(client, booking_page, language, valid_data)
    assert "?" not in response["Location"]  # nothing of the patient's in the URL: it comes from the session

    thanks = client.get(response["Location"])
    chosen = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", thanks.content.decode().split("booking__chosen")[1]))
    assert f"{date_label} {weekday}," in chosen
    assert f"{session_label} {session}" in chosen
    assert f'<time datetime="{next_monday:%Y-%m-%d}">' in thanks.content.decode()
    assert "no-store" in thanks["Cache-Control"] and "private" in thanks["Cache-Control"]


def test_another_visitor_sees_no_one_elses_request_on_the_thank_you_page(client, booking_page, valid_data):
    response = post(client, booking_page, "en", valid_data)
    html = Client().get(response["Location"]).content.decode()
    assert '<dl class="booking__chosen">' not in html
    assert ConsultationRequest.objects.get().reference not in html


def test_the_thank_you_page_without_a_request_shows_no_reference(client, booking_page):
    response = client.get(url_in(booking_page, "en", "thanks/"))
    assert response.status_code == 200
    assert "Your reference is" not in response.content.decode()


def test_the_thank_you_page_has_default_texts_when_the_editor_left_them_empty(
    client, home_page, clinic_hours
):
    page = BookingPageFactory(parent=home_page, thank_you_heading="", thank_you_text="")
    html = client.get(url_in(page, "en", "thanks/")).content.decode()
    assert "<h1>Thank you</h1>" in html
    assert "the clinic will call you within one working day" in html


def sunday_after(date):
    return date + datetime.timedelta(days=6 - date.weekday())


INVALID_CASES = {
    "missing consent": (
        {"consent": ""},
        "consent",
        "Please agree to be contacted, so that we can call you back.",
        "நாங்கள் உங்களைத் திரும்ப அழைக்க, தொடர்புகொள்ள ஒப்புதல் அளியுங்கள்.",
    ),
    "a Sunday": (
        {"preferred_date": "SUNDAY"},
        "preferred_date",
        "The clinic is closed on Sunday. Please choose another day.",
        "ஞாயிறு அன்று கிளினிக் விடுமுறை. வேறு நாளைத் தேர்ந்தெடுங்கள்.",
    ),
    "a 14:00 slot": (
        {"preferred_session": "14:00"},
        "preferred_session",
        "Please choose one of the clinic&#x27;s sessions: 10:00, 16:00.",
        "கிளினிக்கின் வேளைகளில் ஒன்றைத் தேர்ந்தெடுங்கள்: 10:00, 16:00.",
    ),
    "a date in the past": (
        {"preferred_date": "PAST"},
        "preferred_date",
        "This date has already passed. Please choose today or a later day.",
        "இந்தத் தேதி ஏற்கெனவே கடந்துவிட்டது.",
    ),
    "a date more than 8 weeks ahead": (
        {"preferred_date": "FAR"},
        "preferred_date",
        "We book up to 8 weeks ahead: please choose a date until",
        "8 வாரங்கள் வரை மட்டுமே முன்பதிவு செய்கிறோம்",
    ),
    "a garbage phone number": (
        {"phone": "call me maybe"},
        "phone",
        "Enter an Indian phone number: a 10-digit mobile number, with or without +91",
        "இந்தியத் தொலைபேசி எண்ணை உள்ளிடுங்கள்",
    ),
    "a missing name": (
        {"name": "   "},
        "name",
        "Please tell us your name.",
        "உங்கள் பெயரைத் தெரிவியுங்கள்.",
    ),
    "a reason over 2,000 characters": (
        {"reason": "x" * 2001},
        "reason",
        "Please shorten this to at most 2000 characters (it has 2001).",
        "இதை அதிகபட்சம் 2000 எழுத்துகளுக்குள் சுருக்குங்கள்",
    ),
    "an invalid email": (
        {"email": "not-an-email"},
        "email",
        "Enter a valid email address, or leave this empty.",
        "சரியான மின்னஞ்சல் முகவரியை உள்ளிடுங்கள்",
    ),
    "a date that is not a date": (
        {"preferred_date": "next tuesday"},
        "preferred_date",
        "Enter the date as YYYY-MM-DD, e.g. 2025-03-14.",
        "தேதியை ஆஆஆஆ-மாமா-நாநா வடிவில் உள்ளிடுங்கள்",
    ),
}


def resolve_dates(changes, clinic_hours):
    today = clinic_hours.local_now().date()
    special = {
        "SUNDAY": sunday_after(today + datetime.timedelta(days=1)),
        "PAST": today - datetime.timedelta(days=1),
        "FAR": today + datetime.timedelta(days=57),
    }
    return {key: special[value].isoformat() if value in special else value for key, value in changes.items()}


@pytest.mark.parametrize("language", ["en", "ta"])
@pytest.mark.parametrize("case", list(INVALID_CASES))
def test_an_invalid_request_is_not_stored_and_the_error_shows_beside_its_field_in_the_pages_language(
    client, booking_page, valid_data, clinic_hours, case, language
):
    changes, field, english, tamil = INVALID_CASES[case]
    data = {**valid_data, **resolve_dates(changes, clinic_hours)}

    response = post(client, booking_page, language, data)
    html = response.content.decode()

    assert response.status_code == 200
    assert ConsultationRequest.objects.count() == 0
    assert (tamil if language == "ta" else english) in html
    # The message is beside its field, under an id that the input (or its fieldset) refers to.
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert re.search(rf'aria-describedby="[^"]*\bid_{field}_error\b', html)
    assert response.context["form"].errors[field]


def test_the_form_keeps_what_the_patient_typed_after_an_error(client, booking_page, valid_data):
    html = post(client, booking_page, "en", {**valid_data, "consent": ""}).content.decode()
    assert 'value="Kavya Raman"' in html and "Acne on my cheeks for a few months." in html


def test_an_input_with_an_error_is_marked_invalid_and_described_by_its_error(
    client, booking_page, valid_data
):
    html = post(client, booking_page, "en", {**valid_data, "phone": "12"}).content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html


def test_what_the_patient_typed_is_escaped_when_shown_again(client, booking_page, valid_data):
    data = {**valid_data, "name": "<script>alert(1)</script>", "consent": ""}
    html = post(client, booking_page, "en", data).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_holiday_is_closed_with_its_label(client, booking_page, clinic_hours, valid_data, next_monday):
    OpeningExceptionFactory(hours=clinic_hours, date=next_monday, label="Pongal holiday")
    response = post(client, booking_page, "en", valid_data)
    assert "The clinic is closed on that day (Pongal holiday)." in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_a_filled_in_honeypot_pretends_success_but_stores_nothing(client, booking_page, valid_data):
    response = post(client, booking_page, "en", {**valid_data, "website": "https://spam.example"})
    assert response.status_code == 303
    assert ConsultationRequest.objects.count() == 0
    assert "Your reference is" in client.get(response["Location"]).content.decode()


def test_the_honeypot_is_hidden_and_labelled_leave_empty(client, booking_page):
    html = client.get(url_in(booking_page, "en")).content.decode()
    assert 'class="field field--website visually-hidden"' in html
    assert "Leave this field empty" in html


def test_a_post_without_the_csrf_token_is_refused(booking_page, valid_data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_in(booking_page, "en"), valid_data)
    assert response.status_code == 403
    assert ConsultationRequest.objects.count() == 0


def test_the_rate_limit_answers_with_a_friendly_message_and_stores_nothing(
    client, booking_page, valid_data, settings
):
    settings.CONSULTATION_RATE_LIMIT = "2/h"
    for _ in range(2):
        assert post(client, booking_page, "en", valid_data).status_code == 303

    response = post(client, booking_page, "en", valid_data)
    html = response.content.decode()

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "You have sent several requests in a short time. Please try again in" in html
    assert 'href="tel:+914440001234"' in html
    assert ConsultationRequest.objects.count() == 2


def test_the_rate_limit_message_is_in_tamil_on_the_tamil_page(client, booking_page, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    post(client, booking_page, "ta", valid_data)
    html = post(client, booking_page, "ta", valid_data).content.decode()
    assert "குறுகிய நேரத்தில் பல கோரிக்கைகளை அனுப்பியுள்ளீர்கள்." in html
    assert ConsultationRequest.objects.count() == 1


def test_the_rate_limit_counts_each_address_separately(client, booking_page, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    assert post(client, booking_page, "en", valid_data, REMOTE_ADDR="10.0.0.1").status_code == 303
    assert post(client, booking_page, "en", valid_data, REMOTE_ADDR="10.0.0.2").status_code == 303
    assert post(client, booking_page, "en", valid_data, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert ConsultationRequest.objects.count() == 2


def test_invalid_attempts_do_not_use_up_the_rate_limit(client, booking_page, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    for _ in range(3):
        post(client, booking_page, "en", {**valid_data, "consent": ""})
    assert post(client, booking_page, "en", valid_data).status_code == 303


def form_key(html):
    return re.search(r'name="form_key" value="([^"]+)"', html).group(1)


def test_a_form_sent_twice_stores_one_request_and_shows_its_thank_you_page_again(
    client, booking_page, valid_data
):
    key = form_key(client.get(url_in(booking_page, "en")).content.decode())

    first = post(client, booking_page, "en", {**valid_data, "form_key": key})
    again = post(Client(), booking_page, "en", {**valid_data, "form_key": key})  # e.g. a double click

    assert first.status_code == again.status_code == 303
    consultation = ConsultationRequest.objects.get()
    assert consultation.reference in client.get(first["Location"]).content.decode()


def test_each_new_form_has_a_new_key(client, booking_page):
    first = form_key(client.get(url_in(booking_page, "en")).content.decode())
    second = form_key(client.get(url_in(booking_page, "en")).content.decode())
    assert first != second


def test_a_form_sent_again_with_other_details_asks_to_send_it_as_a_new_request(
    client, booking_page, valid_data
):
    key = form_key(client.get(url_in(booking_page, "ta")).content.decode())
    post(client, booking_page, "ta", {**valid_data, "form_key": key})

    changed = post(client, booking_page, "ta", {**valid_data, "name": "Bob", "form_key": key})
    html = changed.content.decode()

    assert changed.status_code == 200
    assert "இந்தப் படிவத்தை ஏற்கெனவே வேறு விவரங்களுடன் அனுப்பியுள்ளீர்கள்." in html
    assert ConsultationRequest.objects.count() == 1
    new_key = form_key(html)
    assert new_key != key
    resent = post(client, booking_page, "ta", {**valid_data, "name": "Bob", "form_key": new_key})
    assert resent.status_code == 303
    assert ConsultationRequest.objects.count() == 2


def test_a_form_without_a_key_still_works(client, booking_page, valid_data):
    assert post(client, booking_page, "en", {**valid_data, "form_key": "not a key!"}).status_code == 303
    assert ConsultationRequest.objects.count() == 1


def test_no_rate_limit_when_it_is_turned_off(client, booking_page, valid_data, settings):
    settings.CONSULTATION_RATE_LIMIT = None
    for _ in range(7):
        assert post(client, booking_page, "en", valid_data).status_code == 303
    assert ConsultationRequest.objects.count() == 7


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_header_button_leads_to_the_booking_page_in_the_current_language(client, booking_page, language):
    blog = BlogIndexPageFactory(parent=booking_page.get_parent())
    html = client.get(url_in(blog, language)).content.decode()
    assert f'<a class="button button--compact" href="{url_in(booking_page, language)}">' in html


def test_the_header_button_calls_the_clinic_when_there_is_no_booking_page(client, home_page, clinic_hours):
    blog = BlogIndexPageFactory(parent=home_page)
    html = client.get(url_in(blog, "en")).content.decode()
    assert '<a class="button button--compact" href="tel:+914440001234">' in html


def test_the_header_button_ignores_an_unpublished_booking_page(client, booking_page):
    booking_page.unpublish()
    html = client.get(url_in(booking_page.get_parent().specific, "en")).content.decode()
    assert 'href="tel:+914440001234">Book a Consultation</a>' in html  # the home page's hero


def test_the_home_call_to_action_leads_to_the_booking_page_when_no_page_is_chosen(client, booking_page):
    html = client.get("/en/").content.decode()
    hero = html.split('class="hero"')[1]
    assert f'<a class="button" href="{url_in(booking_page, "en")}">' in hero


def test_pages_look_the_booking_page_up_once_per_request(
    client, booking_page, django_assert_max_num_queries, forget_cached_pages, monkeypatch
):
    # The hero shows the button (the home page's header leaves it out: one per screen).
    client.get("/en/")
    forget_cached_pages()
    lookups = []
    linked_pages = cms.pages.linked_pages

    def counted(site):
        lookups.append(site)
        return linked_pages(site)

    monkeypatch.setattr(cms.pages, "linked_pages", counted)
    with django_assert_max_num_queries(30) as captured:
        html = client.get("/en/").content.decode()

    assert len(lookups) == 1  # the booking and hours pages together, in one query
    assert not [q for q in captured.captured_queries if "consultations_bookingpage" in q["sql"]]
    assert f'href="{url_in(booking_page, "en")}"' in html


def test_the_booking_page_lives_only_under_home_once_with_no_children(booking_page, home_page):
    assert BookingPage.allowed_parent_page_models() == [HomePage]
    assert BookingPage.can_create_at(home_page) is False  # max_count = 1 and one exists
    assert BookingPage.can_create_at(Page.get_first_root_node()) is False
    assert BookingPage.allowed_subpage_models() == []
    assert BookingPage in HomePage.allowed_subpage_models()


def test_the_demo_site_has_the_booking_page_in_both_languages(client, demo):
    page = BookingPage.objects.get()
    english = client.get("/en/book/")
    tamil = client.get(url_in(page, "ta"))

    assert english.status_code == 200 and tamil.status_code == 200
    assert "<h1>Book a Consultation</h1>" in english.content.decode()
    assert "<h1>ஆலோசனைக்கு முன்பதிவு</h1>" in tamil.content.decode()
    assert "ஓராண்டுக்குப் பிறகு" in tamil.content.decode()  # the Tamil privacy notice
    assert 'href="/en/book/"' in client.get("/en/").content.decode()

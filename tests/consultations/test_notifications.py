"""The clinic is e-mailed about each new request once it is stored; a failed e-mail loses nothing."""

import logging
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from consultations.models import ConsultationRequest
from consultations.services import InvalidConsultationRequest, submit_consultation_request
from home.models import ClinicDetails

from .conftest import CLINIC_EMAIL, url_in


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("The mail server is down")


def submit(data):
    clinic = ClinicDetails.for_request(None)
    return submit_consultation_request(data, clinic=clinic, language="en", client_ip="192.0.2.1")


def test_the_clinic_is_emailed_after_the_request_is_committed(
    clinic_hours, valid_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        consultation = submit(valid_data)
        assert mailoutbox == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 1

    callbacks[0]()

    [message] = mailoutbox
    assert message.to == [CLINIC_EMAIL]
    assert message.reply_to == ["kavya@example.com"]
    assert message.subject == f"New consultation request {consultation.reference}"
    assert "Kavya Raman" in message.body and "+919876543210" in message.body
    assert "Language for the call: Tamil" in message.body
    assert "Preferred session: 10:00" in message.body
    assert "Acne on my cheeks for a few months." in message.body
    assert f"http://testserver/admin/consultation-requests/edit/{consultation.pk}/" in message.body


def test_the_email_is_in_english_for_a_tamil_request(
    client, booking_page, valid_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url_in(booking_page, "ta"), valid_data)

    [message] = mailoutbox
    assert message.subject.startswith("New consultation request CR-")
    assert "Please call the patient back." in message.body


def test_a_failing_email_backend_keeps_the_request_and_logs_the_failure(
    clinic_hours, valid_data, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.consultations.test_notifications.BrokenEmailBackend"

    with (
        caplog.at_level(logging.ERROR, logger="consultations.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        consultation = submit(valid_data)

    assert ConsultationRequest.objects.filter(pk=consultation.pk).exists()
    [record] = [r for r in caplog.records if r.name == "consultations.services"]
    assert consultation.reference in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], SMTPException)


def test_a_failing_email_still_shows_the_patient_the_thank_you_page(
    client, booking_page, valid_data, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.consultations.test_notifications.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(booking_page.url, valid_data)
    assert response.status_code == 303
    assert ConsultationRequest.objects.count() == 1


def test_without_a_clinic_email_the_configured_address_is_used(
    clinic_hours, valid_data, settings, mailoutbox, django_capture_on_commit_callbacks
):
    ClinicDetails.objects.update(email="")
    settings.CONSULTATION_NOTIFY_EMAIL = "frontdesk@clinic.example"
    with django_capture_on_commit_callbacks(execute=True):
        submit(valid_data)
    assert mailoutbox[0].to == ["frontdesk@clinic.example"]


def test_invalid_requests_send_no_email(
    clinic_hours, valid_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidConsultationRequest):
        submit({**valid_data, "consent": ""})
    assert mailoutbox == []

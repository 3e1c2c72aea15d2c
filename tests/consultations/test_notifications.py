"""
The clinic is e-mailed about each new request once it is stored, in the background: a mail server
that hangs or is down delays the e-mail (retried, and shown to staff), never the patient.
"""

import json
import logging
import time
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from consultations.models import ConsultationRequest
from consultations.services import InvalidConsultationRequest, submit_consultation_request
from home.models import ClinicDetails
from tests.mail_servers import SilentSMTPServer, SMTPSink

from .conftest import CLINIC_EMAIL, url_in

API_URL = "/api/v3/consultation-requests/"


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
    consultation.refresh_from_db()
    assert consultation.notification == ConsultationRequest.Notification.SENT
    assert consultation.notified_at is not None and consultation.notification_attempts == 1


def test_the_email_is_queued_only_once_the_request_is_committed(
    clinic_hours, valid_data, task_queue, django_capture_on_commit_callbacks
):
    # A worker polling the queue meanwhile finds nothing that names a row it cannot see yet.
    with django_capture_on_commit_callbacks(execute=True):
        consultation = submit(valid_data)
        assert task_queue.waiting() == []

    [queued] = task_queue.waiting("notify_clinic")
    assert queued.args_kwargs["args"] == [consultation.pk, CLINIC_EMAIL]


class RolledBack(Exception):
    pass


def test_a_request_rolled_back_with_its_transaction_is_never_emailed(
    clinic_hours, valid_data, mailoutbox, django_capture_on_commit_callbacks
):
    # The tests' task backend runs a task the moment it is queued: a queued e-mail would be in the outbox.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RolledBack), transaction.atomic():
        submit(valid_data)
        raise RolledBack

    assert ConsultationRequest.objects.count() == 0
    assert mailoutbox == []


def test_the_email_is_in_english_for_a_tamil_request(
    client, booking_page, valid_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url_in(booking_page, "ta"), valid_data)

    [message] = mailoutbox
    assert message.subject.startswith("New consultation request CR-")
    assert "Please call the patient back." in message.body


def test_a_failed_email_is_recorded_on_the_request_and_logged(
    clinic_hours, valid_data, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.consultations.test_notifications.BrokenEmailBackend"

    with (
        caplog.at_level(logging.ERROR, logger="consultations.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        consultation = submit(valid_data)

    # The tests' immediate task backend cannot retry later: the first failure is final.
    consultation.refresh_from_db()
    assert consultation.notification == ConsultationRequest.Notification.FAILED
    assert consultation.notification_error == "The mail server refused or failed: The mail server is down"
    assert consultation.notified_at is None
    [record] = [r for r in caplog.records if r.name == "consultations.tasks"]
    assert consultation.reference in record.getMessage()


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


@pytest.fixture
def silent_smtp(settings):
    """Real SMTP, to a server on 127.0.0.1 that accepts connections and never answers."""
    server = SilentSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.close()


@pytest.fixture
def smtp_sink():
    sink = SMTPSink()
    yield sink
    sink.close()


def api_payload(valid_data):
    return {**{key: value for key, value in valid_data.items() if key != "website"}, "consent": True}


def test_a_silent_mail_server_holds_up_neither_the_api_nor_the_site(
    client, booking_page, valid_data, silent_smtp, settings, task_queue, django_capture_on_commit_callbacks
):
    # Were the e-mail sent in the request, each request would hang for EMAIL_TIMEOUT seconds.
    settings.EMAIL_TIMEOUT = 30
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        api = client.post(API_URL, data=api_payload(valid_data), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        site = client.post(booking_page.url, {**valid_data, "name": "Arun Kumar"})
    elapsed = time.monotonic() - started

    assert api.status_code == 201 and api["Content-Type"].startswith("application/json")
    assert site.status_code == 303 and client.get(site["Location"]).status_code == 200
    assert elapsed < 10, f"the two requests took {elapsed:.1f} s"
    assert silent_smtp.connections == []  # the requests never went near the mail server
    assert ConsultationRequest.objects.count() == 2
    assert set(ConsultationRequest.objects.values_list("notification", flat=True)) == {"pending"}
    # Two e-mails wait in the task queue, which keeps no patient data: only ids and the clinic's address.
    waiting = task_queue.waiting("notify_clinic")
    assert len(waiting) == 2
    stored_arguments = json.dumps([task.args_kwargs for task in waiting])
    for secret in ("Kavya", "Arun", "98765", "kavya@example.com", "Acne"):
        assert secret not in stored_arguments


def test_the_email_is_retried_until_the_mail_server_answers_and_sent_once(
    client, valid_data, clinic_hours, silent_smtp, smtp_sink, settings, task_queue, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.EMAIL_TIMEOUT = 0.5
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(API_URL, data=api_payload(valid_data), content_type="application/json")
    assert response.status_code == 201
    consultation = ConsultationRequest.objects.get()

    # The worker's first attempt: the server stays silent, the attempt gives up after EMAIL_TIMEOUT.
    with caplog.at_level(logging.WARNING, logger="consultations.tasks"):
        task_queue.run_due()
    assert len(silent_smtp.connections) == 1
    consultation.refresh_from_db()
    assert consultation.notification == ConsultationRequest.Notification.RETRYING
    assert consultation.notification_attempts == 1
    assert consultation.notification_error == "The mail server did not answer within 0.5 seconds."
    [retry] = task_queue.waiting("notify_clinic")
    assert consultation.notification_retry_at == retry.run_after
    assert consultation.reference in caplog.text

    # The mail server recovers; the retry, a minute later, reaches it.
    settings.EMAIL_PORT = smtp_sink.port
    task_queue.run_due(at=timezone.now() + timedelta(minutes=2))

    [envelope] = smtp_sink.messages
    assert envelope.rcpt_tos == [CLINIC_EMAIL]
    assert f"New consultation request {consultation.reference}".encode() in envelope.content
    consultation.refresh_from_db()
    assert consultation.notification == ConsultationRequest.Notification.SENT
    assert consultation.notification_attempts == 2 and consultation.notification_error == ""
    assert consultation.notified_at is not None and consultation.notification_retry_at is None
    assert task_queue.waiting("notify_clinic") == []
    assert ConsultationRequest.objects.count() == 1

    # Later runs of the queue send nothing more.
    task_queue.run_due(at=timezone.now() + timedelta(days=1))
    assert len(smtp_sink.messages) == 1


def test_an_email_that_never_goes_is_marked_failed_after_the_last_retry(
    clinic_hours, valid_data, settings, task_queue, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.consultations.test_notifications.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        consultation = submit(valid_data)

    at = timezone.now()
    with caplog.at_level(logging.ERROR, logger="consultations.tasks"):
        for _ in range(10):
            task_queue.run_due(at=at)
            at += timedelta(hours=5)

    consultation.refresh_from_db()
    assert consultation.notification == ConsultationRequest.Notification.FAILED
    assert consultation.notification_attempts == 6
    assert consultation.notification_retry_at is None
    assert "giving up" in caplog.text and consultation.reference in caplog.text
    assert DBTaskResult.objects.filter(task_path__endswith=".notify_clinic").count() == 6

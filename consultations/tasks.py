"""
E-mailing the clinic about a new request in the background, retried with exponential backoff.

A patient's request is answered as soon as it is stored: the e-mail is queued once the transaction
has committed and sent by the task worker (`manage.py db_worker`). A mail server that is slow or
down delays the e-mail, never the patient. Each attempt is recorded on the request (its
`notification` status, attempts and last error), so staff see in the admin which e-mails are
pending, being retried or failed, and can send one again.

The task's arguments are the request's id and the clinic's address, never the patient's details:
the task queue's table keeps its arguments.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django_tasks import task

from cms.tasks import Backoff, retry_later

from .models.requests import ConsultationRequest
from .notifications import send_clinic_email

logger = logging.getLogger(__name__)

# Six attempts over about five and a half hours: the retries come 1, 4, 16, 64 and 256 minutes apart.
NOTIFICATION_BACKOFF = Backoff(first_delay=timedelta(minutes=1), factor=4, max_attempts=6)


@task()
def notify_clinic(consultation_id, address, attempt=1):
    """E-mail the clinic about one request; on failure, try again later until the backoff gives up."""
    consultation = ConsultationRequest.objects.filter(pk=consultation_id).first()
    if consultation is None:  # deleted meanwhile (e.g. by the retention command)
        return None
    if consultation.notification == ConsultationRequest.Notification.SENT:
        return consultation.notification  # an older retry, overtaken by a resend
    error = send_clinic_email(consultation, address)
    with transaction.atomic():
        next_attempt_at = (
            retry_later(
                notify_clinic, consultation_id, address, attempt=attempt, backoff=NOTIFICATION_BACKOFF
            )
            if error
            else None
        )
        consultation.record_notification(error, next_attempt_at)
    if error:
        log = logger.warning if next_attempt_at else logger.error
        log(
            "Could not e-mail the clinic about consultation request %s (attempt %d, %s): %s",
            consultation.reference,
            attempt,
            f"retrying at {next_attempt_at:%Y-%m-%d %H:%M:%S %Z}" if next_attempt_at else "giving up",
            error,
        )
    return consultation.notification


def notify_clinic_after_commit(consultation, address):
    """Queue the e-mail about `consultation` once the current transaction has committed."""
    transaction.on_commit(lambda: notify_clinic.enqueue(consultation.pk, address), robust=True)

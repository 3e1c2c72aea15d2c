"""
The e-mail that tells the clinic of a new request: whom it goes to, what it says, and one attempt
at sending it. consultations.tasks sends it in the background and retries it; nothing here runs
inside a patient's request.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def notification_address(clinic):
    """Where a clinic hears of new requests: its Clinic details' e-mail, else the configured fallback."""
    email = clinic.email if clinic is not None else ""
    return email or settings.CONSULTATION_NOTIFY_EMAIL or settings.DEFAULT_FROM_EMAIL


def clinic_email(consultation, address):
    """
    The e-mail to the clinic at `address` about `consultation`, in English (the staff's language),
    with a link to the request in the admin and the patient's address to reply to.
    """
    # Reversing loads the admin's URLs (and so registers the viewset) even in a fresh process.
    edit_url = reverse("consultation_requests:edit", args=[consultation.pk])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "consultation": consultation,
            "session": consultation.preferred_session.strftime("%H:%M"),
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + edit_url,
        }
        subject = _("New consultation request %(reference)s") % {"reference": consultation.reference}
        body = render_to_string("consultations/email/new_request.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        reply_to=[consultation.email] if consultation.email else None,
    )


def send_clinic_email(consultation, address):
    """
    Send the e-mail once (the SMTP backend gives up after settings.EMAIL_TIMEOUT seconds of silence);
    return "" when it was sent, else why not, in a line staff can read.
    """
    try:
        clinic_email(consultation, address).send()
    except (smtplib.SMTPException, OSError) as error:
        if _timed_out(error):
            return f"The mail server did not answer within {settings.EMAIL_TIMEOUT or 0:g} seconds."
        return f"The mail server refused or failed: {_describe(error)}"
    except Exception as error:  # a fault of ours (a template, a setting): recorded and retried all the same
        logger.exception("Could not write the e-mail about consultation request %s.", consultation.reference)
        return f"Could not send: {_describe(error)}"
    return ""


def _describe(error):
    return (str(error) or type(error).__name__)[:250]


def _timed_out(error):
    """Whether the server's silence caused `error` (smtplib turns a timeout into SMTPServerDisconnected)."""
    while error is not None:
        if isinstance(error, TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False

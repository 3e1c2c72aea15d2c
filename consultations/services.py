"""
Taking a consultation request: the one place that checks and stores it, for the site and the API.

`submit_consultation_request()` validates with ConsultationRequestForm (so both share every rule
and every translated message), applies the per-IP rate limit and the honeypot, stores the request
and, once the transaction has committed, e-mails the clinic with `notify_clinic()`.
"""

import logging
import math
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .forms import HONEYPOT_FIELD, ConsultationRequestForm
from .models.requests import ConsultationRequest, generate_reference
from .ratelimit import check_rate_limit

logger = logging.getLogger(__name__)


class ConsultationRequestRejected(Exception):
    """A request that was not stored; `message` says why, in the language it was sent in."""

    message = ""


class InvalidConsultationRequest(ConsultationRequestRejected):
    """Some fields are wrong: `form` holds them, `errors` maps each field to its messages."""

    def __init__(self, form, language):
        self.form = form
        with translation.override(language):
            # Messages are translated now, while the request's language is active.
            self.errors = {
                field: [str(message) for message in messages] for field, messages in form.errors.items()
            }
            self.message = _("Please correct the errors below.")
        super().__init__(self.message)


class RateLimited(ConsultationRequestRejected):
    """Too many requests from one address: try again in `retry_after` seconds."""

    def __init__(self, retry_after, language):
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        with translation.override(language):
            self.message = ngettext(
                "You have sent several requests in a short time. Please try again in %(count)d minute, "
                "or call the clinic.",
                "You have sent several requests in a short time. Please try again in %(count)d minutes, "
                "or call the clinic.",
                minutes,
            ) % {"count": minutes}
        super().__init__(self.message)


def form_data(data, language):
    """
    The submitted data as a form reads it: JSON numbers as text (a form field expects text), null,
    lists and objects as missing (no field takes them), and the preferred language defaulting to
    the language of the request.
    """
    if hasattr(data, "getlist"):  # a QueryDict from an HTML form: already text
        data = data.copy()
    else:
        data = {
            key: value if isinstance(value, (str, bool)) else str(value)
            for key, value in (data or {}).items()
            if isinstance(value, (str, bool, int, float))
        }
    if not data.get("language"):
        data["language"] = language
    return data


def submit_consultation_request(
    data,
    *,
    clinic,
    language,
    client_ip,
    source=ConsultationRequest.Source.SITE,
    idempotency_key=None,
):
    """
    Check and store a consultation request; return it.

    `data` is the submitted fields (a QueryDict or a dict: name, phone, email, preferred_date
    "YYYY-MM-DD", preferred_session "HH:MM", reason, language, consent, and the honeypot
    "website"); `clinic` is the ClinicDetails the request was made to (the page's or the API's
    ClinicDetails.for_request(request)): its hours are checked, its e-mail is notified;
    `language` is the language messages are written in ("en", "ta"); `client_ip` is counted
    against settings.CONSULTATION_RATE_LIMIT.

    Raises RateLimited (with `retry_after` seconds) or InvalidConsultationRequest (with the
    bound `form` and per-field `errors`); nothing is stored then. A filled-in honeypot returns an
    unsaved request that looks accepted, so that robots learn nothing. With an `idempotency_key`
    already used, the request stored then is returned again, neither stored nor counted twice.
    """
    if idempotency_key:
        existing = ConsultationRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing

    with translation.override(language):
        status = check_rate_limit(client_ip)
        if not status.allowed:
            raise RateLimited(status.retry_after, language)

        hours = clinic.hours if clinic is not None else None
        form = ConsultationRequestForm(form_data(data, language), hours=hours, language=language)
        if form.is_spam:
            check_rate_limit(client_ip, count=True)
            logger.info(
                "Consultation request from %s dropped: the %s field was filled in.", client_ip, HONEYPOT_FIELD
            )
            return ConsultationRequest(reference=generate_reference())
        if not form.is_valid():
            raise InvalidConsultationRequest(form, language)

        consultation = form.save(commit=False)
        consultation.source = source
        consultation.idempotency_key = idempotency_key or None
        try:
            with transaction.atomic():
                consultation.save()
                transaction.on_commit(partial(notify_clinic, consultation, notification_address(clinic)))
        except IntegrityError:
            # The same idempotency key sent twice at once: the other request won the race.
            if idempotency_key:
                existing = ConsultationRequest.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            raise
        check_rate_limit(client_ip, count=True)
    return consultation


def notification_address(clinic):
    """Where a clinic hears of new requests: its Clinic details' e-mail, else the configured fallback."""
    email = clinic.email if clinic is not None else ""
    return email or settings.CONSULTATION_NOTIFY_EMAIL or settings.DEFAULT_FROM_EMAIL


def notify_clinic(consultation, address):
    """
    E-mail the clinic at `address` about a new request, in English (the staff's language), with a
    link to it in the admin. Never raises: a failure is logged, and the stored request is unaffected.
    """
    try:
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
        EmailMessage(
            subject=subject,
            body=body,
            to=[address],
            reply_to=[consultation.email] if consultation.email else None,
        ).send()
    except Exception:
        logger.exception("Could not e-mail the clinic about consultation request %s.", consultation.reference)

"""
Taking a consultation request: the one place that checks and stores it, for the site and the API.

`submit_consultation_request()` validates with ConsultationRequestForm (so both share every rule
and every translated message), applies the per-IP rate limit and the honeypot, stores the request
and, once the transaction has committed, queues the e-mail to the clinic (consultations.tasks):
the patient is answered without waiting for the mail server.
"""

import logging
import math

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .forms import HONEYPOT_FIELD, ConsultationRequestForm
from .models.requests import ConsultationRequest, generate_reference
from .notifications import notification_address
from .ratelimit import check_rate_limit
from .tasks import notify_clinic_after_commit

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
                notify_clinic_after_commit(consultation, notification_address(clinic))
        except IntegrityError:
            # The same idempotency key sent twice at once: the other request won the race.
            if idempotency_key:
                existing = ConsultationRequest.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            raise
        check_rate_limit(client_ip, count=True)
    return consultation

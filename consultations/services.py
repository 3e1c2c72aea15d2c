"""
Taking a consultation request: the one place that checks and stores it, for the site and the API.

`submit_consultation_request()` answers a repeated idempotency key with the request it stored,
validates with ConsultationRequestForm (so both share every rule and every translated message),
applies the per-IP rate limit and the honeypot, stores the request and, once the transaction has
committed, queues the e-mail to the clinic (consultations.tasks): the patient is answered without
waiting for the mail server.
"""

import hashlib
import json
import logging
import math

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .forms import ConsultationRequestForm
from .models.idempotency import IdempotencyKey
from .models.requests import ConsultationRequest, generate_reference
from .notifications import notification_address
from .ratelimit import take_place
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


class IdempotencyKeyReused(ConsultationRequestRejected):
    """The client already sent this idempotency key with other details: nothing is stored."""

    def __init__(self, language):
        with translation.override(language):
            self.message = _(
                "This key was already used for a request with other details, so nothing was stored. "
                "Send a new request with a new key."
            )
        super().__init__(self.message)


def submitted_fields(data):
    """
    The submitted data as a form reads it: JSON numbers as text (a form field expects text), null,
    lists and objects as missing (no field takes them).
    """
    if hasattr(data, "getlist"):  # a QueryDict from an HTML form: already text
        return data.copy()
    return {
        key: value if isinstance(value, (str, bool)) else str(value)
        for key, value in (data or {}).items()
        if isinstance(value, (str, bool, int, float))
    }


def form_data(data, language):
    """The submitted fields, with the preferred language defaulting to the language of the request."""
    data = submitted_fields(data)
    if not data.get("language"):
        data["language"] = language
    return data


def fingerprint(fields):
    """A hash of the request's fields as sent (not the CSRF token, not the key): what a key is bound to."""
    values = {name: fields.get(name) for name in ConsultationRequestForm.base_fields}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def idempotency_client(client_ip, client_token=None):
    """
    Whose key it is: the API token it came with, else the address. Kept as a keyed hash, so that
    neither the token nor the address is stored.
    """
    who = f"token:{client_token}" if client_token else f"address:{client_ip}"
    return salted_hmac("consultations.idempotency", who, algorithm="sha256").hexdigest()


def request_for_key(key, language):
    """
    The request stored with the same client's same key (an unsaved IdempotencyKey) in the last
    24 hours, or None: an older key is forgotten. Raises IdempotencyKeyReused when that request
    was sent with other fields.
    """
    same = IdempotencyKey.objects.filter(client=key.client, key=key.key)
    same.expired().delete()
    earlier = same.current().select_related("consultation").first()
    if earlier is None:
        return None
    if earlier.fingerprint != key.fingerprint:
        raise IdempotencyKeyReused(language)
    return earlier.consultation


def submit_consultation_request(
    data,
    *,
    clinic,
    language,
    client_ip,
    source=ConsultationRequest.Source.SITE,
    idempotency_key=None,
    client_token=None,
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
    unsaved request that looks accepted, so that robots learn nothing.

    `idempotency_key` makes sending it again safe: for 24 hours, the same client (`client_token`,
    an API token, else `client_ip`) sending the same key with the same fields gets the request
    stored the first time, neither stored nor counted twice; with other fields, it raises
    IdempotencyKeyReused.
    """
    fields = submitted_fields(data)
    key = None
    if idempotency_key:
        key = IdempotencyKey(
            client=idempotency_client(client_ip, client_token),
            key=idempotency_key,
            fingerprint=fingerprint(fields),
        )
        earlier = request_for_key(key, language)
        if earlier is not None:
            return earlier

    with translation.override(language):
        # Counted before anything else is decided, so concurrent requests cannot all slip under the limit.
        place = take_place(client_ip)
        if not place.allowed:
            raise RateLimited(place.retry_after, language)
        try:
            hours = clinic.hours if clinic is not None else None
            form = ConsultationRequestForm(form_data(data, language), hours=hours, language=language)
            if form.is_spam:  # a robot's attempt uses up the limit like a patient's
                logger.info("Consultation request from %s dropped: the honeypot was filled in.", client_ip)
                return ConsultationRequest(reference=generate_reference())
            if not form.is_valid():
                raise InvalidConsultationRequest(form, language)
            consultation = form.save(commit=False)
            consultation.source = source
            earlier = store(consultation, key, clinic, language)
            if earlier is not None:
                place.give_back()  # the same key sent twice at once: only the first counts
                return earlier
            return consultation
        except BaseException:
            place.give_back()
            raise


def store(consultation, key, clinic, language):
    """
    Save a new request, with its idempotency `key` if any, and queue the clinic's e-mail once committed.
    Returns None, or the request another sending of the same key stored a moment before.
    """
    try:
        with transaction.atomic():
            consultation.save()
            if key is not None:
                key.consultation = consultation
                key.save()
            notify_clinic_after_commit(consultation, notification_address(clinic))
    except IntegrityError:
        earlier = request_for_key(key, language) if key is not None else None
        if earlier is None:
            raise
        return earlier
    return None

"""
The consultation-requests part of the API: apps send a patient's request; nothing is ever read back.

Ninja reads the body into ConsultationRequestIn, which only checks the JSON types; the same service
as the booking page (and so the same form, rules and translated messages) checks and stores the
request, so every error comes back in the requested language.
"""

import datetime
from functools import wraps
from typing import Annotated, Literal

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Header, Router, Schema
from ninja.decorators import decorate_view
from pydantic import ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from cms.clients import client_ip
from cms.problems import documented_errors, problem, problem_doc
from home.models import ClinicDetails

from .forms import ConsultationRequestForm
from .models import ConsultationRequest
from .services import (
    IdempotencyKeyReused,
    InvalidConsultationRequest,
    RateLimited,
    submit_consultation_request,
)
from .validators import INVALID_PHONE_MESSAGE

router = Router(tags=["consultations"])

# A request is a few short fields and at most 2,000 characters of text.
MAX_BODY_BYTES = 16 * 1024
MAX_IDEMPOTENCY_KEY_LENGTH = 100
# Printable ASCII (what an HTTP header carries as it was sent), without the spaces at either end
# that HTTP drops.
IDEMPOTENCY_KEY_PATTERN = f"^[!-~](?:[ -~]{{0,{MAX_IDEMPOTENCY_KEY_LENGTH - 2}}}[!-~])?$"

# Where the API reports a field of the body, as Ninja does for the `payload` parameter.
BODY_LOC = ("body", "payload")

# The booking form's message for a field sent with a value of the wrong JSON type or shape: what
# the form says of a value it cannot read (so missing, or not understood). A missing field gets
# its "required" message.
WRONG_TYPE_MESSAGES = {
    "name": "required",
    "phone": "required",
    "email": "invalid",
    "preferred_date": "invalid",
    "preferred_session": "required",
    "language": "invalid_choice",
    "consent": "required",
}


# Separators people group a phone number's digits with (consultations.validators allows any Unicode
# space; the API documents and takes the ASCII ones), and each way of writing a number it accepts:
# a mobile number bare, or after +91, 0091, 91 or 0; a landline after +91, 0091, 91 or 0.
_SEP = r"[ \t\n\r\f\v().-]*"
_NATIONAL = "[1-9]" + f"(?:{_SEP}[0-9]){{9}}"
_MOBILE = "[6-9]" + f"(?:{_SEP}[0-9]){{9}}"
PHONE_PATTERN = (
    f"^{_SEP}(?:"
    + "|".join(
        [
            rf"\+{_SEP}9{_SEP}1{_SEP}{_NATIONAL}",
            f"0{_SEP}0{_SEP}9{_SEP}1{_SEP}{_NATIONAL}",
            f"9{_SEP}1{_SEP}{_NATIONAL}",
            f"0{_SEP}{_NATIONAL}",
            _MOBILE,
        ]
    )
    + f"){_SEP}$"
)
# Text fields: no NUL character (the form refuses them), and a name is more than spaces.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
SESSION_PATTERN = "^[0-2][0-9]:[0-5][0-9]$"
# The site's languages, or "" for the request's.
CallbackLanguage = Literal[("", *dict(settings.LANGUAGES))]


class ConsultationRequestIn(Schema):
    """
    What an app sends. The constraints here are what the document declares and what is checked
    first (types, lengths, the phone's and session's shapes, consent); the booking form then checks
    what depends on the clinic (an open day within 8 weeks, that day's sessions). Every message is
    the form's, in the requested language.
    """

    name: str = Field(max_length=120, pattern=NOT_BLANK)
    phone: str = Field(
        pattern=PHONE_PATTERN,
        description="An Indian number: 10 digits, with or without +91, or a landline with STD code.",
    )
    email: str | None = Field(None, description="Optional.", json_schema_extra={"format": "email"})
    preferred_date: str = Field(
        description="A day the clinic is open, today to 8 weeks ahead: YYYY-MM-DD.",
        json_schema_extra={"format": "date"},
    )
    preferred_session: str = Field(
        pattern=SESSION_PATTERN,
        description="The start time of one of that day's sessions (see /opening-hours/), e.g. 16:00.",
    )
    reason: str | None = Field("", max_length=2000, pattern=NO_NUL)
    language: CallbackLanguage | None = Field(
        None,
        description="The language the patient wants to be called back in "
        "(empty or null: the language of the request).",
    )
    consent: Literal[True] = Field(description="Must be true: the patient agrees to be contacted.")

    @model_validator(mode="wrap")
    @classmethod
    def _errors_in_the_forms_words(cls, data, handler):
        """Each failed constraint is reported with the form's translated message for it."""
        try:
            return handler(data)
        except ValidationError as error:
            raise ValidationError.from_exception_data(
                cls.__name__, [_in_the_forms_words(line) for line in error.errors()]
            ) from None


def _in_the_forms_words(line):
    field = line["loc"][0] if line["loc"] else None
    code = form_error_code(field, line["type"], line.get("input"))
    message = line["msg"]
    form_field = ConsultationRequestForm.base_fields.get(field)
    if code == "invalid_phone":
        message = str(INVALID_PHONE_MESSAGE)
    elif code == "null_characters_not_allowed":
        message = str(ProhibitNullCharactersValidator.message)
    elif code is not None and form_field is not None:
        limit = (line.get("ctx") or {}).get("max_length")
        message = str(form_field.error_messages[code])
        if limit is not None:
            message = message % {"limit_value": limit, "show_value": len(line["input"])}
    return InitErrorDetails(
        type=PydanticCustomError(code or line["type"], message), loc=line["loc"], input=line["input"]
    )


def form_error_code(field, kind, value):
    """The code of the form's message for a failed constraint: what the form says of such a value."""
    if kind == "missing" or (isinstance(value, str) and field != "language" and not value.strip()):
        return "required"
    if kind == "string_too_long":
        return "max_length"
    if kind == "string_pattern_mismatch" and "\x00" in value:
        return "null_characters_not_allowed"
    if kind == "string_pattern_mismatch" and field == "phone":
        return "invalid_phone"
    return WRONG_TYPE_MESSAGES.get(field)


class ConsultationRequestCreated(Schema):
    reference: str = Field(description="Quote it to the clinic, e.g. CR-7KQ2MX.")
    status: str
    preferred_date: datetime.date
    preferred_session: str = Field(pattern=r"^\d\d:\d\d$", description="The session's start, HH:MM.")
    message: str = Field(description="What happens next, in the requested language.")

    @classmethod
    def of(cls, consultation):
        return cls(
            reference=consultation.reference,
            status=ConsultationRequest.Status.NEW,
            preferred_date=consultation.preferred_date,
            preferred_session=f"{consultation.preferred_session:%H:%M}",
            message=translation.gettext(
                "Thank you. The clinic will call you to confirm a time for your consultation."
            ),
        )


def json_object_body(max_bytes):
    """
    Answer what is not a JSON object of at most `max_bytes` before Ninja reads the body: 415 for
    another media type, 413 when too large, 400 when it is not an object (an array, a number, empty;
    malformed JSON is Ninja's 400).
    """

    def decorator(run):
        @wraps(run)
        def checked(request, *args, **kwargs):
            if request.content_type != "application/json":
                return problem(415, "Send the request as application/json.")
            try:
                length = int(request.headers.get("Content-Length") or 0)
            except ValueError:
                return problem(400, "Malformed Content-Length header.")
            if length > max_bytes:
                return problem(413, f"The body may be at most {max_bytes} bytes.")
            # A JSON text is an object exactly when it starts with "{".
            if not request.body.lstrip(b" \t\r\n").startswith(b"{"):
                return problem(400, "The body must be a JSON object.")
            return run(request, *args, **kwargs)

        return checked

    return decorator


IDEMPOTENCY_KEY_DESCRIPTION = (
    "Send the same key when retrying: the first request's result comes back and no second request "
    "is stored. Keys are your own (per API token, else per address) and are kept for 24 hours; the "
    f"same key with other details is a 422. 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters."
)


def bearer_token(request):
    """The API token the client sent, if any (this endpoint needs none; it only scopes idempotency keys)."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


ERRORS = documented_errors(413, 415, 429)["responses"] | {
    "400": problem_doc("The body is not a JSON object, or a header is malformed."),
    "422": problem_doc(
        "Some fields are wrong: `errors` lists each, with the form's message in the requested language. "
        "Or the Idempotency-Key was already used with other details (`errors` points to the header)."
    ),
}


@router.post(
    "/consultation-requests/",
    response={201: ConsultationRequestCreated},
    summary="Ask for a consultation",
    operation_id="consultation_requests_create",
    openapi_extra={"responses": ERRORS},
)
@decorate_view(json_object_body(MAX_BODY_BYTES))
def create_consultation_request(
    request: HttpRequest,
    payload: ConsultationRequestIn,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description=IDEMPOTENCY_KEY_DESCRIPTION,
            pattern=IDEMPOTENCY_KEY_PATTERN,  # else a 400 (cms.problems.validation_failed)
        ),
    ] = None,
):
    """
    Store a patient's request for a consultation; the clinic calls back. Errors are in the
    language chosen with `?lang=` or Accept-Language. Requests are never readable over the API.
    """
    key = idempotency_key
    try:
        consultation = submit_consultation_request(
            payload.model_dump(),
            clinic=ClinicDetails.for_request(request),
            language=translation.get_language(),
            client_ip=client_ip(request),
            source=ConsultationRequest.Source.API,
            idempotency_key=key,
            client_token=bearer_token(request),
        )
    except IdempotencyKeyReused as error:
        where = ["header", "Idempotency-Key"]
        return problem(422, error.message, errors=[{"type": "reused", "loc": where, "msg": error.message}])
    except RateLimited as error:
        response = problem(429, error.message)
        response["Retry-After"] = str(error.retry_after)
        return response
    except InvalidConsultationRequest as error:
        return problem(
            422,
            error.message,
            errors=[
                {"type": item["code"] or "invalid", "loc": [*BODY_LOC, field], "msg": item["message"]}
                for field, items in error.form.errors.get_json_data().items()
                for item in items
            ],
        )
    return ConsultationRequestCreated.of(consultation)

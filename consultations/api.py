"""
The consultation-requests part of the API: apps send a patient's request; nothing is ever read back.

The body is parsed here and checked by the same service (and so the same form, rules and
translated messages) as the site's booking page, so errors come back in the requested language.
"""

import datetime
import json

from django.http import HttpRequest, JsonResponse
from django.utils import translation
from ninja import Field, Router, Schema
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail

from cms.problems import problem
from home.models import ClinicDetails

from .models import ConsultationRequest
from .ratelimit import client_ip
from .services import InvalidConsultationRequest, RateLimited, submit_consultation_request

router = Router(tags=["consultations"])

# A request is a few short fields and at most 2,000 characters of text.
MAX_BODY_BYTES = 16 * 1024
MAX_IDEMPOTENCY_KEY_LENGTH = 100


class ConsultationRequestIn(Schema):
    """What an app sends. Checked like the booking form: see the error messages for each field."""

    name: str = Field(max_length=120)
    phone: str = Field(
        description="An Indian number: 10 digits, with or without +91, or a landline with STD code."
    )
    email: str = Field("", description="Optional.")
    preferred_date: datetime.date = Field(description="A day the clinic is open, today to 8 weeks ahead.")
    preferred_session: str = Field(
        pattern=r"^\d\d:\d\d$",
        description="The start time of one of that day's sessions (see /opening-hours/), e.g. 16:00.",
    )
    reason: str = Field("", max_length=2000)
    language: str = Field(description="The language the patient wants to be called back in: en or ta.")
    consent: bool = Field(description="Must be true: the patient agrees to be contacted.")


class ConsultationRequestCreated(Schema):
    reference: str = Field(description="Quote it to the clinic, e.g. CR-7KQ2MX.")
    status: str
    preferred_date: datetime.date
    preferred_session: str
    message: str = Field(description="What happens next, in the requested language.")


def problem_schema():
    return {PROBLEM_JSON: {"schema": ProblemDetail.model_json_schema()}}


OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ConsultationRequestIn.model_json_schema()}},
    },
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": MAX_IDEMPOTENCY_KEY_LENGTH},
            "description": "Send the same key when retrying: the first request's result comes back "
            "and no second request is stored.",
        }
    ],
    "responses": {
        "400": {
            "description": "The body is not a JSON object, or a header is malformed.",
            "content": problem_schema(),
        },
        "413": {"description": "The body is too large.", "content": problem_schema()},
        "415": {"description": "The body is not application/json.", "content": problem_schema()},
        "422": {
            "description": "Some fields are wrong: `errors` lists each, in the requested language.",
            "content": problem_schema(),
        },
        "429": {
            "description": "Too many requests from this address; see Retry-After.",
            "content": problem_schema(),
        },
    },
}


def created(consultation):
    body = {
        "reference": consultation.reference,
        "status": ConsultationRequest.Status.NEW,
        "preferred_date": consultation.preferred_date.isoformat() if consultation.preferred_date else None,
        "preferred_session": (
            f"{consultation.preferred_session:%H:%M}" if consultation.preferred_session else None
        ),
        "message": translation.gettext(
            "Thank you. The clinic will call you to confirm a time for your consultation."
        ),
    }
    return JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})


@router.post(
    "/consultation-requests/",
    response={201: ConsultationRequestCreated},
    summary="Ask for a consultation",
    operation_id="consultation_requests_create",
    openapi_extra=OPENAPI,
)
def create_consultation_request(request: HttpRequest):
    """
    Store a patient's request for a consultation; the clinic calls back. Errors are in the
    language chosen with `?lang=` or Accept-Language. Requests are never readable over the API.
    """
    content_type = request.content_type or ""
    if content_type != "application/json":
        return problem(415, "Send the request as application/json.")
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return problem(400, "Malformed Content-Length header.")
    if length > MAX_BODY_BYTES:
        return problem(413, f"The body may be at most {MAX_BODY_BYTES} bytes.")
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= MAX_IDEMPOTENCY_KEY_LENGTH and key.isprintable()):
        return problem(
            400, f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} printable characters."
        )
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return problem(400, "The body is not valid JSON.")
    if not isinstance(data, dict):
        return problem(400, "The body must be a JSON object.")
    data.pop("website", None)  # the site's honeypot means nothing for an app

    language = translation.get_language()
    try:
        consultation = submit_consultation_request(
            data,
            clinic=ClinicDetails.for_request(request),
            language=language,
            client_ip=client_ip(request),
            source=ConsultationRequest.Source.API,
            idempotency_key=key,
        )
    except RateLimited as error:
        response = problem(429, error.message)
        response["Retry-After"] = str(error.retry_after)
        return response
    except InvalidConsultationRequest as error:
        return problem(
            422,
            error.message,
            errors=[
                {"loc": ["body", field], "msg": message, "type": "invalid"}
                for field, messages in error.errors.items()
                for message in messages
            ],
        )
    return created(consultation)

"""API errors as RFC 7807 problem details, the format Wagtail's API v3 uses, and their documentation."""

import json
from http import HTTPStatus

from django.http import HttpResponse
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail

ERROR_DESCRIPTIONS = {
    400: "Bad request: an unknown parameter, an unsupported `lang`, or a value that makes no sense.",
    401: "A bearer token is required.",
    403: "The token's user may not do this.",
    404: "Not found, or not public.",
    413: "The request body is too large.",
    415: "Unsupported content type.",
    422: "A parameter failed validation; `errors` says which.",
    429: "Too many requests; see Retry-After.",
}


def problem(status, detail, **extra):
    """An error response: `detail` for people, `extra` (e.g. `errors`) for programs."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
    }
    body.update(extra)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=f"{PROBLEM_JSON}; charset=utf-8"
    )


def documented_errors(*statuses):
    """`openapi_extra` for an operation: the error responses it may give, as problem+json."""
    schema = ProblemDetail.model_json_schema()
    return {
        "responses": {
            str(status): {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {PROBLEM_JSON: {"schema": schema}},
            }
            for status in statuses
        }
    }

"""API errors as RFC 7807 problem details, the format Wagtail's API v3 uses, and their documentation."""

import json

from django.http import HttpResponse
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail

ERROR_DESCRIPTIONS = {
    400: "Bad request: an unknown parameter, an unsupported `lang`, or a value that makes no sense.",
    401: "A bearer token is required.",
    403: "The token's user may not do this.",
    404: "Not found, or not public.",
    422: "A parameter failed validation; `errors` says which.",
}


def problem(status, detail, **extra):
    body = {"type": "about:blank", "title": "Bad Request", "status": status, "detail": detail, **extra}
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)


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

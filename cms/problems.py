"""API errors: Wagtail v3's RFC 7807 problem responses, the checks every endpoint shares, and their docs."""

from ninja.errors import HttpError
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail, problem_response

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


def problem(status, detail, errors=None):
    """An error response as Wagtail's API gives them: `detail` for people, `errors` for programs."""
    return problem_response(status=status, detail=str(detail), errors=errors)


def reject_unknown_parameters(request, names=()):
    """A 400 naming the query parameters this endpoint does not know, rather than ignoring them."""
    unknown = sorted(set(request.GET) - set(names))
    if unknown:
        supported = ", ".join(sorted(names)) or "none"
        raise HttpError(400, f"Unknown query parameter(s): {', '.join(unknown)}. Supported: {supported}.")


def documented_errors(*statuses):
    """`openapi_extra` for an operation: the error responses it may give, as problem+json."""
    return {"responses": {str(status): problem_doc(ERROR_DESCRIPTIONS[status]) for status in statuses}}


def problem_doc(description):
    """One documented problem+json response."""
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": ProblemDetail.model_json_schema()}},
    }

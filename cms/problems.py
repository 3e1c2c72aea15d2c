"""API errors: Wagtail v3's RFC 7807 problem responses, the checks every endpoint shares, and their docs."""

from django.db import IntegrityError
from django.utils.translation import gettext
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail, problem_response
from wagtail.utils.forms import FormValidationError

ERROR_DESCRIPTIONS = {
    400: "Bad request: an unknown parameter, an unsupported `lang`, a value that makes no sense, or a "
    "query parameter that is malformed (a date not in ISO 8601; `errors` says which and the format).",
    401: "A bearer token is required.",
    403: "The token's user may not do this.",
    404: "Not found, or not public.",
    409: "The change conflicts with data stored meanwhile (e.g. a slug taken a moment before): "
    "read the current state and try again.",
    413: "The request body is too large.",
    415: "Unsupported content type.",
    422: "A field of the body (or path) failed validation; `errors` says which.",
    429: "Too many requests; see Retry-After.",
}

# Wagtail's problem responses name no charset; the API's say UTF-8, as its other JSON does.
PROBLEM_CONTENT_TYPE = f"{PROBLEM_JSON}; charset=utf-8"


def problem(status, detail, errors=None):
    """An error response as Wagtail's API gives them: `detail` for people, `errors` for programs."""
    return with_charset(problem_response(status=status, detail=str(detail), errors=errors))


def with_charset(response):
    """`response`, if it is problem+json without a charset, saying that it is UTF-8."""
    if response.get("Content-Type") == PROBLEM_JSON:
        response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def reject_unknown_parameters(request, names=()):
    """A 400 naming the query parameters this endpoint does not know, rather than ignoring them."""
    unknown = sorted(set(request.GET) - set(names))
    if unknown:
        supported = ", ".join(sorted(names)) or "none"
        raise HttpError(400, f"Unknown query parameter(s): {', '.join(unknown)}. Supported: {supported}.")


def documented_errors(*statuses):
    """`openapi_extra` for an operation: the error responses it may give, as problem+json."""
    return {"responses": {str(status): problem_doc(ERROR_DESCRIPTIONS[status]) for status in statuses}}


# One schema for every documented error, in the document's components (cms.openapi puts it there):
# repeated inline, client generators make a class of each copy, and clash.
PROBLEM_SCHEMA_NAME = ProblemDetail.__name__


def problem_doc(description):
    """One documented problem+json response."""
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA_NAME}"}}},
    }


def validation_failed(request, exc):
    """
    Wagtail's 422 for a request Ninja could not validate, with its summary in the request's
    language, as the messages in `errors` are where the endpoint gives its own. A malformed query
    parameter (a date that is not ISO 8601) or header is a 400, as the rest of the query's mistakes
    are: the request is wrong, not its content; a body that fails validation stays a 422.
    """
    status = 400 if exc.errors and all(in_query_or_headers(error) for error in exc.errors) else 422
    return problem(status, gettext("Some values are not valid: `errors` says which."), errors=exc.errors)


def in_query_or_headers(error):
    """Whether a validation error of Ninja's is about a query parameter or a header."""
    return tuple(error.get("loc") or ())[:1] in {("query",), ("header",)}


def conflict(request, exc):
    """
    A write that broke a uniqueness rule the form could not see coming (another request stored the
    same slug between the form's check and the save): a 409, not a 500.
    """
    return problem(409, ERROR_DESCRIPTIONS[409])


# The codes Django's forms give a value another item already has (a slug, a site's hostname and port).
UNIQUENESS_CODES = {"unique", "unique_together"}


def form_conflict(request, exc):
    """
    Wagtail's write forms refuse a value another item already has (a category's slug, a site's
    hostname and port) as they refuse any invalid one; the request is valid and meets stored data:
    a 409 naming the fields, as the database's own refusal (conflict()). Any other form error stays
    Wagtail's 422.
    """
    errors = [
        {"type": code, "loc": list(path), "msg": message}
        for path, coded_messages in exc.loc_errors
        for message, code in coded_messages
    ]
    if errors and all(error["type"] in UNIQUENESS_CODES for error in errors):
        return problem(409, ERROR_DESCRIPTIONS[409], errors=errors)
    return problem(422, gettext("Validation failed"), errors=errors)


def register_problem_handlers(api):
    api.add_exception_handler(NinjaValidationError, validation_failed)
    api.add_exception_handler(FormValidationError, form_conflict)
    api.add_exception_handler(IntegrityError, conflict)

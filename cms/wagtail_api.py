"""
What the project changes in Wagtail's shared v3 API instance: JSON written as UTF-8, the OpenAPI
document rendered the same way, and Wagtail's pages endpoints kept for editors' tokens.
"""

from ninja.errors import AuthenticationError
from ninja.openapi.views import openapi_json
from ninja.renderers import JSONRenderer
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

APPS_READ_ARTICLES = (
    "Wagtail's pages endpoints are for editors' tools: send `Authorization: Bearer <API token>`. "
    "Apps read articles at /api/v3/articles/ (by id, or /api/v3/articles/find/?path=…), in the "
    "language chosen with `lang` or Accept-Language."
)


class UTF8JSONRenderer(JSONRenderer):
    """
    JSON as UTF-8 text, without spaces after separators: a Tamil letter is 3 bytes instead of the
    6 of a `\\uXXXX` escape.
    """

    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}

    def render(self, request, data, *, response_status):
        text = super().render(request, data, response_status=response_status)
        # A lone surrogate (only ever inside a string) cannot be UTF-8: it is written as the JSON
        # escape it stands for, instead of failing the response.
        return text.encode(self.charset, "backslashreplace")


def render_openapi_document_with_renderer(api):
    """
    Ninja serves the OpenAPI document with its own JsonResponse, which escapes every non-ASCII
    character; this serves it through `api.create_response`, as every other response, keeping
    the API's docs_decorator (Wagtail's WAGTAILAPI_DOCS_ENABLED switch).
    """
    decorate = api.docs_decorator or (lambda view: view)

    def docs_decorator(view):
        if getattr(view, "func", None) is openapi_json:

            def view(request, **kwargs):
                return api.create_response(request, api.get_openapi_schema(path_params=kwargs), status=200)

        return decorate(view)

    api.docs_decorator = docs_decorator


class EditorTokenAuth(BearerTokenAuth):
    """Wagtail's bearer token; without one, a 401 that says where apps read articles instead."""

    def __call__(self, request):
        token = super().__call__(request)
        if not token:
            raise AuthenticationError(message=APPS_READ_ARTICLES)
        return token


def require_token_to_read(router):
    """
    The operations of `router` that Wagtail opens to anonymous clients need an API token instead.

    Wagtail's pages endpoints serve every page type in Wagtail's own shape, with `meta.locale`
    from Wagtail's per-tree translations (always the default language here, as the text follows
    `lang`), without `fallback_fields`, and with the expiry of pages left to publish_scheduled:
    apps get all of that right from /api/v3/articles/, the one documented way to read an article.
    """
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if any(isinstance(auth, AllowAnonymous) for auth in operation.auth_callbacks):
                operation.auth_callbacks = [EditorTokenAuth()]
                operation.description = APPS_READ_ARTICLES

"""
What the project changes in Wagtail's shared v3 API instance: JSON written as UTF-8, and the
OpenAPI document rendered the same way.
"""

from ninja.openapi.views import openapi_json
from ninja.renderers import JSONRenderer


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

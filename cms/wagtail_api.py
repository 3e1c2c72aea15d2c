"""
What the project changes in Wagtail's shared v3 API instance: JSON written as UTF-8, the OpenAPI
document rendered the same way, Wagtail's pages endpoints kept for editors' tokens, and its
redirects, images and documents for the editors who manage them.
"""

import json
import types
import typing
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError
from ninja.openapi.views import openapi_json
from ninja.renderers import JSONRenderer
from pydantic import BaseModel
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.permissions import require_any_permission
from wagtail.api.v3.routers.pages import router as pages_router
from wagtail.api.v3.routers.sites import router as sites_router
from wagtail.contrib.redirects.api.v3 import router as redirects_router
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import resolve_model_string
from wagtail.documents import get_document_model
from wagtail.documents.api.v3.router import router as documents_router
from wagtail.images import get_image_model
from wagtail.images.api.v3.router import router as images_router
from wagtail.models import Page
from wagtail.snippets.api.v3.router import router as snippets_router

from cms.middleware import MAX_NUMBER
from cms.pages import find_site
from cms.problems import documented_errors, problem, reject_unknown_parameters

APPS_READ_ARTICLES = (
    "Wagtail's pages endpoints are for editors' tools: send `Authorization: Bearer <API token>`. "
    "Apps read articles at /api/v3/articles/ (by id, or /api/v3/articles/find/?path=…), in the "
    "language chosen with `lang` or Accept-Language."
)
EDITORS_MANAGE_THESE = (
    "Redirects, images and documents are the editors': send `Authorization: Bearer <API token>` of "
    "a user who may manage them in the admin. Apps get an article's images from /api/v3/articles/, "
    "and documents by their /documents/… links, which check a private collection's restriction."
)
# Wagtail lets anonymous clients read these; here the redirects list every old path, external links
# with their query strings and the ids of private pages, and the image and document libraries hold
# uploads no public page uses (yet, or any more). Reading one takes what listing it in the admin does.
EDITORS_ONLY = [
    (redirects_router, Redirect, ("add", "change", "delete")),
    (images_router, get_image_model(), ("add", "change", "delete", "choose")),
    (documents_router, get_document_model(), ("add", "change", "delete", "choose")),
]


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
    """Wagtail's bearer token; without one, a 401 that says what to do instead (`message`)."""

    def __init__(self, message=APPS_READ_ARTICLES):
        super().__init__()
        self.message = message

    def __call__(self, request):
        token = super().__call__(request)
        if not token:
            raise AuthenticationError(message=self.message)
        return token


def require_token_to_read(router, message=APPS_READ_ARTICLES, permission=None):
    """
    The operations of `router` that Wagtail opens to anonymous clients need an API token instead;
    with `permission`, (model, actions), one whose user may do one of `actions` to `model` in the
    admin (else 403).

    Wagtail's pages endpoints serve every page type in Wagtail's own shape, with `meta.locale`
    from Wagtail's per-tree translations (always the default language here, as the text follows
    `lang`), without `fallback_fields`, and with the expiry of pages left to publish_scheduled:
    apps get all of that right from /api/v3/articles/, the one documented way to read an article.
    """
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if any(isinstance(auth, AllowAnonymous) for auth in operation.auth_callbacks):
                operation.auth_callbacks = [EditorTokenAuth(message)]
                operation.description = message
                if permission is not None:
                    model, actions = permission
                    operation.view_func = require_any_permission(model, actions)(operation.view_func)
                    extra = operation.openapi_extra or {}
                    responses = {**extra.get("responses", {}), **documented_errors(401, 403)["responses"]}
                    operation.openapi_extra = {**extra, "responses": responses}


def require_editor_tokens():
    """Reading redirects, images and documents takes an editor's token (see EDITORS_ONLY)."""
    for router, model, actions in EDITORS_ONLY:
        require_token_to_read(router, EDITORS_MANAGE_THESE, permission=(model, actions))


# Wagtail's page actions that need the page's parent, which the tree's root has not (a 500 in
# Wagtail); the admin offers none of them for the root either.
ROOT_PAGE_ACTIONS = {"copy", "move", "create_alias"}


def refuse_root_page_actions():
    """
    Copying, moving or aliasing the root page is a 403, as the admin's permissions say; moving a
    page beside the root (which would leave it without a parent) is a 403 too.
    """

    def refuse_root(view_func):
        @wraps(view_func)
        def view(request, *args, page_id, **kwargs):
            if Page.objects.filter(pk=page_id, depth=1).exists():
                return problem(403, "The root page cannot be copied, moved or aliased.")
            return view_func(request, *args, page_id=page_id, **kwargs)

        return view

    wrap_operations(pages_router, ROOT_PAGE_ACTIONS, refuse_root)

    def refuse_beside_root(view_func):
        @wraps(view_func)
        def view(request, *args, data, **kwargs):
            # Without a "-child" position the destination is the new sibling, so its parent is the
            # new parent: the root has none, and Wagtail fails looking for it.
            beside = not (data.position or "").endswith("-child")
            if beside and Page.objects.filter(pk=data.destination_id, depth=1).exists():
                # A 403, as Wagtail answers for every other place the page cannot go.
                message = 'Nothing can be moved beside the root page: give the position "last-child".'
                return problem(403, message)
            return view_func(request, *args, data=data, **kwargs)

        return view

    wrap_operations(pages_router, {"move"}, refuse_beside_root)


def root_needs_a_site():
    """
    `child_of=root` and `descendant_of=root` name the root page of the request's site: a 404 when
    no site serves the request's host (none is the default), where Wagtail fails.
    """

    def check_site(view_func):
        @wraps(view_func)
        def view(request, *args, **kwargs):
            names_root = "root" in (request.GET.get("child_of"), request.GET.get("descendant_of"))
            if names_root and find_site(request) is None:
                return problem(404, "No site serves this host, so there is no root page to list from.")
            return view_func(request, *args, **kwargs)

        return view

    wrap_operations(pages_router, {"list_pages"}, check_site)


def snippet_keys_of_their_type():
    """
    A snippet's path gives its key as text, which Wagtail hands to the database as it is (a 500 for
    "abc" where keys are numbers): a key its type's primary key cannot take is a 404.
    """

    def check_key(view_func):
        @wraps(view_func)
        def view(request, *args, type, pk, **kwargs):
            try:
                resolve_model_string(type)._meta.pk.to_python(pk)
            except (ValidationError, ValueError, LookupError):
                raise Http404(f"No {type} snippet has the key {pk!r}.") from None
            return view_func(request, *args, type=type, pk=pk, **kwargs)

        return view

    names = {operation.view_func.__name__ for _path, operation in all_operations(snippets_router)}
    wrap_operations(snippets_router, names - {"list_snippets", "create_snippet"}, check_key, needs="pk")


# The query parameters Wagtail's pages/find takes (its document says the same), and the API's own.
FIND_PAGE_PARAMETERS = {"id", "html_path", "site", "version", "lang"}


def find_page_knows_its_parameters():
    """
    Wagtail's pages/find ignores query parameters it does not know (its lists refuse them): a 400
    naming them, as everywhere else, so a misspelt `html_path` is not a redirect to the wrong page.
    """

    def check_parameters(view_func):
        @wraps(view_func)
        def view(request, *args, **kwargs):
            reject_unknown_parameters(request, FIND_PAGE_PARAMETERS)
            return view_func(request, *args, **kwargs)

        return view

    wrap_operations(pages_router, {"find_page"}, check_parameters)


# Wagtail's routers that take a body to write.
WRITE_ROUTERS = (
    pages_router,
    sites_router,
    redirects_router,
    images_router,
    documents_router,
    snippets_router,
)


def bodies_as_declared():
    """
    Wagtail validates its write bodies in pydantic's lax mode, which takes `0` or `"yes"` for a
    boolean and `true` or `"2"` for a whole number; the document declares JSON booleans and
    integers, and an image's focal point within what its database column holds (0 to 2**31-1, which
    SQLite does not check). A body's value that is not what its field declares is a 422, before
    Wagtail saves anything.
    """

    def check_body(view_func):
        @wraps(view_func)
        def view(request, *args, **kwargs):
            errors = undeclared_values(request, kwargs.get("data"))
            if errors:
                return problem(422, "Some values are not valid: `errors` says which.", errors=errors)
            return view_func(request, *args, **kwargs)

        return view

    for router in WRITE_ROUTERS:
        names = {operation.view_func.__name__ for _path, operation in all_operations(router)}
        wrap_operations(router, names, check_body)


def undeclared_values(request, data):
    """Validation errors, as Ninja's, for the top-level values of the body `data` was read from."""
    data = getattr(data, "root", data)  # a union of snippet types
    if not isinstance(data, BaseModel):
        return []
    sent = {}
    if request.content_type == "application/json" and request.body:
        try:
            sent = json.loads(request.body)
        except ValueError:
            sent = {}
    errors = []
    for name, field in type(data).model_fields.items():
        key = field.alias or name
        kind = scalar_kind(field.annotation)
        value = sent.get(key) if isinstance(sent, dict) else None
        if kind is bool and value is not None and not isinstance(value, bool):
            errors.append(body_error(key, "bool_type", "Input should be a boolean"))
        elif kind is int and value is not None and not is_json_integer(value):
            errors.append(body_error(key, "int_type", "Input should be an integer"))
        elif name.startswith("focal_point_") and not 0 <= (getattr(data, name, None) or 0) <= MAX_NUMBER:
            errors.append(body_error(key, "less_than_equal", f"Input should be from 0 to {MAX_NUMBER}"))
    return errors


def is_json_integer(value):
    """Whether `value`, read from JSON, is an integer as JSON Schema says: 2.0 is, true and "2" are not."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def body_error(key, type_, message):
    """One of Ninja's validation errors, for the body's `key`."""
    return {"type": type_, "loc": ["body", "data", key], "msg": message}


def scalar_kind(annotation):
    """bool or int if `annotation` is that type (or that type or None), else None."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        parts = [part for part in typing.get_args(annotation) if part is not type(None)]
        annotation = parts[0] if len(parts) == 1 else None
    return annotation if annotation in (bool, int) else None


def all_operations(router, prefix=""):
    """(path, operation) for each operation of `router` and of the routers under it."""
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            yield prefix + path, operation
    for sub_prefix, sub_router, _tags in router._routers:
        yield from all_operations(sub_router, prefix + sub_prefix)


def wrap_operations(router, names, decorator, needs=None):
    """Decorate the view functions called `names` of `router`'s operations (with a `needs` path parameter)."""
    for path, operation in all_operations(router):
        if operation.view_func.__name__ in names and (needs is None or f"{{{needs}}}" in path):
            operation.view_func = decorator(operation.view_func)

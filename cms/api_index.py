"""The API's front door, GET /api/v3/: its name, version and languages, and where everything else is."""

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Router, Schema
from wagtail.api.v3.api import api

from cms.problems import documented_errors, reject_unknown_parameters

router = Router(tags=["index"])


class LanguageInfo(Schema):
    code: str = Field(description="The value for `lang` (or Accept-Language).")
    name: str = Field(description="The language's name in the requested language.")
    name_local: str = Field(description="The language's name in itself.")
    default: bool = Field(description="Text not translated yet comes in the default language.")


class ApiIndex(Schema):
    name: str
    version: str
    languages: list[LanguageInfo]
    openapi: str = Field(description="The OpenAPI 3.1 document describing every endpoint.")
    docs: str = Field(description="The interactive documentation (Swagger UI).")
    endpoints: dict[str, str] = Field(
        description="Where to start: each endpoint that takes no path parameter (collections such as "
        "`articles`, and `clinic`, `opening-hours`, ...), by name. The OpenAPI document has the rest."
    )


@router.get(
    "/",
    response=ApiIndex,
    summary="The API's index",
    operation_id="api_index",
    openapi_extra=documented_errors(400),
)
def api_index(request: HttpRequest):
    reject_unknown_parameters(request)
    namespace = api.urls_namespace
    return {
        "name": api.title,
        "version": api.version,
        "languages": [
            {
                "code": code,
                "name": str(name),
                "name_local": translation.get_language_info(code)["name_local"],
                "default": code == settings.LANGUAGE_CODE,
            }
            for code, name in settings.LANGUAGES
        ],
        "openapi": request.build_absolute_uri(reverse(f"{namespace}:openapi-json")),
        "docs": request.build_absolute_uri(reverse(f"{namespace}:openapi-view")),
        "endpoints": {name: request.build_absolute_uri(path) for name, path in starting_points(request.path)},
    }


@functools.cache
def starting_points(root):
    """(name, path) of each path in the API's document under `root` that has no path parameter."""
    paths = api.get_openapi_schema(path_prefix=root)["paths"]
    return tuple(
        sorted(
            (path.removeprefix(root).strip("/"), path)
            for path in paths
            if path != root and "{" not in path and not path.endswith("/find/")
        )
    )

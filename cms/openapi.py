"""
The API's OpenAPI document as other apps read it: what Wagtail's v3 API and django-ninja generate, made
valid OpenAPI 3.1 and true for this project (languages chosen with `lang`, nothing that cannot answer).
"""

import copy
from functools import wraps

from django.conf import settings
from wagtail.api.v3.schemas.pages import BASE_PAGE_READ_FIELDS
from wagtail.api.validators import OrderingValidator
from wagtail.contrib.redirects.api.v3.router import BASE_REDIRECT_READ_FIELDS
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.documents.api.v3.router import BASE_DOCUMENT_READ_FIELDS
from wagtail.images import get_image_model
from wagtail.images.api.v3.router import BASE_IMAGE_READ_FIELDS
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

from cms.i18n import supported_languages
from cms.language_parameters import declare_language_parameters
from cms.middleware import MAX_NUMBER
from cms.problems import PROBLEM_SCHEMA_NAME, ProblemDetail, documented_errors

# Query parameters Wagtail documents that this project answers with a 400 or nothing: its per-tree
# translations (WAGTAIL_I18N_ENABLED) are off; languages are chosen with `lang` (cms.middleware).
UNUSED_PARAMETERS = {"locale", "translation_of"}
# Operations that answer only 404 while Wagtail's per-tree translations are off.
PER_TREE_TRANSLATION_OPERATIONS = {
    "pages_actions_copy_for_translation",
    "snippets_actions_copy_for_translation",
}

REF = "#/components/{}/{}"


def publish_complete_document(api, every_language_tags=()):
    """
    Have `api` serve (at openapi.json, and to the docs page) its generated document as complete_document()
    makes it, with `lang=*` and `fallback` declared on the operations tagged one of `every_language_tags`.
    NinjaAPI has no hook for this; its views call `api.get_openapi_schema()`, so that is wrapped.
    """
    generate = api.get_openapi_schema

    @wraps(generate)
    def get_openapi_schema(*args, **kwargs):
        return complete_document(generate(*args, **kwargs), every_language_tags)

    api.get_openapi_schema = get_openapi_schema


def complete_document(document, every_language_tags=()):
    """The generated document, valid and true: a new dict, `document` is left as it was."""
    document = copy.deepcopy(dict(document))
    drop_uncallable_operations(document)
    for operation in operations(document):
        operation["parameters"] = [
            example_list_as_map(parameter)
            for parameter in operation.get("parameters", [])
            if not (parameter.get("in") == "query" and parameter.get("name") in UNUSED_PARAMETERS)
        ]
        optional_body_without_default(operation)
    anonymous_access_as_no_security(document)
    declare_common_errors(document)
    declare_page_size_limit(document)
    declare_32_bit_numbers(document)
    declare_query_text(document)
    declare_filters_that_exclude_each_other(document)
    declare_text_that_may_not_be_blank(document)
    declare_image_uploads(document)
    declare_local_times(document)
    declare_snippet_bodies_typed_by_path(document)
    # The one error schema cms.problems.problem_doc refers to.
    document.setdefault("components", {}).setdefault("schemas", {})[PROBLEM_SCHEMA_NAME] = (
        ProblemDetail.model_json_schema()
    )
    declare_languages(document)
    declare_language_parameters(document, every_language_tags)
    return document


def operations(document):
    """Every operation object of the document."""
    for _method, operation in operations_by_method(document):
        yield operation


def operations_by_method(document):
    """Every operation object of the document, with its (lower-case) method."""
    for path_item in document.get("paths", {}).values():
        yield from path_item.items()


WRITES = {"post", "put", "patch", "delete"}


def declare_languages(document):
    """
    Every operation takes the language of its text (and of its error messages) from `lang`, else the
    Accept-Language header (cms.middleware.LanguageMiddleware, for the whole API), and says it in
    Content-Language: declared once in components, referred to by each operation.
    """
    codes = supported_languages()  # the values `lang` takes
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Language"] = {
        "title": "Language",
        "type": "string",
        "enum": codes,
        "description": "A language code from the site's languages; the first is the default.",
    }
    components.setdefault("parameters", {}).update(
        lang={
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "The language of the response's text. Takes precedence over Accept-Language; "
            f"default {settings.LANGUAGE_CODE}. Untranslated text falls back to {settings.LANGUAGE_CODE} "
            "(named in `meta.fallback_fields`). Any other value is a 400.",
            "schema": {"$ref": REF.format("schemas", "Language")},
        },
        AcceptLanguage={
            "name": "Accept-Language",
            "in": "header",
            "required": False,
            "description": "Used when there is no `lang`: the first supported language it lists "
            f"({', '.join(codes)}), else {settings.LANGUAGE_CODE}.",
            "schema": {"type": "string", "examples": ["ta", "ta-IN,ta;q=0.9,en;q=0.8"]},
        },
    )
    components.setdefault("headers", {})["Content-Language"] = {
        "description": "The language of the response's text.",
        "schema": {"type": "string", "examples": codes},
    }
    for operation in operations(document):
        operation["parameters"] += [
            {"$ref": REF.format("parameters", "lang")},
            {"$ref": REF.format("parameters", "AcceptLanguage")},
        ]
        for response in operation.get("responses", {}).values():
            response.setdefault("headers", {})["Content-Language"] = {
                "$ref": REF.format("headers", "Content-Language")
            }


def drop_uncallable_operations(document):
    """
    Leave out the operations no request can reach: Wagtail documents the snippet operations that need a
    model with revisions, draft state or translations with a `type` that may only be "" (no snippet
    model here has them), and its copy-for-translation actions answer 404 while per-tree translations
    are off.
    """
    for path, path_item in list(document.get("paths", {}).items()):
        for method, operation in list(path_item.items()):
            if any(is_empty_path_parameter(parameter) for parameter in operation.get("parameters", [])) or (
                operation.get("operationId") in PER_TREE_TRANSLATION_OPERATIONS
                and not getattr(settings, "WAGTAIL_I18N_ENABLED", False)
            ):
                del path_item[method]
        if not path_item:
            del document["paths"][path]


def is_empty_path_parameter(parameter):
    """A path parameter that may only be the empty string, which no URL can carry."""
    return parameter.get("in") == "path" and parameter.get("schema", {}).get("const") == ""


def example_list_as_map(parameter):
    """
    django-ninja copies a field's JSON Schema `examples` (a list) to the parameter, where OpenAPI wants
    a map of Example Objects: give each a name.
    """
    examples = parameter.get("examples")
    if isinstance(examples, list):
        parameter["examples"] = {
            f"example {number}": {"value": value} for number, value in enumerate(examples, 1)
        }
    return parameter


def optional_body_without_default(operation):
    """
    Wagtail gives an optional request body (its page actions' options) as `allOf: [model]` with the
    model's defaults as a `default`, which client generators refuse: the plain model says the same, as
    each of its fields has its default and the body may be left out.
    """
    body = operation.get("requestBody", {})
    for media in body.get("content", {}).values() if not body.get("required") else ():
        schema = media.get("schema", {})
        if "default" in schema and len(schema.get("allOf", [])) == 1 and set(schema) <= {"allOf", "default"}:
            media["schema"] = schema["allOf"][0]


def anonymous_access_as_no_security(document):
    """
    Wagtail marks its public reads with an `AllowAnonymous` http scheme that has no `scheme` (invalid);
    OpenAPI says "no credentials needed" with an empty security requirement.
    """
    schemes = document.get("components", {}).get("securitySchemes", {})
    anonymous = [
        name for name, scheme in schemes.items() if scheme.get("type") == "http" and "scheme" not in scheme
    ]
    for name in anonymous:
        del schemes[name]
    for operation in operations(document):
        if "security" in operation:
            operation["security"] = [
                {} if set(need) & set(anonymous) else need for need in operation["security"]
            ]


def declare_common_errors(document):
    """
    The errors any operation may give, documented where the generator left them out: a 400 (an
    unsupported `lang`, an unknown or malformed query parameter) everywhere, a 401 (and 403) on
    every operation that needs a bearer token (Wagtail's own, cms.wagtail_api.require_token_to_read),
    a 404 where a path names an item, a 422 where a path or body may fail validation (both on each of
    Wagtail's token operations, whose query and body name items too), a 409 for a
    write that meets a conflicting one (cms.problems.conflict), and the HTTP server's 414 for a URL
    too long to read.
    """
    for method, operation in operations_by_method(document):
        security = operation.get("security")
        needs_token = bool(security) and {} not in security
        in_path = any(parameter.get("in") == "path" for parameter in operation.get("parameters", []))
        statuses = [400]
        statuses += [401, 403] if needs_token else []
        # Wagtail's own operations (those needing a token) also look up what the query or body
        # names (a parent, a page by path) and check their filters together (a 422).
        statuses += [404] if in_path or needs_token else []
        statuses += [422] if in_path or "requestBody" in operation or needs_token else []
        statuses += [409] if method in WRITES else []
        responses = operation.setdefault("responses", {})
        documented = {str(status) for status in responses}  # Ninja's keys are numbers, others' text
        for status, response in documented_errors(*statuses)["responses"].items():
            if status not in documented:
                responses[status] = response
        responses.setdefault("414", URI_TOO_LONG)


# Answered by the HTTP server (gunicorn) before the request reaches the API, so not in problem+json.
URI_TOO_LONG = {"description": "The URL is too long: the server reads request lines of at most 4,094 bytes."}


def declare_page_size_limit(document):
    """
    Wagtail's lists refuse a `limit` above WAGTAILAPI_LIMIT_MAX (a 400) without saying so in the
    document: say it on each `limit` that declares no maximum of its own.
    """
    most = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    for operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and parameter.get("name") == "limit":
                for schema in integer_schemas(parameter.get("schema", {})):
                    schema.setdefault("maximum", most)


INT32 = {"minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}


def declare_32_bit_numbers(document):
    """
    Whole numbers in the path or the query fit in 32 bits (a larger one is a 400 from
    cms.middleware.InputGuardMiddleware): say so on each integer parameter, within its own bounds.
    """
    for operation in operations(document):
        for parameter in operation.get("parameters", []):
            for schema in integer_schemas(parameter.get("schema", {})):
                schema["minimum"] = max(schema.get("minimum", INT32["minimum"]), INT32["minimum"])
                schema["maximum"] = min(schema.get("maximum", INT32["maximum"]), INT32["maximum"])


def integer_schemas(schema):
    """`schema` if it is an integer's, and the integer schemas it is made of (anyOf, oneOf, allOf)."""
    if schema.get("type") == "integer":
        yield schema
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from integer_schemas(part)


# What cms.middleware.InputGuardMiddleware lets through: no NUL character in the path or the query.
NO_NUL = r"^[^\x00]*$"
# Wagtail's `site` filter: a hostname, or hostname:port (the guard refuses another port).
SITE_PATTERN = r"^[^:\x00]*(:[0-9]{1,5})?$"
ORDER_DESCRIPTION = (
    "Fields to order by, each with `-` first for descending; or `random` alone (not with `offset`). "
    "While searching, only fields indexed for search."
)


def declare_query_text(document):
    """
    Say what text the path and the query take: no NUL character (a 400 from the input guard), a
    `site` of the form hostname[:port], and for Wagtail's `order` the fields each list may be
    ordered by (anything else is a 422 from Wagtail).
    """
    orderable = orderable_fields()
    for operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") not in ("path", "query"):
                continue
            name, schema = parameter.get("name"), parameter.get("schema", {})
            if parameter["in"] == "query" and name == "order" and operation.get("operationId") in orderable:
                for part in [schema, *schema.get("anyOf", [])]:
                    if part.get("type") == "array":
                        part["items"] = {"type": "string", "enum": orderable[operation["operationId"]]}
                parameter["description"] = ORDER_DESCRIPTION
                continue
            for part in string_schemas(schema):
                if parameter["in"] == "query" and name == "site":
                    part["pattern"] = SITE_PATTERN
                elif not {"pattern", "format", "enum", "const"} & set(part):
                    part["pattern"] = NO_NUL


def string_schemas(schema):
    """`schema` if it is a string's, and the string schemas it is made of (anyOf, oneOf, allOf, items)."""
    if schema.get("type") == "string":
        yield schema
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from string_schemas(part)
    if isinstance(schema.get("items"), dict):
        yield from string_schemas(schema["items"])


def orderable_fields():
    """
    {operationId: the `order` values besides "random"} for Wagtail's lists, as its OrderingValidator
    allows them; for snippets, those every snippet type allows (the model depends on the path).
    """

    def allowed(model, base_fields):
        fields = OrderingValidator(model=model, fields=[], base_fields=list(base_fields)).allowed_fields
        return set(fields) - {"random"}

    snippets = [allowed(model, [model._meta.pk.name]) for model in get_snippet_models()]
    lists = {
        "pages_list": allowed(Page, BASE_PAGE_READ_FIELDS),
        "images_list": allowed(get_image_model(), BASE_IMAGE_READ_FIELDS),
        "documents_list": allowed(get_document_model(), BASE_DOCUMENT_READ_FIELDS),
        "redirects_list": allowed(Redirect, BASE_REDIRECT_READ_FIELDS),
        "snippets_list": set.intersection(*snippets) if snippets else set(),
    }
    return {operation_id: sorted(fields) for operation_id, fields in lists.items()}


# Wagtail's lists answer these combinations of filters with a 422; OpenAPI cannot say that one query
# parameter excludes another, so each parameter's description says it (and fuzz/schemathesis.toml
# tells schemathesis' positive-data check).
EXCLUSIVE_FILTERS = {
    "child_of": "Not with `descendant_of` (a 422).",
    "descendant_of": "Not with `child_of` (a 422).",
    "offset": "Not with `order=random` (a 422).",
}


def declare_filters_that_exclude_each_other(document):
    """Say on each of Wagtail's lists which of its filters cannot be used together."""
    for operation in operations(document):
        names = {parameter.get("name") for parameter in operation.get("parameters", [])}
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query" or parameter.get("name") not in EXCLUSIVE_FILTERS:
                continue
            if parameter["name"] == "offset" and "order" not in names:
                continue
            note = EXCLUSIVE_FILTERS[parameter["name"]]
            parameter["description"] = f"{parameter.get('description', '')} {note}".strip()


# Text Wagtail's forms require: not empty and not only spaces (they strip it), with no NUL character.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
# Django's slug: letters, digits, hyphens and underscores (unicode letters for Wagtail's pages).
SLUG = r"^[-a-zA-Z0-9_]+$"
PAGE_SLUG = r"^[-\w]+$"
# {component schema or "operationId multipart": {property: pattern}}: what Wagtail's write forms
# refuse that its generated schemas let through.
WRITE_TEXT = {
    "SiteInputSchema": {"hostname": NOT_BLANK},
    "RedirectInputSchema": {"old_path": NOT_BLANK},
    "ArticleCategoryCreateSchema": {"name": NOT_BLANK, "slug": SLUG},
    "ArticleCategoryPatchSchema": {"name": NOT_BLANK, "slug": SLUG},
    "AuthorCreateSchema": {"name": NOT_BLANK, "slug": SLUG},
    "AuthorPatchSchema": {"name": NOT_BLANK, "slug": SLUG},
    "DocumentCreateSchema": {"title": NOT_BLANK},
    "DocumentPatchSchema": {"title": NOT_BLANK},
    "ImageCreateSchema": {"title": NOT_BLANK},
    "ImagePatchSchema": {"title": NOT_BLANK},
    "PageCreateAliasSchema": {"slug": PAGE_SLUG},
    "PageCopySchema": {"slug": PAGE_SLUG},
}


def declare_text_that_may_not_be_blank(document):
    """
    Wagtail's write schemas take any string where its forms require text (a page's title, a
    redirect's old path, a site's hostname, a snippet's name): say that it may not be blank, and
    that a slug is a slug. Pages are found by their `meta.type` among the create schemas.
    """
    schemas = document.get("components", {}).get("schemas", {})
    rules = {name: dict(properties) for name, properties in WRITE_TEXT.items()}
    for name, schema in schemas.items():
        if name.endswith(("PageCreateSchema", "PagePatchSchema")) and "title" in schema.get("properties", {}):
            rules.setdefault(name, {})["title"] = NOT_BLANK
    bodies = [(name, schemas.get(name, {})) for name in rules]
    for operation in operations(document):  # multipart forms are inline, not in components
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if media_type == "multipart/form-data" and "title" in media.get("schema", {}).get(
                "properties", {}
            ):
                bodies.append(("multipart", media["schema"]))
                rules["multipart"] = {"title": NOT_BLANK}
    for name, schema in bodies:
        for field, pattern in rules[name].items():
            field_schema = schema.get("properties", {}).get(field, {})
            for part in string_schemas(field_schema):
                part["pattern"] = pattern
            if pattern == NOT_BLANK and "anyOf" in field_schema:
                # In a PATCH, null is not "leave it as it is": the form takes it as a blank value.
                field_schema["anyOf"] = [part for part in field_schema["anyOf"] if part.get("type") != "null"]


IMAGE_TYPES = "image/jpeg, image/png, image/gif, image/webp, image/avif, image/heic"


def declare_image_uploads(document):
    """
    An image's `file` must be an image Wagtail can read, not any bytes: say which types. Its focal
    point is in pixels, from 0 (its fields are PositiveIntegerFields).
    """
    schemas = document.get("components", {}).get("schemas", {})
    bodies = [schemas.get("ImageCreateSchema", {}), schemas.get("ImagePatchSchema", {})]
    for path, path_item in document.get("paths", {}).items():
        if not path.startswith("/api/v3/images/"):
            continue
        for operation in path_item.values():
            media = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
            if media and "file" in media.get("schema", {}).get("properties", {}):
                media.setdefault("encoding", {})["file"] = {"contentType": IMAGE_TYPES}
                media["schema"]["properties"]["file"].setdefault(
                    "description", f"An image file Wagtail can read ({IMAGE_TYPES})."
                )
                bodies.append(media["schema"])
    for body in bodies:
        for name, schema in body.get("properties", {}).items():
            if name.startswith("focal_point_"):
                for part in integer_schemas(schema):
                    part["minimum"] = max(part.get("minimum", 0), 0)
                    part["maximum"] = min(part.get("maximum", MAX_NUMBER), MAX_NUMBER)


# A local time as Wagtail's snippets give it (Django's isoformat: HH:MM[:SS[.ffffff]]), with no offset.
LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def declare_local_times(document):
    """
    Wagtail declares a TimeField as `format: time`, which JSON Schema reads as RFC 3339's time with
    an offset; the clinic's hours are local times without one ("10:00:00", in the hours' `timezone`).
    """

    def walk(schema):
        if isinstance(schema, dict):
            if schema.get("type") == "string" and schema.get("format") == "time":
                del schema["format"]
                schema["pattern"] = LOCAL_TIME
                schema.setdefault("description", "A local time, HH:MM:SS, without an offset.")
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    walk(document.get("components", {}).get("schemas", {}))


# Wagtail's snippet writes: one body schema per type, which the path's `type` chooses.
SNIPPET_WRITES = {"snippets_create", "snippets_update"}


def declare_snippet_bodies_typed_by_path(document):
    """
    Wagtail declares a snippet's body as exactly one of its types' schemas (`oneOf`), chosen by
    `meta.type`; but `meta.type` may be left out, as the path's `type` gives it, and a body without
    it (or without `meta`) may fit several types' schemas, which `oneOf` refuses; nor does `meta`
    need its `type`. A body is valid
    when it is one of the types' (`anyOf`); that it is the path's type's is the server's to say (a 422).
    """
    for operation in operations(document):
        if operation.get("operationId") not in SNIPPET_WRITES:
            continue
        for media in operation.get("requestBody", {}).get("content", {}).values():
            schema = media.get("schema", {})
            if "oneOf" in schema:
                schema["anyOf"] = schema.pop("oneOf")
                schema["description"] = (
                    "The body of one of the snippet types: the path's `type`, which `meta.type` "
                    "may repeat (any other is a 422) or leave out."
                )
            for body in schema.get("anyOf", []):
                for meta in referred(document, body).get("properties", {}).get("meta", {}).get("anyOf", []):
                    meta_schema = referred(document, meta)
                    if "type" in meta_schema.get("required", []):
                        meta_schema["required"].remove("type")


def referred(document, schema):
    """The component schema `schema` refers to (`$ref`), or `schema` itself."""
    ref = schema.get("$ref", "")
    prefix = REF.format("schemas", "")
    if ref.startswith(prefix):
        return document.get("components", {}).get("schemas", {}).get(ref[len(prefix) :], {})
    return schema

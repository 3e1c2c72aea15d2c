"""API schemas every app's items share: an item's `meta`, and values given in one language or all."""

from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from pydantic import create_model

TRANSLATED = (
    "In the requested language; where that has no translation yet, the English value (the field "
    "is then named in `meta.fallback_fields`), or null with `fallback=none`. With `lang=*`, a map of "
    "each language to its own value, null where it has none."
)
PER_LANGUAGE = "In the requested language; with `lang=*`, a map of each language to it."


def by_language(name, value_type, description):
    """A schema with a field per supported language (settings.LANGUAGES), each `value_type` or null."""
    fields = {code: (value_type | None, Field(description=str(label))) for code, label in settings.LANGUAGES}
    return create_model(name, __base__=Schema, __doc__=description, **fields)


TextByLanguage = by_language("TextByLanguage", str, "A text in each language; null where it has none.")
NumberByLanguage = by_language("NumberByLanguage", int, "A number for each language's text.")
BlocksByLanguage = by_language("BlocksByLanguage", list[dict], "Blocks in each language; null where none.")
FieldNamesByLanguage = by_language("FieldNamesByLanguage", list[str], "Field names for each language.")


def translated(value_type, in_each_language, description=""):
    """
    The type of a value modeltranslation translates: `value_type` (null with `fallback=none` where a
    translation is missing) or, with `lang=*`, the map `in_each_language`.
    """
    return Annotated[
        value_type | in_each_language | None, Field(description=f"{description} {TRANSLATED}".strip())
    ]


def per_language(description=""):
    """The type of a text from the UI's catalog (a day's name): always there, one text or a map."""
    return Annotated[str | TextByLanguage, Field(description=f"{description} {PER_LANGUAGE}".strip())]


TranslatedText = translated(str, TextByLanguage)


class ItemMeta(Schema):
    language: str = Field(
        description="The language of this item's text, or `*` when it comes in every language (`lang=*`)."
    )
    fallback_fields: list[str] | FieldNamesByLanguage = Field(
        description="Translated fields missing in this language: shown in the default language "
        "(English), or null with `fallback=none`. With `lang=*`, a map of each language to the "
        "fields missing in it (null in the item's maps)."
    )


def item_meta(instance, languages, fields=None):
    """
    An item's `meta`: the language(s) of `languages` (cms.i18n.ContentLanguages), and which of its
    translated `fields` (default: all) are missing in them.
    """
    return {"language": languages.language, "fallback_fields": languages.fallback_fields(instance, fields)}

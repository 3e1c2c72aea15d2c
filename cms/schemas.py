"""
API schemas every app's items share: an item's `meta`, values given in one language or all, and
the date types their parameters use.
"""

import datetime
import re
from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, create_model
from pydantic_core import PydanticCustomError

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

# Pydantic reads a number as a Unix timestamp: "0.5" would be 1970-01-01T00:00:00.5Z.
NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def iso_8601_only(expected, parse):
    """
    A validator that lets only ISO 8601 text through (`expected` says what to send, `parse` is the
    type's `fromisoformat`), not numbers, so that every malformed value's error names the format.
    """

    def malformed():
        return PydanticCustomError("iso_8601", "Expected {expected}.", {"expected": expected})

    def check(value):
        if isinstance(value, (int, float)) or (isinstance(value, str) and NUMBER.match(value)):
            raise malformed()
        if isinstance(value, str):
            try:
                parse(value.replace("z", "Z"))
            except ValueError:
                raise malformed() from None
        return value

    return check


# Dates and times in query parameters: ISO 8601 only, never a number.
IsoDateTime = Annotated[
    datetime.datetime,
    BeforeValidator(
        iso_8601_only(
            "an ISO 8601 date and time with timezone, e.g. 2024-01-31T10:00:00+05:30",
            datetime.datetime.fromisoformat,
        )
    ),
]
IsoDate = Annotated[
    datetime.date,
    BeforeValidator(iso_8601_only("a date as YYYY-MM-DD, e.g. 2024-01-31", datetime.date.fromisoformat)),
]


def in_years(date_type, first, last):
    """
    `date_type` (IsoDate, IsoDateTime) from the year `first` to `last`, as validated (else a 400
    naming the parameter) and as documented (a pattern on the year, which JSON Schema can bound).
    """

    def check(value):
        if not first <= value.year <= last:
            raise PydanticCustomError(
                "year_out_of_range", "Expected a year from {first} to {last}.", {"first": first, "last": last}
            )
        return value

    return Annotated[
        date_type, AfterValidator(check), Field(json_schema_extra={"pattern": years_pattern(first, last)})
    ]


def years_pattern(first, last):
    """A regular expression for text starting with a four-digit year from `first` to `last`."""
    parts = []
    for century in range(first // 100, last // 100 + 1):
        years = [year for year in range(century * 100, century * 100 + 100) if first <= year <= last]
        parts += [f"{century:02d}[0-9]{{2}}"] if len(years) == 100 else [f"{year:04d}" for year in years]
    return f"^({'|'.join(parts)})-"


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

"""API schemas every app's items share, and the date types their parameters use."""

import datetime
import re
from typing import Annotated

from django.utils import translation
from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from cms.i18n import fallback_fields

# Pydantic reads a number as a Unix timestamp: "0.5" would be 1970-01-01T00:00:00.5Z.
NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def iso_8601_only(expected):
    """A validator that lets only ISO 8601 text through (`expected` says what to send), not numbers."""

    def check(value):
        if isinstance(value, (int, float)) or (isinstance(value, str) and NUMBER.match(value)):
            raise PydanticCustomError("iso_8601", "Expected {expected}.", {"expected": expected})
        return value

    return check


# Dates and times in query parameters: ISO 8601 only, never a number.
IsoDateTime = Annotated[
    datetime.datetime,
    BeforeValidator(iso_8601_only("an ISO 8601 date and time with timezone, e.g. 2024-01-31T10:00:00+05:30")),
]
IsoDate = Annotated[datetime.date, BeforeValidator(iso_8601_only("a date as YYYY-MM-DD, e.g. 2024-01-31"))]


class ItemMeta(Schema):
    language: str = Field(description="The language of this item's text.")
    fallback_fields: list[str] = Field(
        description="Fields shown in the default language because they are not translated yet."
    )


def item_meta(instance, fields=None):
    """An item's `meta`: the active language, and which of its `fields` fell back to the default one."""
    return {
        "language": translation.get_language(),
        "fallback_fields": fallback_fields(instance, fields=fields),
    }

"""API schemas every app's items share."""

from django.utils import translation
from ninja import Field, Schema

from cms.i18n import fallback_fields


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

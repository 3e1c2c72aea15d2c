"""Languages: which are supported and asked for, and which translated fields fell back to the default."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language, gettext_noop, trans_real
from modeltranslation.translator import NotRegistered, translator


def supported_languages():
    """The codes of settings.LANGUAGES, default first."""
    return [code for code, _name in settings.LANGUAGES]


def translated_languages():
    """The codes of the languages content is translated into: settings.LANGUAGES but the default."""
    return [code for code in supported_languages() if code != settings.LANGUAGE_CODE]


def language_from_accept_header(header):
    """The first supported language in an Accept-Language header, or None (malformed or no match)."""
    for accepted, _quality in trans_real.parse_accept_lang_header(header or ""):
        if accepted == "*":
            break
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return None


def is_empty(value):
    """True for a missing translation: None, an empty string or an empty StreamField stream."""
    if value is None or value == "":
        return True
    try:
        return len(value) == 0  # an empty StreamField stream
    except TypeError:
        return False


def translated_fields(model):
    """The names of a model's translated fields (inherited ones included); empty if not registered."""
    try:
        return sorted(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []


def fallback_fields(instance, language=None, fields=None):
    """
    The translated fields of `instance` that have no text in `language` (default: the active
    one) but do in the default language, so what a reader sees there is the default language's.
    """
    language = language or get_language()
    default = settings.LANGUAGE_CODE
    if language == default:
        return []
    names = fields if fields is not None else translated_fields(type(instance))
    return [
        name
        for name in names
        if name not in ("slug", "url_path")
        and is_empty(getattr(instance, f"{name}_{language}", None))
        and not is_empty(getattr(instance, f"{name}_{default}", None))
    ]


# Django's own Tamil catalog spells August "ஆகஸ்டு"; the clinic writes "ஆகஸ்ட்". Marking the
# month here keeps it in our catalog (locale/ta), which takes precedence over Django's.
CLINIC_SPELLINGS = [gettext_noop("August")]

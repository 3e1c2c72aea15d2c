"""
Languages: which are supported and asked for, which translated fields fell back to the default,
and a translated field's value in the languages a request wants (`ContentLanguages`).
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language, gettext_noop, trans_real
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

# `?lang=*`: every supported language at once, each translated field a map of language to value.
EVERY_LANGUAGE = "*"


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


@functools.cache
def translated_field_names(model):
    """The set of a model's translated fields, as modeltranslation's registry gives them (cached)."""
    return frozenset(translated_fields(model))


@dataclass(frozen=True)
class ContentLanguages:
    """
    The languages an API request wants content in, and how a missing translation shows: the one
    place that knows it (LanguageMiddleware sets it on the request; `content_languages(request)`
    reads it), and the one way to read a translated field accordingly.

    `language` is a code, or EVERY_LANGUAGE: then every translated value is a map of each
    language to its own value, null where it has none. With one language, a missing translation
    shows the default language's value (modeltranslation's fallback), or null if `fallback` is off.
    """

    language: str
    fallback: bool = True

    @property
    def every(self):
        return self.language == EVERY_LANGUAGE

    @property
    def codes(self):
        """The languages of the content: the one asked for, or every supported one."""
        return supported_languages() if self.every else [self.language]

    def each(self, produce):
        """
        `produce()` in the wanted language; with every language, a map of each language to
        `produce()` run with that language active (for text from the UI catalog, such as day names).
        """
        if not self.every:
            return produce()
        values = {}
        for code in self.codes:
            with translation.override(code):
                values[code] = produce()
        return values

    def value(self, instance, name, present=None):
        """
        `instance.<name>` as the request wants it. A field modeltranslation does not translate is
        read as it is; a translated one in the wanted language, else as `each()` says, each
        language's own value. A missing translation (see is_empty) is the default language's value
        with `fallback`, else None. `present` turns a value found into what the API shows (run
        with the value's language active: a rich text's links point to pages in that language).
        """
        if name not in translated_field_names(type(instance)):
            return _presented(getattr(instance, name), present)
        if self.every:
            values = {}
            for code in self.codes:
                with translation.override(code):
                    values[code] = self._own_value(instance, name, code, present)
            return values
        if self.fallback:
            # modeltranslation's own attribute: the active language (this one), else the fallback.
            return _presented(getattr(instance, name), present)
        return self._own_value(instance, name, self.language, present)

    def values(self, instance, names):
        """{name: self.value(instance, name)} for each of `names`, in their order."""
        return {name: self.value(instance, name) for name in names}

    def fallback_fields(self, instance, fields=None):
        """
        The translated fields of `instance` (of `fields`, if given) missing in the wanted language
        and shown in the default one, or null without `fallback`; with every language, a map of
        each language to its own list.
        """
        if self.every:
            return {code: fallback_fields(instance, code, fields) for code in self.codes}
        return fallback_fields(instance, self.language, fields)

    @staticmethod
    def _own_value(instance, name, code, present):
        value = getattr(instance, build_localized_fieldname(name, code), None)
        return None if is_empty(value) else _presented(value, present)


def _presented(value, present):
    return present(value) if present is not None and value is not None else value


def content_languages(request):
    """
    The request's ContentLanguages (the active language, with fallback, where none was chosen).
    Asking marks the request as answered in them: endpoints that never ask (Wagtail's own) answer
    in the active language, and their Content-Language says so.
    """
    chosen = getattr(request, "content_languages", None)
    if chosen is None:
        return ContentLanguages(get_language())
    request.content_languages_used = True
    return chosen


# Django's own Tamil catalog spells August "ஆகஸ்டு"; the clinic writes "ஆகஸ்ட்". Marking the
# month here keeps it in our catalog (locale/ta), which takes precedence over Django's.
CLINIC_SPELLINGS = [gettext_noop("August")]

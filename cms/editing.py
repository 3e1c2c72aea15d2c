"""
Editing in every language in the admin: the page form (slugs, each field's language, placeholders
and block defaults in it) and the copy of a StreamField from one language into another.
"""

import copy
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST
from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.blocks import BlockField, BlockWidget
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.i18n import supported_languages, translated_fields
from cms.slugs import available_slug, make_usable, slug_transliterations

# Fields whose text is not in their language: slugs are ASCII transliterations.
NOT_WORDS = {"slug", "url_path"}


def field_language(name):
    """The language code a translated field's name ends with ("body_ta" → "ta"), or None."""
    base, _sep, language = name.rpartition("_")
    return language if base and language in supported_languages() else None


class TranslatedPageForm(WagtailAdminPageForm):
    """
    The admin form of every page type (`TranslatedSlugMixin.base_form_class`). wagtail-modeltranslation
    wraps it with its own check that each language's slug is free among the page's siblings.

    - Slugs: whatever the browser sends, each language's slug is one a URL can show. A Tamil-script
      slug is transliterated, an empty or dash-only one is made from that language's title, and one
      that was made (not chosen by the editor) takes the first free "-2", "-3"... instead of failing
      as already in use. An existing page keeps the slug it has unless the editor changes it.
    - The slug fields fill themselves with that same transliteration as the editor types a title.
    - Each translated field says its language (`lang`, for spelling and screen readers); the optional
      titles of the other languages have a placeholder in their own language (not "Page title*"),
      and StreamField blocks offer their default text in the field's language.
    """

    def __init__(self, data=None, *args, **kwargs):
        self.generated_slugs = set()
        if data is not None:
            data = data.copy()
            for language in supported_languages():
                field = f"slug_{language}"
                if field in data:
                    data[field], generated = make_usable(data[field], data.get(f"title_{language}", ""))
                    if generated:
                        self.generated_slugs.add(language)
        super().__init__(data, *args, **kwargs)
        self.fill_slugs_as_the_server_does()
        self.speak_each_fields_language()

    def fill_slugs_as_the_server_does(self):
        formatters = json.dumps(slug_transliterations(), ensure_ascii=False, separators=(",", ":"))
        for language in supported_languages():
            field = self.fields.get(f"slug_{language}")
            if field is not None:
                # What SlugInput(formatters=...) writes; the formatters run before Wagtail's urlify.
                field.widget.attrs["data-w-slug-formatters-value"] = formatters

    def speak_each_fields_language(self):
        default = settings.LANGUAGE_CODE
        for name in translated_fields(self._meta.model):
            if name in NOT_WORDS:
                continue
            for language in supported_languages():
                field = self.fields.get(f"{name}_{language}")
                if field is None:
                    continue
                if isinstance(field, BlockField):
                    field.block = blocks_in_language(field.block, language)
                    field.widget = BlockWidget(field.block)
                else:
                    field.widget.attrs["lang"] = language
                if name == "title" and language != default:
                    with translation.override(language):
                        field.widget.attrs["placeholder"] = pgettext("placeholder", "Page title")

    def clean(self):
        cleaned_data = super().clean()
        for language in self.generated_slugs:
            field = f"slug_{language}"
            slug = cleaned_data.get(field)
            if not slug or self.parent_page is None:
                continue
            if self.instance.pk and slug == self.initial.get(field):
                continue  # the page's address as it is: not renamed behind the editor's back
            cleaned_data[field] = available_slug(slug, language, self.parent_page, self.instance)
        return cleaned_data


_blocks_in_language = {}


def blocks_in_language(block, language):
    """
    `block` with the defaults that are translatable strings (`gettext_lazy`) read in `language`, so
    a block added to the Tamil body starts with Tamil text. The same block when it has none.
    """
    key = (id(block), language)
    if key not in _blocks_in_language:
        translatable = [child for child in walk_blocks(block) if isinstance(child.meta.default, Promise)]
        if translatable:
            block = copy.deepcopy(block)
            with translation.override(language):
                for child in walk_blocks(block):
                    if isinstance(child.meta.default, Promise):
                        child.meta.default = str(child.meta.default)
        _blocks_in_language[key] = block
    return _blocks_in_language[key]


def walk_blocks(block):
    """`block` and every block inside it."""
    yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from walk_blocks(child)
    if hasattr(block, "child_block"):
        yield from walk_blocks(block.child_block)


@require_POST
def copy_stream_field(request, page_id=None, app_label=None, model_name=None, parent_page_id=None):
    """
    wagtail-modeltranslation's "Copy content from" for a StreamField, in the edit view of a page
    and in the create view: the origin field's blocks, as the editor's form holds them, rendered as
    the target field's editor. Answers 400 (JSON) for anything but two languages of one
    translated StreamField, 403 to an editor who may not edit the page.
    """
    if page_id is not None:
        page = get_object_or_404(Page, pk=page_id)
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        model = page.specific_class
    else:
        parent = get_object_or_404(Page, pk=parent_page_id)
        if not parent.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied
        try:
            model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
    origin = request.POST.get("origin_field_name", "")
    target = request.POST.get("target_field_name", "")
    field = translated_stream_field(model, origin, target)
    try:
        items = json.loads(request.POST.get("serializedOriginField", ""))
        data = QueryDict(mutable=True)
        for item in items:
            if item["name"].startswith(origin):
                data.appendlist(target + item["name"][len(origin) :], item["value"])
    except (ValueError, TypeError, KeyError):
        items = None
    if field is None or items is None:
        message = gettext("Only the text of a translated field can be copied into another language.")
        return JsonResponse({"error": message}, status=400)
    block = blocks_in_language(field.stream_block, field_language(target))
    value = block.value_from_datadict(data, {}, target)
    return JsonResponse(BlockWidget(block).render(target, value), safe=False)


def translated_stream_field(model, origin, target):
    """The StreamField `target` of `model` when `origin` is the same field in another language."""
    origin_language, target_language = field_language(origin), field_language(target)
    if not origin_language or not target_language or origin_language == target_language:
        return None
    base = target.removesuffix(f"_{target_language}")
    if origin != f"{base}_{origin_language}" or base not in translated_fields(model):
        return None
    try:
        field = model._meta.get_field(target)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, StreamField) else None

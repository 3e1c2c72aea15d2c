"""The "Translation status" admin report: what still needs translating, and where to edit it."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modeltranslation.translator import translator
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from cms.i18n import fallback_fields


@dataclass
class UntranslatedItem:
    title: str
    kind: str
    language: str
    missing: str
    edit_url: str


def translatable_objects():
    """Live pages, then every stored object of the other models with translated fields."""
    objects = list(Page.objects.live().filter(depth__gt=1).specific().order_by("path"))
    for model in translator.get_registered_models(abstract=False):
        if not issubclass(model, Page) and not model._meta.proxy:
            objects += list(model._default_manager.all())
    return objects


def edit_target(obj):
    """What an editor opens to translate `obj`: the object itself, or the one it is a row of."""
    for field in obj._meta.fields:
        if isinstance(field, ParentalKey):
            return getattr(obj, field.name)
    return obj


def items_to_translate(user):
    """Live pages, snippets, settings and their rows whose text in some language falls back to English."""
    finder = AdminURLFinder(user)
    items = []
    for obj in translatable_objects():
        for code, _name in settings.LANGUAGES:
            missing = fallback_fields(obj, language=code)
            if not missing:
                continue
            items.append(
                UntranslatedItem(
                    title=str(getattr(obj, "title", None) or obj),
                    kind=str(obj._meta.verbose_name).capitalize(),
                    language=get_language_info(code)["name"],
                    missing=", ".join(str(obj._meta.get_field(name).verbose_name) for name in missing),
                    edit_url=finder.get_edit_url(edit_target(obj)) or "",
                )
            )
    return items


class TranslationStatusReportView(ReportView):
    page_title = _("Translation status")
    header_icon = "globe"
    index_url_name = "translation_status"
    index_results_url_name = "translation_status_results"
    paginate_by = 100
    columns = [
        TitleColumn("title", label=_("Title"), get_url=lambda item: item.edit_url),
        Column("kind", label=_("Type")),
        Column("language", label=_("Language")),
        Column("missing", label=_("Untranslated fields")),
    ]
    list_export = ["title", "kind", "language", "missing"]

    def get_queryset(self):
        return items_to_translate(self.request.user)

"""The "Translation status" admin report: what still needs translating, and where to edit it."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modeltranslation.translator import translator
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from cms.i18n import fallback_fields

# What is wrong with an item's text in a language: some fields have none (the default language's
# shows instead), or it was written for a default-language text that has changed since (a model
# says so with `translation_is_stale(language)`, as articles do).
PROBLEMS = {"untranslated": _("Untranslated"), "stale": _("Out of date")}
# Where a page is: live (perhaps with a newer draft), or a draft only. Snippets have no status.
STATUSES = {"live": _("Live"), "draft": _("Draft")}


@dataclass
class UntranslatedItem:
    title: str
    kind: str
    language: str
    missing: str
    edit_url: str
    problem: str = "untranslated"
    status: str = ""

    @property
    def problem_label(self):
        return PROBLEMS[self.problem]

    @property
    def status_label(self):
        return STATUSES.get(self.status, "")


def translatable_objects():
    """Pages (live and drafts), then every stored object of the other models with translated fields."""
    objects = list(Page.objects.filter(depth__gt=1).specific().order_by("path"))
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
    """
    Pages, snippets, settings and their rows whose text in some language falls back to English
    ("untranslated"), or was translated from an English text that has changed since ("stale").
    """
    finder = AdminURLFinder(user)
    items = []
    for obj in translatable_objects():
        row = {
            "title": str(getattr(obj, "title", None) or obj),
            "kind": str(obj._meta.verbose_name).capitalize(),
            "edit_url": finder.get_edit_url(edit_target(obj)) or "",
            "status": ("live" if obj.live else "draft") if isinstance(obj, Page) else "",
        }
        for code, _name in settings.LANGUAGES:
            language = get_language_info(code)["name"]
            missing = fallback_fields(obj, language=code)
            if missing:
                names = ", ".join(str(obj._meta.get_field(name).verbose_name) for name in missing)
                items.append(UntranslatedItem(**row, language=language, missing=names))
            is_stale = getattr(obj, "translation_is_stale", None)
            if is_stale is not None and is_stale(code):
                items.append(UntranslatedItem(**row, language=language, missing="", problem="stale"))
    return items


class TranslationStatusFilterSet(WagtailFilterSet):
    """Filters the report's rows (a list, not a queryset) by problem and by page status."""

    problem = django_filters.ChoiceFilter(
        label=_("Problem"), choices=list(PROBLEMS.items()), empty_label=_("All"), widget=forms.RadioSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=list(STATUSES.items()), empty_label=_("All"), widget=forms.RadioSelect
    )

    def filter_queryset(self, items):
        for name, value in self.form.cleaned_data.items():
            if value:
                items = [item for item in items if getattr(item, name) == value]
        return items


class TranslationStatusReportView(ReportView):
    page_title = _("Translation status")
    header_icon = "globe"
    index_url_name = "translation_status"
    index_results_url_name = "translation_status_results"
    paginate_by = 100
    # For those who write or publish pages, not (say) staff who only handle consultation requests.
    permission_policy = page_permission_policy
    any_permission_required = ["add", "change", "publish"]
    filterset_class = TranslationStatusFilterSet
    columns = [
        TitleColumn("title", label=_("Title"), get_url=lambda item: item.edit_url),
        Column("kind", label=_("Type")),
        Column("status_label", label=_("Status")),
        Column("language", label=_("Language")),
        Column("problem_label", label=_("Problem")),
        Column("missing", label=_("Untranslated fields")),
    ]
    list_export = ["title", "kind", "status_label", "language", "problem_label", "missing"]
    export_headings = {"status_label": _("Status"), "problem_label": _("Problem")}

    def get_filterset_kwargs(self):
        # The rows are a list: the filter set needs a queryset only to be built.
        return {**super().get_filterset_kwargs(), "queryset": Page.objects.none()}

    def get_queryset(self):
        return items_to_translate(self.request.user)

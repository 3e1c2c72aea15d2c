"""The "Translation status" admin report: what still needs translating, and where to edit it."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, Site

from articles.models import ArticleCategory, Author
from cms.i18n import fallback_fields
from home.models import ClinicDetails, OpeningHours


@dataclass
class UntranslatedItem:
    title: str
    kind: str
    language: str
    missing: str
    edit_url: str


def items_to_translate(user):
    """Live pages, snippets and the clinic details whose text in some language falls back to English."""
    objects = list(Page.objects.live().filter(depth__gt=1).specific().order_by("path"))
    objects += list(Author.objects.all()) + list(ArticleCategory.objects.all())
    for hours in OpeningHours.objects.prefetch_related("exceptions"):
        objects += [hours, *hours.exceptions.all()]
    objects += [ClinicDetails.for_site(site) for site in Site.objects.all()]

    finder = AdminURLFinder(user)
    items = []
    for obj in objects:
        for code, _name in settings.LANGUAGES:
            missing = fallback_fields(obj, language=code)
            if not missing:
                continue
            edit_target = obj.hours if hasattr(obj, "hours_id") else obj
            items.append(
                UntranslatedItem(
                    title=str(getattr(obj, "title", None) or obj),
                    kind=str(obj._meta.verbose_name).capitalize(),
                    language=get_language_info(code)["name"],
                    missing=", ".join(str(obj._meta.get_field(name).verbose_name) for name in missing),
                    edit_url=finder.get_edit_url(edit_target) or "",
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

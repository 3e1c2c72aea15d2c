from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .reports import TranslationStatusReportView


@hooks.register("register_admin_urls")
def register_translation_status_urls():
    view = TranslationStatusReportView
    return [
        path("reports/translation-status/", view.as_view(), name="translation_status"),
        path(
            "reports/translation-status/results/",
            view.as_view(results_only=True),
            name="translation_status_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return MenuItem(_("Translation status"), reverse("translation_status"), icon_name="globe", order=1000)

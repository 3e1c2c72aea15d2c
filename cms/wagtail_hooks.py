from axes.models import AccessAttempt
from django.conf import settings
from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .cache import shows_pages
from .dashboard import NeedsAttentionPanel, dashboard_items
from .editing import copy_stream_field
from .pages import has_expired
from .reports import TranslationStatusReportView

# The key of the editor's shown languages in Wagtail's per-user store of admin choices.
EDITOR_LANGUAGES_PREFERENCE = "clinic-editor-languages"


@hooks.register("before_serve_page")
def hide_expired_pages(page, request, serve_args, serve_kwargs):
    """
    A page past its expiry time is gone at once, not once the worker has unpublished it; any other
    is cached no longer than until the next page expires (cms.cache.public_max_age).
    """
    if has_expired(page):
        raise Http404("This page has expired.")
    shows_pages(request)


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


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return TranslationStatusReportView.permission_policy.user_has_any_permission(
            request.user, TranslationStatusReportView.any_permission_required
        )


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"), reverse("translation_status"), icon_name="globe", order=1000
    )


@hooks.register("construct_homepage_panels")
def add_needs_attention_panel(request, panels):
    items = dashboard_items(request)
    if items:
        panels.append(NeedsAttentionPanel(items))


# Before wagtail-modeltranslation's own (order 0), whose view fails (500) on anything but a page's
# edit view and a StreamField: these answer its "Copy content from" buttons in both views.
@hooks.register("register_admin_urls", order=-1)
def register_copy_stream_field_urls():
    return [
        path("pages/<int:page_id>/edit/copy_translation_content/", copy_stream_field),
        path(
            "pages/add/<str:app_label>/<str:model_name>/<int:parent_page_id>/copy_translation_content/",
            copy_stream_field,
        ),
    ]


@hooks.register("insert_editor_js")
def editor_languages():
    """Which languages' fields the edit forms show, side by side (cms/static/cms/editor/)."""
    config = {
        "languages": [{"code": code, "name": str(name)} for code, name in settings.LANGUAGES],
        "preference": EDITOR_LANGUAGES_PREFERENCE,
        "strings": {
            "picker": gettext("Show the fields in"),
            "copyFailed": gettext("The content could not be copied. Please try again."),
        },
    }
    return format_html(
        '{}<script defer src="{}"></script><link rel="stylesheet" href="{}">',
        json_script(config, "clinic-editor-languages"),
        static("cms/editor/languages.js"),
        static("cms/editor/languages.css"),
    )


class SignInLockoutPermissionPolicy(ModelPermissionPolicy):
    """Failed sign-ins are seen and deleted (which lifts a lock), never added or changed by hand."""

    allowed_actions = ("view", "delete")

    def user_has_permission(self, user, action):
        return action in self.allowed_actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action in self.allowed_actions]
        )


# Registered before the viewset asks for a policy (Wagtail would otherwise create a default one).
register_permission_policy(AccessAttempt, SignInLockoutPermissionPolicy(AccessAttempt))


class SignInLockoutViewSet(ModelViewSet):
    """
    django-axes' record of failed sign-ins (admin users, and page passwords as
    "page-password:<id>"), one row per account and address: deleting a row lifts its lock.
    """

    model = AccessAttempt
    name = "sign_in_lockouts"
    url_prefix = "sign-in-lockouts"
    icon = "lock"
    menu_label = _("Sign-in lockouts")
    add_to_settings_menu = True
    add_to_reference_index = False
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    search_backend_name = None  # a plain database filter: axes' model has no search index
    ordering = ["-attempt_time"]
    form_fields = []  # nothing is edited
    inspect_view_enabled = True
    inspect_view_fields = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_sign_in_lockout_viewset():
    return SignInLockoutViewSet()

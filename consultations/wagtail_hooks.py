"""Consultation requests in the admin: listed, filtered, opened, updated and exported by permitted staff."""

from django.contrib.auth import get_permission_codename
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.dashboard import DASHBOARD_ITEMS_HOOK, DashboardItem

from .models import ConsultationRequest
from .views import (
    REQUESTS,
    ConsultationRequestFilterSet,
    ConsultationRequestIndexView,
    ConsultationRequestInspectView,
    resend_email,
)


class ConsultationRequestPermissionPolicy(ModelPermissionPolicy):
    """
    Django's model permissions (view, change, delete), except that nobody adds a request in the
    admin: requests come from patients, through the site or the API, and are checked there.
    """

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "add"])


# Registered before the viewset asks for a policy (Wagtail would otherwise create a default one).
register_permission_policy(ConsultationRequest, ConsultationRequestPermissionPolicy(ConsultationRequest))


class ConsultationRequestViewSet(ModelViewSet):
    model = ConsultationRequest
    name = REQUESTS  # the URL namespace, also used by consultations.notifications
    url_prefix = "consultation-requests"
    icon = "calendar-alt"
    menu_label = _("Consultation requests")
    menu_order = 150
    add_to_admin_menu = True
    add_to_reference_index = False  # a request refers to nothing

    index_view_class = ConsultationRequestIndexView
    inspect_view_class = ConsultationRequestInspectView
    list_display = [
        "reference",
        "name",
        "phone",
        "preferred_date",
        "preferred_session",
        "language",
        "status",
        "notification",
        "created_at",
    ]
    filterset_class = ConsultationRequestFilterSet
    search_fields = ["reference", "name", "phone", "email"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50

    list_export = [
        "reference",
        "created_at",
        "get_status_display",
        "name",
        "phone",
        "email",
        "preferred_date",
        "preferred_session",
        "get_language_display",
        "reason",
        "get_source_display",
        "staff_notes",
        "updated_at",
    ]
    export_headings = {
        "get_status_display": _("Status"),
        "get_language_display": _("Preferred language"),
        "get_source_display": _("Source"),
    }
    export_filename = "consultation-requests"

    inspect_view_enabled = True
    inspect_view_fields = [
        "reference",
        "created_at",
        "updated_at",
        "source",
        "status",
        "name",
        "phone",
        "email",
        "language",
        "preferred_date",
        "preferred_session",
        "reason",
        "consent",
        "staff_notes",
        "notification",
        "notification_attempts",
        "notified_at",
        "notification_retry_at",
        "notification_error",
    ]
    copy_view_enabled = False

    def get_permissions_to_register(self):
        # "Add" would grant nothing (see the policy), so groups are not offered it.
        add = get_permission_codename("add", self.model_opts)
        return super().get_permissions_to_register().exclude(codename=add)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("resend-email/<int:pk>/", resend_email, name="resend_email")]


consultation_request_viewset = ConsultationRequestViewSet()


@hooks.register("register_admin_viewset")
def register_consultation_request_viewset():
    return consultation_request_viewset


@hooks.register(DASHBOARD_ITEMS_HOOK)
def new_requests_dashboard_item(request):
    """For staff who handle requests: how many are new (not yet contacted)."""
    if not consultation_request_viewset.permission_policy.user_has_permission(request.user, "view"):
        return []
    new = ConsultationRequest.objects.filter(status=ConsultationRequest.Status.NEW)
    url = (
        reverse(consultation_request_viewset.get_url_name("index"))
        + "?status="
        + ConsultationRequest.Status.NEW
    )
    return [DashboardItem(_("New consultation requests"), new.count(), url, order=50)]

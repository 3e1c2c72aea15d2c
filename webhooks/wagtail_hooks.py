"""
Webhooks in the admin, under Settings: the endpoints (with their secrets, for users who may change
them) and the delivery log (read-only, with a way to resend).
"""

from django.contrib.auth import get_permission_codename
from django.urls import path
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .forms import WebhookEndpointForm
from .models import WebhookDelivery, WebhookEndpoint
from .views import (
    DELIVERIES,
    WebhookDeliveryFilterSet,
    WebhookDeliveryIndexView,
    WebhookDeliveryInspectView,
    resend,
)


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "webhook_endpoints"
    url_prefix = "webhooks/endpoints"
    icon = "link-external"
    menu_label = "Webhook endpoints"
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False

    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]

    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("is_active"),
            MultiFieldPanel(
                [FieldPanel("secret", read_only=True), FieldPanel("new_secret")],
                heading="Signing secret",
                help_text="Made when the endpoint is first saved.",
            ),
        ],
        base_form_class=WebhookEndpointForm,
    )


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view": deliveries are made by the system, never added, edited or deleted in the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


register_permission_policy(WebhookDelivery, ReadOnlyPermissionPolicy(WebhookDelivery))


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = DELIVERIES
    url_prefix = "webhooks/deliveries"
    icon = "history"
    menu_label = "Webhook deliveries"
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False

    index_view_class = WebhookDeliveryIndexView
    inspect_view_class = WebhookDeliveryInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "response_code",
        "response_excerpt",
        "error",
        "event_id",
        "page_id",
        "payload",
    ]
    list_display = [
        "__str__",
        "status",
        "attempts",
        "response_code",
        "last_attempt_at",
        "next_attempt_at",
        "created_at",
    ]
    filterset_class = WebhookDeliveryFilterSet
    form_fields = []  # nobody adds or edits a delivery (see ReadOnlyPermissionPolicy)
    ordering = ["-created_at", "-pk"]
    list_per_page = 50

    def get_permissions_to_register(self):
        # Only "view" means anything here (see ReadOnlyPermissionPolicy).
        view = get_permission_codename("view", self.model_opts)
        return super().get_permissions_to_register().filter(codename=view)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("resend/<int:pk>/", resend, name="resend")]


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return [WebhookEndpointViewSet(), WebhookDeliveryViewSet()]

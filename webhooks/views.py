"""The delivery log in the admin: its filters, a delivery's details, and resending one."""

import datetime
import json

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.permissions import policy_registry

from .models import EventType, WebhookDelivery, WebhookEndpoint
from .tasks import send_after_commit

# The delivery log's URL namespace (webhooks.wagtail_hooks).
DELIVERIES = "webhook_deliveries"


def can_resend(user):
    """Those who may change the endpoints may send an event again."""
    return policy_registry.get_by_type(WebhookEndpoint).user_has_permission(user, "change")


class WebhookDeliveryFilterSet(WagtailFilterSet):
    event__type = django_filters.ChoiceFilter(label="Event", choices=EventType.choices)
    created_at = django_filters.DateFromToRangeFilter(label="Queued", widget=DateRangePickerWidget)

    class Meta:
        model = WebhookDelivery
        fields = ["status", "endpoint", "event__type", "created_at"]


class WebhookDeliveryIndexView(IndexView):
    queryset = WebhookDelivery.objects.select_related("event", "endpoint")


class WebhookDeliveryInspectView(InspectView):
    template_name = "webhooks/delivery_inspect.html"
    extra_labels = {"event_type": "Event", "event_id": "Event ID", "page_id": "Page ID", "payload": "Body"}

    def get_field_label(self, field_name, field):
        return self.extra_labels.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        # The template would show an aware time in UTC; staff read the server's local time, as in the list.
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return "-" if value is None else value

    def get_event_type_display_value(self):
        return self.object.event.get_type_display()

    def get_event_id_display_value(self):
        return str(self.object.event_id)

    def get_page_id_display_value(self):
        return self.object.event.page_id or "-"

    def get_payload_display_value(self):
        return format_html(
            "<pre>{}</pre>", json.dumps(self.object.event.payload, indent=2, ensure_ascii=False)
        )

    def get_response_excerpt_display_value(self):
        return (
            format_html("<pre>{}</pre>", self.object.response_excerpt)
            if self.object.response_excerpt
            else "-"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_resend(self.request.user):
            context["resend_url"] = reverse(f"{DELIVERIES}:resend", args=[self.object.pk])
        return context


@require_POST
def resend(request, pk):
    """Send the delivery's event to its endpoint again, as a new delivery (the old one stays in the log)."""
    if not can_resend(request.user):
        raise PermissionDenied
    original = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(event_id=original.event_id, endpoint=original.endpoint)
        send_after_commit([delivery])
    messages.success(
        request, f"The event is queued for {original.endpoint} again, as delivery {delivery.pk}."
    )
    return redirect(f"{DELIVERIES}:inspect", delivery.pk)

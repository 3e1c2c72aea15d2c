"""
The admin listing of consultation requests: its filters, a CSV export that spreadsheets cannot run,
and sending the clinic's e-mail about a request again.
"""

import datetime

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.permissions import policy_registry

from home.models import ClinicDetails

from .models import ConsultationRequest
from .notifications import notification_address
from .tasks import notify_clinic_after_commit

# The viewset's URL namespace (consultations.wagtail_hooks; the e-mail links to its edit view).
REQUESTS = "consultation_requests"

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """
    Text a spreadsheet shows as text: a leading formula character gets a single quote before it,
    so "=HYPERLINK(...)" is not run. A phone number "+91…" reads "'+91…", which spreadsheets show
    as +91… (and keep as text, not as a number).
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class ConsultationRequestFilterSet(WagtailFilterSet):
    preferred_date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Preferred date"), widget=DateRangePickerWidget
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ConsultationRequest
        fields = ["status", "notification", "language", "source"]


class ConsultationRequestIndexView(IndexView):
    def preprocess_field_value(self, field, value, export_format):
        # Times as the clinic's staff read them: local, to the minute (Wagtail's default is UTC).
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.make_naive(value)
            if export_format == self.FORMAT_CSV:
                return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, datetime.time) and export_format == self.FORMAT_CSV:
            return value.strftime("%H:%M")
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return spreadsheet_safe(value)
        return value


class ConsultationRequestInspectView(InspectView):
    template_name = "consultations/admin/request_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_resend(self.request.user):
            context["resend_url"] = reverse(f"{REQUESTS}:resend_email", args=[self.object.pk])
        return context

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        # The template formats the value with |localize, which would show an aware time in UTC.
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value


def can_resend(user):
    """Those who may change a request (its status, its notes) may have the clinic e-mailed about it again."""
    return policy_registry.get_by_type(ConsultationRequest).user_has_permission(user, "change")


@require_POST
def resend_email(request, pk):
    """Queue the e-mail to the clinic about a request again, to the clinic's address as it is now."""
    if not can_resend(request.user):
        raise PermissionDenied
    consultation = get_object_or_404(ConsultationRequest, pk=pk)
    with transaction.atomic():
        consultation.notification = ConsultationRequest.Notification.PENDING
        consultation.notification_retry_at = None
        consultation.save(update_fields=["notification", "notification_retry_at"])
        address = notification_address(ClinicDetails.for_request(request))
        notify_clinic_after_commit(consultation, address)
    messages.success(
        request,
        _("The e-mail about %(reference)s is queued for %(address)s.")
        % {"reference": consultation.reference, "address": address},
    )
    return redirect(f"{REQUESTS}:inspect", consultation.pk)

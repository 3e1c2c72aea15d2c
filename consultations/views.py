"""The admin listing of consultation requests: its filters, and a CSV export that spreadsheets cannot run."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView

from .models import ConsultationRequest

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
        label=_("Preferred date"), widget=DateRangePickerWidget
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Received"), widget=DateRangePickerWidget)

    class Meta:
        model = ConsultationRequest
        fields = ["status", "language", "source"]


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
    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        # The template formats the value with |localize, which would show an aware time in UTC.
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value

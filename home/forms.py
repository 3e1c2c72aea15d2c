"""Admin form for the opening hours: checks that spans several rows of a day can't do alone."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm


def find_overlaps(spans):
    """Given (opens, closes, item) triples for one day, the items that overlap an earlier one."""
    overlapping = []
    latest_close = None
    for opens, closes, item in sorted(spans, key=lambda span: (span[0], span[1])):
        if latest_close is not None and opens < latest_close:
            overlapping.append(item)
        latest_close = closes if latest_close is None else max(latest_close, closes)
    return overlapping


class OpeningHoursForm(WagtailAdminModelForm):
    """Rejects sessions that overlap on the same weekday, and exception rows that contradict each other."""

    def is_valid(self):
        # Each row validates itself (closing before opening) in the model's clean(); rows are
        # compared here, once they have all been cleaned.
        valid = super().is_valid()
        return self._check_sessions() and self._check_exceptions() and valid

    def _live_forms(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        return [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def _check_sessions(self):
        by_day = {}
        for form in self._live_forms("sessions"):
            data = form.cleaned_data
            if data.get("opens") and data.get("closes") and data.get("weekday") is not None:
                by_day.setdefault(data["weekday"], []).append((data["opens"], data["closes"], form))
        ok = True
        for spans in by_day.values():
            for form in find_overlaps(spans):
                form.add_error("opens", _("This session overlaps another session on the same day."))
                ok = False
        return ok

    def _check_exceptions(self):
        by_date = {}
        for form in self._live_forms("exceptions"):
            if form.cleaned_data.get("date"):
                by_date.setdefault(form.cleaned_data["date"], []).append(form)
        ok = True
        for forms in by_date.values():
            closed = [form for form in forms if form.cleaned_data.get("closed")]
            if closed and len(forms) > 1:
                for form in forms[1:]:
                    form.add_error(
                        "date",
                        _("This date is also marked closed all day; keep one or the other."),
                    )
                ok = False
                continue
            spans = [
                (form.cleaned_data["opens"], form.cleaned_data["closes"], form)
                for form in forms
                if form.cleaned_data.get("opens") and form.cleaned_data.get("closes")
            ]
            for form in find_overlaps(spans):
                form.add_error("opens", _("These special hours overlap others on the same date."))
                ok = False
        return ok

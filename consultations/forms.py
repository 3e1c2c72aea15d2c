"""
The consultation request form: every rule and every message a request is checked against.

The site renders it and the API feeds it a dict (through consultations.services), so both give
the same answers, in the language that is active while the form is cleaned.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from home.clock import format_clock, format_session
from home.models import WEEKDAY_CHOICES

from .models.requests import ConsultationRequest
from .validators import normalise_indian_phone

# The honeypot: hidden from people, filled in by form-filling robots.
HONEYPOT_FIELD = "website"

# How far ahead a patient may ask for a date.
BOOKING_HORIZON_DAYS = 56


def session_value(opens):
    """The value a session is sent as: its start time, "HH:MM"."""
    return opens.strftime("%H:%M")


class IndianPhoneField(forms.CharField):
    """A phone number as patients write it; cleaned to +91 and ten digits."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalise_indian_phone(value)


class SessionField(forms.ChoiceField):
    """One of the clinic's sessions, sent as its start time ("10:00"); cleaned to a time."""

    def validate(self, value):
        if value in self.empty_values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        if not self.valid_value(value):
            times = ", ".join(str(choice) for choice, _label in self.choices)
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"times": times}
            )

    def clean(self, value):
        value = super().clean(value)
        return datetime.time.fromisoformat(value) if value else None


class ConsultationRequestForm(forms.ModelForm):
    """
    A patient's request, checked against `hours`: the clinic's (ClinicDetails.for_request(request).hours),
    or None when it has none yet (every date is then closed). Pass `language` (the page's, or the
    API request's) for the initial preferred language.
    """

    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={
            "required": _("Please tell us your name."),
            "max_length": _("Please shorten your name to at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = IndianPhoneField(
        label=_("Phone number"),
        help_text=_("We will call you on this number. A mobile number or a landline with its STD code."),
        error_messages={"required": _("Please give a phone number we can call you on.")},
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "maxlength": 20}
        ),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Enter a valid email address, or leave this empty."),
            "max_length": _("Enter a valid email address, or leave this empty."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    preferred_date = forms.DateField(
        label=_("Preferred date"),
        help_text=_("A day the clinic is open, up to 8 weeks ahead."),
        error_messages={
            "required": _("Please choose a date for your consultation."),
            "invalid": _("Enter the date as YYYY-MM-DD, e.g. 2025-03-14."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    preferred_session = SessionField(
        label=_("Preferred session"),
        error_messages={
            "required": _("Please choose a session."),
            "invalid_choice": _("Please choose one of the clinic's sessions: %(times)s."),
        },
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for your visit (optional)"),
        help_text=_("A few words about your skin, hair or nail concern. At most 2,000 characters."),
        required=False,
        max_length=2000,
        strip=True,
        error_messages={
            "max_length": _(
                "Please shorten this to at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
    )
    language = forms.ChoiceField(
        label=_("Language for our call"),
        error_messages={
            "required": _("Please choose the language we should call you in."),
            "invalid_choice": _("Please choose one of the languages listed."),
        },
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("I agree that the clinic may contact me about this request."),
        error_messages={"required": _("Please agree to be contacted, so that we can call you back.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ConsultationRequest
        fields = [
            "name",
            "phone",
            "email",
            "preferred_date",
            "preferred_session",
            "reason",
            "language",
            "consent",
        ]

    def __init__(self, *args, hours, language=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.hours = hours
        local_now = hours.local_now() if hours else localtime()
        self.local_now = local_now.replace(tzinfo=None)
        self.today = local_now.date()
        self.last_day = self.today + datetime.timedelta(days=BOOKING_HORIZON_DAYS)

        self.fields["preferred_session"].choices = self.session_choices()
        self.fields["preferred_date"].widget.attrs.update(
            {"min": self.today.isoformat(), "max": self.last_day.isoformat()}
        )
        languages = self.fields["language"]
        languages.choices = [
            (code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        languages.initial = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def session_choices(self):
        """
        The clinic's sessions by start time: the weekly ones, and special hours on a date in the
        booking window. A date's own sessions are checked in clean().
        """
        if self.hours is None:
            return []
        spans = {}
        for session in sorted(self.hours.sessions.all(), key=lambda s: (s.opens, s.closes)):
            spans.setdefault(session.opens, session.closes)
        for exception in self.hours.exceptions.all():
            if not exception.closed and exception.opens and self.today <= exception.date <= self.last_day:
                spans.setdefault(exception.opens, exception.closes)
        return [(session_value(opens), format_session(opens, spans[opens])) for opens in sorted(spans)]

    @property
    def is_spam(self):
        """True when the honeypot was filled in: the sender is a robot, whatever else it sent."""
        return bool(str(self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "").strip())

    def clean_name(self):
        # One line, single spaces: the name goes into e-mails and a spreadsheet.
        return " ".join(self.cleaned_data["name"].split())

    def clean_reason(self):
        return self.cleaned_data["reason"].replace("\r\n", "\n")

    def clean(self):
        cleaned_data = super().clean()
        date = cleaned_data.get("preferred_date")
        if date is None:
            return cleaned_data
        if date < self.today:
            self.add_error(
                "preferred_date",
                ValidationError(
                    _("This date has already passed. Please choose today or a later day."), code="past"
                ),
            )
            return cleaned_data
        if date > self.last_day:
            self.add_error(
                "preferred_date",
                ValidationError(
                    _("We book up to 8 weeks ahead: please choose a date until %(last_day)s."),
                    code="too_far",
                    params={"last_day": formats.date_format(self.last_day)},
                ),
            )
            return cleaned_data
        sessions = self.hours.sessions_on(date) if self.hours else []
        if not sessions:
            self.add_error("preferred_date", self.closed_error(date))
            return cleaned_data
        session = cleaned_data.get("preferred_session")
        if session is None:
            return cleaned_data
        closes = dict(sessions).get(session)
        if closes is None:
            self.add_error(
                "preferred_session",
                ValidationError(
                    _(
                        "The clinic has no session starting at %(time)s on that day. "
                        "Sessions start at %(times)s."
                    ),
                    code="no_session",
                    params={
                        "time": format_clock(session),
                        "times": ", ".join(format_clock(opens) for opens, _closes in sessions),
                    },
                ),
            )
        elif date == self.today and self.local_now.time() >= closes:
            self.add_error(
                "preferred_session",
                ValidationError(
                    _("This session has already ended today. Please choose a later session or another day."),
                    code="ended",
                ),
            )
        return cleaned_data

    def closed_error(self, date):
        exception = self.hours.exception_on(date) if self.hours else None
        if exception is not None and exception.label:
            return ValidationError(
                _("The clinic is closed on that day (%(label)s). Please choose another day."),
                code="closed",
                params={"label": exception.label},
            )
        if exception is not None:
            return ValidationError(
                _("The clinic is closed on that day. Please choose another day."), code="closed"
            )
        return ValidationError(
            _("The clinic is closed on %(weekday)s. Please choose another day."),
            code="closed",
            params={"weekday": dict(WEEKDAY_CHOICES)[date.weekday()]},
        )

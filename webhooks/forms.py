"""The admin form of a webhook endpoint: the events it receives as ticks, and a new secret on request."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .models import EventType, all_event_types, generate_secret


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=all_event_types,
        help_text="The events sent to this endpoint.",
    )
    new_secret = forms.BooleanField(
        required=False,
        label="Generate a new secret",
        help_text="Requests are signed with the new secret from the moment you save: update the receiver.",
    )

    def save(self, commit=True):
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = generate_secret()
        return super().save(commit=commit)

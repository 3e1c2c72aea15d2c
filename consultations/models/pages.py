"""The "Book a Consultation" page of the site: the form, then the thank-you page."""

import re
import secrets

from django.db import models
from django.http import HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.clients import client_ip
from cms.pages import LinkedFromEveryPageMixin, TranslatedSlugMixin
from home.models import ClinicDetails

from ..forms import ConsultationRequestForm
from ..services import (
    IdempotencyKeyReused,
    InvalidConsultationRequest,
    RateLimited,
    submit_consultation_request,
)
from .requests import ConsultationRequest

# The session key that carries the reference from the form to the thank-you page.
SESSION_REFERENCE_KEY = "consultation_reference"
# The hidden field with the form's one-time key: sending the same form twice stores one request.
FORM_KEY_FIELD = "form_key"
FORM_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def form_key(request):
    """The one-time key of the form being sent, or a new one for a new form."""
    sent = request.POST.get(FORM_KEY_FIELD, "") if request.method == "POST" else ""
    return sent if FORM_KEY.match(sent) else secrets.token_urlsafe(16)


class BookingPage(LinkedFromEveryPageMixin, TranslatedSlugMixin, RoutablePageMixin, Page):
    """
    The "Book a Consultation" page: the request form, then a thank-you page saying what happens next.

    Editors write the introduction, the privacy notice shown beside the consent box and the
    thank-you text, in each language. The form itself, its checks and its messages are the same
    as the API's (consultations.services). There is one such page, under Home.
    """

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Shown above the form: what a consultation is, how booking works."),
    )
    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown beside the consent box: what the clinic does with the patient's details."),
    )
    thank_you_heading = models.CharField(
        _("thank-you heading"),
        max_length=120,
        blank=True,
        help_text=_("The heading after a request is sent. Left empty, it reads “Thank you”."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What happens next, e.g. when the clinic will call back."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("privacy_notice"),
        MultiFieldPanel(
            [FieldPanel("thank_you_heading"), FieldPanel("thank_you_text")],
            heading=_("After sending"),
        ),
    ]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    api_fields = [
        APIField("intro"),
        APIField("privacy_notice"),
        APIField("thank_you_heading"),
        APIField("thank_you_text"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("booking page")

    def thanks_url(self, request=None):
        return self.get_url(request) + self.reverse_subpage("thanks")

    @path("")
    def booking_form(self, request):
        # The clinic's own hours (and e-mail): those of this request's site, as the footer shows.
        clinic = ClinicDetails.for_request(request)
        language = get_language()
        key = form_key(request)
        rate_limit_message = ""
        retry_after = None
        if request.method == "POST":
            try:
                # The form's own key: a double click, or the browser sending the form again, stores
                # one request and shows its thank-you page again.
                consultation = submit_consultation_request(
                    request.POST,
                    clinic=clinic,
                    language=language,
                    client_ip=client_ip(request),
                    idempotency_key=key,
                )
            except InvalidConsultationRequest as error:
                form = error.form
            except RateLimited as error:
                form = ConsultationRequestForm(request.POST, hours=clinic.hours, language=language)
                rate_limit_message = error.message
                retry_after = error.retry_after
            except IdempotencyKeyReused:
                # Sent before with other details (changed after going back): a new form, a new key.
                form = ConsultationRequestForm(request.POST, hours=clinic.hours, language=language)
                form.add_error(
                    None,
                    _(
                        "You already sent this form with other details. Please check your details "
                        "and send the form again to make a new request."
                    ),
                )
                key = secrets.token_urlsafe(16)
            else:
                request.session[SESSION_REFERENCE_KEY] = consultation.reference
                # 303: the browser fetches the thank-you page with GET, so reloading it resends nothing.
                response = HttpResponseRedirect(self.thanks_url(request))
                response.status_code = 303
                return response
        else:
            form = ConsultationRequestForm(hours=clinic.hours, language=language)
        response = self.render(
            request,
            context_overrides={
                "form": form,
                "form_key": key,
                "form_key_field": FORM_KEY_FIELD,
                "rate_limit_message": rate_limit_message,
            },
        )
        add_never_cache_headers(response)  # the form carries a CSRF token
        if retry_after is not None:
            response.status_code = 429  # the page still explains it, in the visitor's language
            response["Retry-After"] = str(retry_after)
        return response

    @path("thanks/")
    def thanks(self, request):
        """
        The request just sent, as the patient chose it (its reference, date and session): found from
        the reference in the patient's own session, never from the URL, and never cached.
        """
        reference = request.session.get(SESSION_REFERENCE_KEY, "")
        consultation = ConsultationRequest.objects.filter(reference=reference).first() if reference else None
        clinic = ClinicDetails.for_request(request)
        hours = clinic.hours if clinic is not None else None
        response = self.render(
            request,
            template="consultations/booking_page_thanks.html",
            context_overrides={
                "reference": reference,
                "consultation": consultation,
                "session": consultation.chosen_session(hours) if consultation else None,
            },
        )
        add_never_cache_headers(response)
        return response

"""Book a Consultation: the patients' requests, and the page of the site where they make them."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.timezone import now
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

from cms.pages import LinkedFromEveryPageMixin, TranslatedSlugMixin
from home.models import ClinicDetails, OpeningHours

from .validators import normalised_phone_validator

# References read well on the phone: no 0/O, 1/I/L look-alikes.
REFERENCE_PREFIX = "CR-"
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6

# How far ahead a patient may ask for a date.
BOOKING_HORIZON_DAYS = 56

# The session key that carries the reference from the form to the thank-you page.
SESSION_REFERENCE_KEY = "consultation_reference"


def clinic_opening_hours():
    """
    The hours bookings are checked against: those of the default site's Clinic details, or else
    the first OpeningHours snippet; None when there are none. Sessions and exceptions come
    prefetched, so checking many dates costs no further queries.
    """
    queryset = OpeningHours.objects.prefetch_related("sessions", "exceptions")
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        hours_id = ClinicDetails.objects.filter(site=site).values_list("opening_hours_id", flat=True).first()
        if hours_id is not None:
            hours = queryset.filter(pk=hours_id).first()
            if hours is not None:
                return hours
    return queryset.order_by("pk").first()


def generate_reference():
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class ConsultationRequestQuerySet(models.QuerySet):
    def older_than(self, days):
        """Requests received more than `days` days ago (for the retention command)."""
        return self.filter(created_at__lt=now() - datetime.timedelta(days=days))


class ConsultationRequest(models.Model):
    """
    A patient's request for a consultation, from the site or the API, for staff to call back.

    Everything the patient typed is stored as plain text; staff move the status along as they
    handle it. Requests are personal data: only staff with the consultations permissions see them,
    and `purge_consultation_requests` deletes them after the retention period.
    """

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("consultation request status", "New")
        CONTACTED = "contacted", pgettext_lazy("consultation request status", "Contacted")
        BOOKED = "booked", pgettext_lazy("consultation request status", "Booked")
        CLOSED = "closed", pgettext_lazy("consultation request status", "Closed")

    class Source(models.TextChoices):
        SITE = "site", _("Website")
        API = "api", _("API")

    reference = models.CharField(
        _("reference"),
        max_length=12,
        unique=True,
        editable=False,
        help_text=_("Quoted to the patient, e.g. CR-7KQ2MX."),
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(
        _("phone"),
        max_length=13,
        validators=[normalised_phone_validator],
        help_text=_("Stored as +91 and ten digits."),
    )
    email = models.EmailField(_("email"), blank=True)
    preferred_date = models.DateField(_("preferred date"))
    preferred_session = models.TimeField(
        _("preferred session"), help_text=_("The start time of the session the patient chose.")
    )
    reason = models.TextField(_("reason for the visit"), max_length=2000, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the patient would like to be called back in."),
    )
    consent = models.BooleanField(_("consented to be contacted"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    staff_notes = models.TextField(
        _("staff notes"), blank=True, help_text=_("For the clinic's staff only, e.g. “Called, no answer”.")
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.SITE)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sent by an API client so that a retried request is stored only once."),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ConsultationRequestQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("staff_notes")],
            heading=_("Handling"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reference", read_only=True),
                FieldPanel("created_at", read_only=True),
                FieldPanel("source", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("phone", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("language", read_only=True),
                FieldPanel("preferred_date", read_only=True),
                FieldPanel("preferred_session", read_only=True),
                FieldPanel("reason", read_only=True),
                FieldPanel("consent", read_only=True),
            ],
            heading=_("The patient's request"),
            help_text=_("As the patient sent it."),
        ),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")

    def __str__(self):
        # Only the reference: this string is kept in the admin's history, names are not.
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = self._unused_reference()
        super().save(*args, **kwargs)

    @staticmethod
    def _unused_reference():
        # 31^6 ≈ 887 million references: a clash is rare, and the unique index catches a race.
        while True:
            reference = generate_reference()
            if not ConsultationRequest.objects.filter(reference=reference).exists():
                return reference


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
        from .forms import ConsultationRequestForm
        from .ratelimit import client_ip
        from .services import InvalidConsultationRequest, RateLimited, submit_consultation_request

        language = get_language()
        rate_limit_message = ""
        retry_after = None
        if request.method == "POST":
            try:
                consultation = submit_consultation_request(
                    request.POST, language=language, client_ip=client_ip(request)
                )
            except InvalidConsultationRequest as error:
                form = error.form
            except RateLimited as error:
                form = ConsultationRequestForm(request.POST, language=language)
                rate_limit_message = error.message
                retry_after = error.retry_after
            else:
                request.session[SESSION_REFERENCE_KEY] = consultation.reference
                # 303: the browser fetches the thank-you page with GET, so reloading it resends nothing.
                response = HttpResponseRedirect(self.thanks_url(request))
                response.status_code = 303
                return response
        else:
            form = ConsultationRequestForm(language=language)
        response = self.render(
            request, context_overrides={"form": form, "rate_limit_message": rate_limit_message}
        )
        add_never_cache_headers(response)  # the form carries a CSRF token
        if retry_after is not None:
            response.status_code = 429  # the page still explains it, in the visitor's language
            response["Retry-After"] = str(retry_after)
        return response

    @path("thanks/")
    def thanks(self, request):
        response = self.render(
            request,
            template="consultations/booking_page_thanks.html",
            context_overrides={"reference": request.session.get(SESSION_REFERENCE_KEY, "")},
        )
        add_never_cache_headers(response)
        return response

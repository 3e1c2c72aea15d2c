"""A patient's request for a consultation, as stored for the clinic's staff."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from ..validators import normalised_phone_validator

# References read well on the phone: no 0/O, 1/I/L look-alikes.
REFERENCE_PREFIX = "CR-"
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6


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

    class Notification(models.TextChoices):
        """Where the e-mail telling the clinic of the request is (consultations.tasks)."""

        PENDING = "pending", pgettext_lazy("clinic e-mail status", "Pending")
        RETRYING = "retrying", pgettext_lazy("clinic e-mail status", "Retrying")
        SENT = "sent", pgettext_lazy("clinic e-mail status", "Sent")
        FAILED = "failed", pgettext_lazy("clinic e-mail status", "Failed")

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
    notification = models.CharField(
        _("clinic e-mail"),
        max_length=10,
        choices=Notification.choices,
        default=Notification.PENDING,
        db_index=True,
        editable=False,
        help_text=_("Whether the clinic has been e-mailed about this request."),
    )
    notification_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0, editable=False)
    notified_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True, editable=False)
    notification_retry_at = models.DateTimeField(
        _("next e-mail attempt"), null=True, blank=True, editable=False
    )
    notification_error = models.CharField(
        _("e-mail error"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Why the last attempt to e-mail the clinic failed."),
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
        MultiFieldPanel(
            [
                FieldPanel("notification", read_only=True),
                FieldPanel("notification_attempts", read_only=True),
                FieldPanel("notified_at", read_only=True),
                FieldPanel("notification_retry_at", read_only=True),
                FieldPanel("notification_error", read_only=True),
            ],
            heading=_("E-mail to the clinic"),
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

    def chosen_session(self, hours):
        """
        The (opens, closes) of the session the patient chose, as `hours` has it on the preferred date;
        (opens, None) when those hours no longer have a session starting then (or there are none).
        """
        sessions = dict(hours.sessions_on(self.preferred_date)) if hours is not None else {}
        return self.preferred_session, sessions.get(self.preferred_session)

    def record_notification(self, error, retry_at):
        """
        Note an attempt to e-mail the clinic: `error` is "" when it was sent, else why not;
        `retry_at` is when the next attempt runs, None if none will. Only these fields are saved,
        so that a staff member's edit made meanwhile stays.
        """
        self.notification_attempts += 1
        self.notification_error = error[:300]
        self.notification_retry_at = retry_at
        if not error:
            self.notification = self.Notification.SENT
            self.notified_at = now()
        else:
            self.notification = self.Notification.RETRYING if retry_at else self.Notification.FAILED
        self.save(
            update_fields=[
                "notification",
                "notification_attempts",
                "notified_at",
                "notification_retry_at",
                "notification_error",
            ]
        )

    @staticmethod
    def _unused_reference():
        # 31^6 ≈ 887 million references: a clash is rare, and the unique index catches a race.
        while True:
            reference = generate_reference()
            if not ConsultationRequest.objects.filter(reference=reference).exists():
                return reference

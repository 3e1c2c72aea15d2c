"""
Webhooks: the endpoints of other channels (the mobile app, the kiosk, partner sites) that hear of
changes to articles and to the clinic's details and hours, the events sent to them, and the log of
each delivery.

This is a staff-only part of the admin, in English like the rest of the admin (Wagtail's admin has
no Tamil): its strings are not marked for translation, so they stay out of the Tamil catalogue.
"""

import json
import secrets
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

# Kept in the log: enough of a receiver's answer to see what went wrong.
RESPONSE_EXCERPT_LENGTH = 1000


class EventType(models.TextChoices):
    ARTICLE_PUBLISHED = "article.published", "Article published"
    ARTICLE_UNPUBLISHED = "article.unpublished", "Article unpublished"
    ARTICLE_MOVED = "article.moved", "Article moved"
    ARTICLE_SLUG_CHANGED = "article.slug_changed", "Article slug changed"
    ARTICLE_PRIVACY_CHANGED = "article.privacy_changed", "Article privacy changed"
    ARTICLE_DELETED = "article.deleted", "Article deleted"
    CLINIC_DETAILS_CHANGED = "clinic.details_changed", "Clinic details changed"
    OPENING_HOURS_CHANGED = "clinic.hours_changed", "Opening hours changed"


def generate_secret():
    """A new signing secret: 256 random bits, prefixed so that it is recognisable when pasted."""
    return "whsec_" + secrets.token_urlsafe(32)


def all_event_types():
    return list(EventType.values)


class WebhookEndpointQuerySet(models.QuerySet):
    def subscribed_to(self, event_type):
        """The active endpoints that receive `event_type` (a handful: filtered in Python, on any database)."""
        return [endpoint for endpoint in self.filter(is_active=True) if event_type in endpoint.events]


class WebhookEndpoint(models.Model):
    """
    A URL of another channel that receives, as signed POST requests, the events it subscribed to.
    The secret is made when the endpoint is first saved and shown only on its edit page, for the
    receiving system to check signatures; no API returns it.
    """

    name = models.CharField(max_length=100, help_text="Who receives the events, e.g. “Mobile app”.")
    url = models.URLField(
        "URL", max_length=500, help_text="Where events are sent (POST). Use https:// in production."
    )
    events = models.JSONField(default=all_event_types, help_text="The events this endpoint receives.")
    secret = models.CharField(
        max_length=100,
        editable=False,
        help_text="Give this to the receiving system: every request is signed with it (see the README).",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="An inactive endpoint receives nothing; its pending retries stop."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = generate_secret()
        super().save(*args, **kwargs)


class WebhookEvent(models.Model):
    """
    One change (an article published, the hours edited), as the JSON body every endpoint subscribed
    to its type receives. Its id is the payload's `id`: the same on every retry and resend, so a
    receiver can ignore an event it has already handled.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=EventType.choices, db_index=True)
    # Not a foreign key: the events of a deleted page stay in the log.
    page_id = models.PositiveIntegerField("page ID", null=True, blank=True, db_index=True)
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "webhook event"

    def __str__(self):
        return f"{self.get_type_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def body(self):
        """The request body: the payload as compact UTF-8 JSON (the bytes that are signed)."""
        return json.dumps(
            self.payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
        ).encode()


class WebhookDelivery(models.Model):
    """
    The sending of one event to one endpoint: its status, how many attempts it took, when the next
    one is due, and what the receiver last answered. This is the delivery log in the admin.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField("queued at", default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(
        "last response code", null=True, blank=True, help_text="The receiver's last HTTP status."
    )
    response_excerpt = models.TextField(
        "last response", blank=True, help_text="The start of the receiver's last answer."
    )
    error = models.CharField(
        max_length=300, blank=True, help_text="Why the last attempt failed, when the receiver gave no answer."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event.type} → {self.endpoint}"

    def record_attempt(self, outcome, next_attempt_at):
        """Note an attempt's outcome; `next_attempt_at` is when the next one runs, None if none will."""
        self.attempts += 1
        self.last_attempt_at = timezone.now()
        self.response_code = outcome.status_code
        self.response_excerpt = outcome.excerpt[:RESPONSE_EXCERPT_LENGTH]
        self.error = outcome.error[:300]
        self.next_attempt_at = next_attempt_at
        if outcome.delivered:
            self.status = self.Status.DELIVERED
        else:
            self.status = self.Status.RETRYING if next_attempt_at else self.Status.FAILED
        self.save()

    def give_up(self, reason):
        self.status = self.Status.FAILED
        self.error = reason
        self.next_attempt_at = None
        self.save(update_fields=["status", "error", "next_attempt_at"])

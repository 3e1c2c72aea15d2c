"""The keys that make sending a consultation request safe to repeat, for a day."""

import datetime

from django.db import models
from django.utils.timezone import now

from .requests import ConsultationRequest

# How long a key answers for its request; after that the same key is a new request.
IDEMPOTENCY_KEY_LIFETIME = datetime.timedelta(hours=24)


class IdempotencyKeyQuerySet(models.QuerySet):
    def current(self):
        return self.filter(created_at__gte=now() - IDEMPOTENCY_KEY_LIFETIME)

    def expired(self):
        return self.filter(created_at__lt=now() - IDEMPOTENCY_KEY_LIFETIME)


class IdempotencyKey(models.Model):
    """
    A key a client sent so that repeating a request stores it only once: an app's
    `Idempotency-Key` header, or the one-time key in each booking form the site renders.

    A key belongs to its client (a hash of the API token it came with, else of the address), so
    two apps that both send "order-1" never meet. It keeps a hash of what was sent with it: the
    same key with the same details returns the stored request, with other details it is refused.
    After IDEMPOTENCY_KEY_LIFETIME it is forgotten. Not shown in the admin; it goes with its request.
    """

    # Never shown to anyone (so not translated): hashes, not the token or address themselves.
    client = models.CharField(max_length=64, help_text="HMAC-SHA256 of the API token, else of the address.")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request's fields as sent.")
    consultation = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_idempotency_key_per_client"),
        ]

    def __str__(self):
        return self.key

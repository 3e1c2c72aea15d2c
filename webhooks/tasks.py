"""Delivering webhooks in the background, each delivery retried with exponential backoff."""

from datetime import timedelta

from django.db import transaction
from django_tasks import task

from cms.tasks import Backoff, retry_later

from .delivery import post_event
from .models import WebhookDelivery

# Six attempts over about five and a half hours: the retries come 1, 4, 16, 64 and 256 minutes apart.
WEBHOOK_BACKOFF = Backoff(first_delay=timedelta(minutes=1), factor=4, max_attempts=6)


@task()
def deliver_webhook(delivery_id, attempt=1):
    """Send one delivery; on failure, try again later until WEBHOOK_BACKOFF gives up. Returns its status."""
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").filter(pk=delivery_id).first()
    if delivery is None:  # its endpoint was deleted meanwhile
        return None
    if delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
        return delivery.status
    if not delivery.endpoint.is_active:
        delivery.give_up("The endpoint was made inactive.")
        return delivery.status
    outcome = post_event(delivery)
    with transaction.atomic():
        next_attempt_at = (
            None
            if outcome.delivered
            else retry_later(deliver_webhook, delivery_id, attempt=attempt, backoff=WEBHOOK_BACKOFF)
        )
        delivery.record_attempt(outcome, next_attempt_at)
    return delivery.status


def send_after_commit(deliveries):
    """Queue the deliveries' first attempts, together, once the current transaction has committed."""
    ids = [delivery.pk for delivery in deliveries]

    @transaction.atomic  # one commit for them all, not one each
    def enqueue():
        for delivery_id in ids:
            deliver_webhook.enqueue(delivery_id)

    transaction.on_commit(enqueue, robust=True)

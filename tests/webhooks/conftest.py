"""Webhook tests: tasks wait in the database queue, as in production, and receivers are local servers."""

import pytest

from tests.webhooks.receiver import Receiver
from webhooks.models import WebhookEndpoint


@pytest.fixture(autouse=True)
def _queued_tasks(task_queue):
    """Every webhook test queues its deliveries, as production does (none is sent inside a request)."""


@pytest.fixture
def receivers():
    """make(statuses=..., hang=...) starts a Receiver; all are closed after the test."""
    started = []

    def make(**kwargs):
        receiver = Receiver(**kwargs)
        started.append(receiver)
        return receiver

    yield make
    for receiver in started:
        receiver.close()


@pytest.fixture
def receiver(receivers):
    return receivers()


@pytest.fixture
def endpoint(db, receiver):
    """An active endpoint, subscribed to every event, at a receiver that answers 200."""
    return WebhookEndpoint.objects.create(name="Mobile app", url=receiver.url)

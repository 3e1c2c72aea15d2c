"""Deliveries: signed as the README says, sent from the task queue, retried with backoff, never in the way."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import APIToken

from articles.models import ArticlePage
from tests.factories import ArticlePageFactory
from tests.webhooks.receiver import refused_url
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.tasks import WEBHOOK_BACKOFF

SEED = "is-micro-needling-effective-for-reducing-skin-pores"


def documented_verifier():
    """The README's `verify_signature`, run as a receiver would copy it."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Webhooks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own README
    return namespace["verify_signature"]


def publish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()


def test_a_publish_reaches_the_receiver_signed_as_the_readme_says(
    demo, endpoint, receiver, task_queue, django_capture_on_commit_callbacks
):
    article = ArticlePage.objects.get(slug_en=SEED)
    publish(article, django_capture_on_commit_callbacks)
    assert receiver.received == []  # only queued, so far

    assert task_queue.run_due().count("deliver_webhook") == 1
    [request] = receiver.received
    verify_signature = documented_verifier()
    assert verify_signature(endpoint.secret, request.body, request.headers["Clinic-Signature"])
    assert not verify_signature("whsec_another", request.body, request.headers["Clinic-Signature"])
    assert not verify_signature(endpoint.secret, request.body + b" ", request.headers["Clinic-Signature"])

    body = json.loads(request.body)
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Clinic-Event"] == body["type"] == "article.published"
    assert request.headers["Clinic-Event-Id"] == body["id"]
    assert body["page_id"] == article.pk
    assert body["urls"]["en"]["new"] == f"http://localhost/en/blog/{SEED}/"
    assert body["urls"]["ta"]["new"].startswith("http://localhost/ta/vlaipptivu/")
    assert body["urls"]["en"]["old"] == body["urls"]["en"]["new"]  # republished where it was
    assert datetime.datetime.fromisoformat(body["timestamp"]) <= timezone.now()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    assert delivery.response_excerpt == "answered 200"
    assert task_queue.waiting("deliver_webhook") == []


def test_a_stale_signature_is_refused_by_the_documented_check(
    demo, endpoint, receiver, task_queue, django_capture_on_commit_callbacks
):
    publish(ArticlePage.objects.get(slug_en=SEED), django_capture_on_commit_callbacks)
    task_queue.run_due(at=timezone.now() - datetime.timedelta(minutes=10))  # a replay, ten minutes on
    [request] = receiver.received
    assert not documented_verifier()(endpoint.secret, request.body, request.headers["Clinic-Signature"])


def test_a_receiver_answering_500_gets_the_event_again_later_and_later_until_it_answers(
    db, receivers, task_queue, django_capture_on_commit_callbacks, blog_page
):
    receiver = receivers(statuses=[500, 503, 200])
    endpoint = WebhookEndpoint.objects.create(name="Kiosk", url=receiver.url)
    article = ArticlePageFactory(parent=blog_page)
    publish(article, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    start = timezone.now()

    task_queue.run_due(at=start)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 1, 500)
    assert delivery.next_attempt_at == start + datetime.timedelta(minutes=1)

    assert task_queue.run_due(at=start + datetime.timedelta(seconds=59)) == []  # not due yet
    second = start + datetime.timedelta(minutes=1)
    assert task_queue.run_due(at=second) == ["deliver_webhook"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 2, 503)
    assert delivery.next_attempt_at == second + datetime.timedelta(minutes=4)

    third = second + datetime.timedelta(minutes=4)
    assert task_queue.run_due(at=third) == ["deliver_webhook"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert delivery.next_attempt_at is None
    assert task_queue.waiting() == []

    # The same event each time, each attempt signed afresh at its own time.
    bodies = {request.body for request in receiver.received}
    assert len(receiver.received) == 3 and len(bodies) == 1
    verify = documented_verifier()
    for request, at in zip(receiver.received, (start, second, third), strict=True):
        signature = request.headers["Clinic-Signature"]
        assert signature.startswith(f"t={int(at.timestamp())},")
        assert verify(endpoint.secret, request.body, signature, tolerance=10**6)


def test_a_receiver_that_keeps_failing_is_given_up_after_six_attempts(
    db, receivers, task_queue, django_capture_on_commit_callbacks, blog_page
):
    receiver = receivers(statuses=[500])
    WebhookEndpoint.objects.create(name="Kiosk", url=receiver.url)
    publish(ArticlePageFactory(parent=blog_page), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    at, waits = timezone.now(), []
    task_queue.run_due(at=at)
    while (delivery := WebhookDelivery.objects.get()).next_attempt_at:
        waits.append(delivery.next_attempt_at - at)
        at = delivery.next_attempt_at
        assert task_queue.run_due(at=at) == ["deliver_webhook"]

    assert waits == [datetime.timedelta(minutes=m) for m in (1, 4, 16, 64, 256)] == WEBHOOK_BACKOFF.delays
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 6, 500)
    assert len(receiver.received) == 6
    assert task_queue.waiting() == []


@pytest.mark.parametrize("receiver_kind", ["hangs", "refuses"])
def test_a_receiver_that_hangs_or_refuses_is_logged_and_retried(
    db, receivers, task_queue, settings, django_capture_on_commit_callbacks, blog_page, receiver_kind
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    url = receivers(hang=True).url if receiver_kind == "hangs" else refused_url()
    WebhookEndpoint.objects.create(name="Partner site", url=url)
    publish(ArticlePageFactory(parent=blog_page), django_capture_on_commit_callbacks)

    task_queue.run_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 1, None)
    expected = "No answer within 0.5 seconds." if receiver_kind == "hangs" else "Connection refused"
    assert expected in delivery.error
    assert len(task_queue.waiting("deliver_webhook")) == 1


@pytest.mark.django_db(transaction=True)
def test_publishing_through_the_api_never_waits_for_a_hanging_receiver(
    client, receivers, task_queue, settings, blog_page, django_user_model
):
    """In autocommit, as in production: the request queues the delivery and answers; the worker waits."""
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    receiver = receivers(hang=True)
    WebhookEndpoint.objects.create(name="Partner site", url=receiver.url)
    article = ArticlePageFactory(parent=blog_page, live=False)
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "password")
    _token, token = APIToken.create_token(user=editor, name="publishing")

    response = client.post(
        f"/api/v3/pages/{article.pk}/actions/publish/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 200
    assert ArticlePage.objects.get(pk=article.pk).live
    assert receiver.received == []  # nothing was sent while the request ran
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.event.type == "article.published"
    assert len(task_queue.waiting("deliver_webhook")) == 1

    task_queue.run_due()
    delivery.refresh_from_db()
    assert len(receiver.received) == 1
    assert delivery.status == "retrying" and "No answer" in delivery.error


def test_an_endpoint_made_inactive_stops_receiving_its_retries(
    db, receivers, task_queue, django_capture_on_commit_callbacks, blog_page
):
    receiver = receivers(statuses=[500])
    endpoint = WebhookEndpoint.objects.create(name="Kiosk", url=receiver.url)
    publish(ArticlePageFactory(parent=blog_page), django_capture_on_commit_callbacks)
    task_queue.run_due()
    endpoint.is_active = False
    endpoint.save()

    task_queue.run_due(at=timezone.now() + datetime.timedelta(minutes=2))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.error == "The endpoint was made inactive."
    assert len(receiver.received) == 1


def test_without_endpoints_nothing_is_recorded_or_queued(
    db, task_queue, django_capture_on_commit_callbacks, blog_page
):
    publish(ArticlePageFactory(parent=blog_page), django_capture_on_commit_callbacks)
    assert not WebhookEvent.objects.exists()
    assert task_queue.waiting("deliver_webhook") == []

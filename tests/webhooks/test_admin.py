"""Endpoints and the delivery log in the admin: who sees what, the secret, filters and resending."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import APIToken

from webhooks.models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent

ENDPOINTS = "/admin/webhooks/endpoints/"
DELIVERIES = "/admin/webhooks/deliveries/"


def delivery(endpoint, status, **fields):
    event = WebhookEvent.objects.create(
        type="article.published", page_id=7, payload={"type": "article.published", "page_id": 7}
    )
    return WebhookDelivery.objects.create(event=event, endpoint=endpoint, status=status, **fields)


@pytest.fixture
def log(endpoint):
    """One delivery that got through, one that gave up after six 500s."""
    return {
        "delivered": delivery(endpoint, "delivered", attempts=1, response_code=200),
        "failed": delivery(
            endpoint,
            "failed",
            attempts=6,
            response_code=500,
            response_excerpt="Internal error: database down",
        ),
    }


def user_with(django_user_model, client, *codenames):
    user = django_user_model.objects.create_user(username="staff", password="password")
    group = Group.objects.create(name="Staff")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(content_type__app_label="webhooks", codename=codename))
    user.groups.add(group)
    client.force_login(user)
    return client


def test_an_administrator_adds_an_endpoint_and_finds_its_secret_on_its_edit_page(admin_client, db):
    form = admin_client.get(ENDPOINTS + "new/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="events"[^>]*>', form)
    assert len(boxes) == len(EventType.values) and all(
        " checked" in box for box in boxes
    )  # all, to begin with

    response = admin_client.post(
        ENDPOINTS + "new/",
        {
            "name": "Mobile app",
            "url": "https://app.example.org/hooks/",
            "events": ["article.published", "article.deleted"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["article.published", "article.deleted"]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40

    edit = admin_client.get(f"{ENDPOINTS}edit/{endpoint.pk}/").content.decode()
    assert endpoint.secret in edit
    assert endpoint.secret not in admin_client.get(ENDPOINTS).content.decode()


def test_generate_a_new_secret_replaces_it(admin_client, endpoint):
    old = endpoint.secret
    form = {"name": endpoint.name, "url": endpoint.url, "events": endpoint.events, "is_active": "on"}
    admin_client.post(f"{ENDPOINTS}edit/{endpoint.pk}/", form)
    endpoint.refresh_from_db()
    assert endpoint.secret == old  # saving keeps it

    admin_client.post(f"{ENDPOINTS}edit/{endpoint.pk}/", {**form, "new_secret": "on"})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")


def test_no_api_returns_an_endpoint_or_its_secret(client, endpoint, admin_user):
    _token, token = APIToken.create_token(user=admin_user, name="integration")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for path in (
        "/api/v3/snippets/webhooks.WebhookEndpoint/",
        f"/api/v3/snippets/webhooks.WebhookEndpoint/{endpoint.pk}/",
        "/api/v3/openapi.json",
    ):
        response = client.get(path, **auth)
        assert endpoint.secret not in response.content.decode()
        assert response.status_code == 200 if path.endswith("openapi.json") else response.status_code >= 400


def test_staff_without_the_permissions_see_neither_endpoints_nor_deliveries(
    client, django_user_model, log, endpoint
):
    staff = user_with(django_user_model, client)
    for url in (ENDPOINTS, f"{ENDPOINTS}edit/{endpoint.pk}/", DELIVERIES):
        response = staff.get(url)
        assert response.status_code in (302, 403)
        assert endpoint.secret not in response.content.decode()


def test_the_log_shows_status_attempts_and_the_last_response(admin_client, log):
    listing = admin_client.get(DELIVERIES).content.decode()
    assert "Delivered" in listing and "Failed" in listing

    failed_only = admin_client.get(DELIVERIES, {"status": "failed"}).content.decode()
    assert f"inspect/{log['failed'].pk}/" in failed_only
    assert f"inspect/{log['delivered'].pk}/" not in failed_only

    details = admin_client.get(f"{DELIVERIES}inspect/{log['failed'].pk}/").content.decode()
    assert "Internal error: database down" in details
    assert "500" in details and ">6<" in details.replace(" ", "").replace("\n", "")
    assert "Resend" in details


def test_the_log_is_read_only_even_for_an_administrator(admin_client, log):
    delivered = log["delivered"]
    for url in (
        f"{DELIVERIES}new/",
        f"{DELIVERIES}edit/{delivered.pk}/",
        f"{DELIVERIES}delete/{delivered.pk}/",
    ):
        assert admin_client.get(url).status_code in (302, 403)
    admin_client.post(f"{DELIVERIES}delete/{delivered.pk}/")
    assert WebhookDelivery.objects.filter(pk=delivered.pk).exists()


def test_resend_queues_the_event_again_as_a_new_delivery(
    admin_client, log, task_queue, receiver, django_capture_on_commit_callbacks
):
    failed = log["failed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{DELIVERIES}resend/{failed.pk}/")

    again = WebhookDelivery.objects.exclude(pk__in=[d.pk for d in log.values()]).get()
    assert response.status_code == 302 and response["Location"] == f"{DELIVERIES}inspect/{again.pk}/"
    assert (again.event, again.endpoint, again.status) == (failed.event, failed.endpoint, "pending")
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.attempts == 6  # the old one stays as it was

    task_queue.run_due()
    again.refresh_from_db()
    assert again.status == "delivered" and len(receiver.received) == 1


def test_who_may_only_read_the_log_cannot_resend(client, django_user_model, log):
    reader = user_with(django_user_model, client, "view_webhookdelivery")
    failed = log["failed"]
    details = reader.get(f"{DELIVERIES}inspect/{failed.pk}/")
    assert details.status_code == 200 and "Resend" not in details.content.decode()

    assert reader.post(f"{DELIVERIES}resend/{failed.pk}/").status_code in (302, 403)
    assert WebhookDelivery.objects.count() == 2

"""`purge_consultation_requests` deletes requests past the retention period, and says how many."""

import datetime
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from consultations.models import ConsultationRequest, IdempotencyKey
from tests.factories import ConsultationRequestFactory


def received_days_ago(days, **kwargs):
    consultation = ConsultationRequestFactory(**kwargs)
    ConsultationRequest.objects.filter(pk=consultation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return consultation


def purge(*args):
    out = StringIO()
    call_command("purge_consultation_requests", *args, stdout=out)
    return out.getvalue()


def test_requests_older_than_the_default_365_days_are_deleted(db):
    received_days_ago(400)
    received_days_ago(366)
    kept = received_days_ago(364)

    output = purge()

    assert "Deleted 2 consultation requests older than 365 days." in output
    assert list(ConsultationRequest.objects.all()) == [kept]


def test_the_retention_period_comes_from_the_settings(db, settings):
    settings.CONSULTATION_RETENTION_DAYS = 30
    received_days_ago(31)
    received_days_ago(29)
    assert "Deleted 1 consultation requests older than 30 days." in purge()
    assert ConsultationRequest.objects.count() == 1


def test_days_can_be_given_on_the_command_line(db):
    received_days_ago(10)
    received_days_ago(3)
    assert "Deleted 1 consultation requests older than 7 days." in purge("--days", "7")


def test_a_dry_run_deletes_nothing(db):
    received_days_ago(400)
    assert "1 consultation requests are older than 365 days." in purge("--dry-run")
    assert ConsultationRequest.objects.count() == 1


def test_nothing_to_delete_says_zero(db):
    received_days_ago(1)
    assert "Deleted 0 consultation requests" in purge()


def test_the_admin_history_of_a_deleted_request_goes_with_it(db):
    old = received_days_ago(400)
    recent = received_days_ago(1)
    for consultation in (old, recent):
        log(consultation, "wagtail.edit")
    content_type = ContentType.objects.get_for_model(ConsultationRequest)

    purge()

    remaining = ModelLogEntry.objects.filter(content_type=content_type)
    assert list(remaining.values_list("object_id", flat=True)) == [str(recent.pk)]


def test_zero_days_is_refused(db):
    received_days_ago(1)
    with pytest.raises(CommandError):
        purge("--days", "0")
    assert ConsultationRequest.objects.count() == 1


def test_idempotency_keys_are_forgotten_after_24_hours(db):
    consultation = received_days_ago(3)
    hashes = {"client": "a" * 64, "fingerprint": "f" * 64, "consultation": consultation}
    old = IdempotencyKey.objects.create(key="old", **hashes)
    fresh = IdempotencyKey.objects.create(key="new", **hashes)
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))

    purge()

    assert list(IdempotencyKey.objects.all()) == [fresh]
    assert ConsultationRequest.objects.filter(pk=consultation.pk).exists()

"""
Delete consultation requests older than the retention period (they hold patients' personal data),
and the idempotency keys that have expired.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry

from consultations.models import ConsultationRequest, IdempotencyKey


class Command(BaseCommand):
    help = (
        "Delete consultation requests received more than --days days ago "
        "(default: settings.CONSULTATION_RETENTION_DAYS) and say how many were deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep requests received in the last DAYS days (default: CONSULTATION_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only say how many would be deleted.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.CONSULTATION_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        expired = ConsultationRequest.objects.older_than(days)
        if dry_run:
            self.stdout.write(f"{expired.count()} consultation requests are older than {days} days.")
            return
        with transaction.atomic():
            # The admin's history of a request goes with it.
            ids = expired.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
            content_type = ContentType.objects.get_for_model(ConsultationRequest)
            ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids).delete()
            _total, per_model = expired.delete()
            IdempotencyKey.objects.expired().delete()
        deleted = per_model.get(ConsultationRequest._meta.label, 0)
        self.stdout.write(f"Deleted {deleted} consultation requests older than {days} days.")

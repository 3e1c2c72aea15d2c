"""Print, or put on the bucket, the policy that makes an S3 media bucket's images public (and only them)."""

import json

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from cms.media import public_images_policy


class Command(BaseCommand):
    help = (
        "Print the bucket policy that lets anyone read images/ and original_images/ in the media bucket "
        "(AWS_STORAGE_BUCKET_NAME) and nothing else; with --apply, put it on the bucket with the "
        "project's keys. Documents stay private: Wagtail's document view reads them for visitors allowed to."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Put the policy on the bucket.")

    def handle(self, *args, apply=False, **options):
        bucket_name = getattr(default_storage, "bucket_name", None)
        if not bucket_name:
            raise CommandError("Media are on the local disk: set AWS_STORAGE_BUCKET_NAME to use a bucket.")
        policy = json.dumps(public_images_policy(bucket_name), indent=2)
        if apply:
            default_storage.connection.meta.client.put_bucket_policy(Bucket=bucket_name, Policy=policy)
            self.stdout.write(
                self.style.SUCCESS(f"Images in {bucket_name} are public; everything else is private.")
            )
        else:
            self.stdout.write(policy)

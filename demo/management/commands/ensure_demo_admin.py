"""Make sure the demo admin login printed by `make run` works. Development settings only."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "clinic-demo-admin"


class Command(BaseCommand):
    help = "Create (or repair) the demo superuser and print its login. Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo admin is for development only (DEBUG is off).")
        username = os.environ.get("DEMO_ADMIN_USERNAME", DEMO_USERNAME)
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEMO_PASSWORD)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        # Keep the printed login true even if someone changed it locally.
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Ready"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}: demo admin login {username} / {password}")
            + f"  ({settings.WAGTAILADMIN_BASE_URL}/admin/)"
        )

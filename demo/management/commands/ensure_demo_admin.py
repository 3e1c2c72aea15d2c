"""Make sure the demo admin login printed by `make run` works. Development settings only."""

import os

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "clinic-demo-admin"


class Command(BaseCommand):
    help = (
        "Create (or repair) the demo superuser, lift any sign-in lock on it and print its login. "
        "Refuses to run unless DEBUG is on, or with a password the password policy refuses."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo admin is for development only (DEBUG is off).")
        username = os.environ.get("DEMO_ADMIN_USERNAME", DEMO_USERNAME)
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEMO_PASSWORD)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        try:
            validate_password(password, user)  # the same policy as every other password
        except ValidationError as error:
            raise CommandError(f"The demo admin's password is refused: {' '.join(error.messages)}") from None
        # Keep the printed login true even if someone changed it locally, or locked it out guessing.
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        AxesProxyHandler.reset_attempts(username=username)
        verb = "Created" if created else "Ready"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}: demo admin login {username} / {password}")
            + f"  ({settings.WAGTAILADMIN_BASE_URL}/admin/)"
        )

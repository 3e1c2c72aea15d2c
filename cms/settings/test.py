"""Fast, isolated settings for the test suite."""

import os
import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A media folder per test process, so parallel runs never delete each other's files. Storage
# creates it on the first upload; commands run with these settings (makemigrations --check) leave none.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"clinic-test-media-{os.getpid()}"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the finders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run at once, inside the code that enqueues them. Tests of retries and of work that must
# stay out of the request use the database queue instead (the `task_queue` fixture).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

"""
`make fuzz` settings: production settings on 127.0.0.1, e-mail kept in memory, no booking limit,
and every write in the run's own throwaway folder (FUZZ_WORKDIR, which fuzz/run.py makes): the
fuzzer creates, edits and deletes pages, images and sites with an editor's token, so these settings
refuse to start without that folder and ignore DATABASE_URL and REDIS_URL.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECRET_KEY", "fuzz-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Production's console log, errors only: their tracebacks go to the server's log, which run.py reads.
os.environ.setdefault("LOG_LEVEL", "ERROR")

from cms.settings.production import *  # noqa: E402, F403

if not os.environ.get("FUZZ_WORKDIR"):
    raise ImproperlyConfigured("fuzz.settings needs FUZZ_WORKDIR, a throwaway folder: run `make fuzz`.")
FUZZ_WORKDIR = Path(os.environ["FUZZ_WORKDIR"])

# The server's 8 threads write at once: each write transaction takes SQLite's lock when it begins
# (IMMEDIATE) and waits for it, rather than failing with "database is locked" (a 500) when a read
# turns into a write while another holds it.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": FUZZ_WORKDIR / "fuzz.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public"},
}
MEDIA_ROOT = FUZZ_WORKDIR / "media"
STATIC_ROOT = FUZZ_WORKDIR / "static"

# Plain HTTP on 127.0.0.1: no redirect to HTTPS, no Secure cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The fuzzer sends thousands of booking requests from one address: with the limit on, all but
# five would only ever meet the 429, and the form's checks would go untested.
CONSULTATION_RATE_LIMIT = None

"""`make fuzz` settings: production settings on 127.0.0.1, e-mail to the console, no booking limit."""

import os

os.environ.setdefault("SECRET_KEY", "fuzz-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

from cms.settings.production import *  # noqa: E402, F403

# Plain HTTP on 127.0.0.1: no redirect to HTTPS, no Secure cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Server errors' tracebacks go to the server's log, beside the access log run.py reads.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
# The fuzzer sends thousands of booking requests from one address: with the limit on, all but
# five would only ever meet the 429, and the form's checks would go untested.
CONSULTATION_RATE_LIMIT = None

"""
Settings of the server processes tests/test_instances.py starts: production's, on 127.0.0.1, with
static files served from their sources (as tests never run collectstatic) and e-mail kept in memory.
"""

import os

os.environ.setdefault("SECRET_KEY", "instances-test-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # plain HTTP on loopback, as behind a TLS proxy
os.environ.setdefault("LOG_LEVEL", "ERROR")  # production's console log: errors only

from cms.settings.production import *  # noqa: E402, F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

"""Benchmark settings: production settings on 127.0.0.1, plus Wagtail's stock API v2 to compare with."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

from cms.settings.production import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]  # noqa: F405
ROOT_URLCONF = "benchmarks.urls"
# Plain HTTP on 127.0.0.1: no redirect to HTTPS, no Secure cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Booking requests are not what is measured; never rate-limit the load generator.
CONSULTATION_RATE_LIMIT = None
# The benchmark's uncached server (BENCH_UNCACHED=1, see run.py): it never stores a response, and
# reads its own keys, so that it finds none of the cached server's in a shared Redis; what pages
# share (cms/shared_data.py) is kept in the public cache as always.
if os.environ.get("BENCH_UNCACHED"):
    PUBLIC_CACHE_STORE_RESPONSES = False
    CACHE_MIDDLEWARE_KEY_PREFIX = "bench-uncached"

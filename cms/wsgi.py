"""WSGI entry point (gunicorn cms.wsgi). Production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# What is loaded by now (modules, settings, URL patterns, apps) lives as long as the process: kept
# out of the garbage collector's reach, its full collections, which a page's many objects set off
# every few requests, do not walk it all again each time.
gc.freeze()

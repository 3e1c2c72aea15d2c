"""Settings shared by every environment. Values that differ per machine come from the environment."""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def redis_url_with_db(url, db):
    """The same Redis server as `url`, another database number."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def env_list(name, default="", environ=os.environ):
    """A comma-separated environment variable as a list, ignoring blanks."""
    return [item.strip() for item in environ.get(name, default).split(",") if item.strip()]


# Order matters: wagtail-modeltranslation (and its migrate/makemigrations overrides) and
# modeltranslation come first, then our apps, then every wagtail.* app. Other orders fail at
# start-up or break API serialisation of the translated fields.
INSTALLED_APPS = [
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "cms",
    "home",
    "articles",
    "consultations",
    "webhooks",
    "demo",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.api.v3",
    # django-ninja (Wagtail's v3 API): as an app, its docs page loads Swagger UI from its own static
    # files (pinned with it) instead of a CDN.
    "ninja",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Background tasks (cms/tasks.py): Django's tasks framework (backport) and its database queue.
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "corsheaders",
    "axes",
    # django-csp: the Content-Security-Policy header (its checks catch settings in an old format).
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Only for its sitemap.xml template (wagtail.contrib.sitemaps renders Django's).
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, cached ones and static files
    # included (cms/middleware.py): above whitenoise and the public cache.
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "cms.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Brotli or gzip for pages and the API (cms/compression.py): below whitenoise, whose static
    # files come compressed already; above the public cache and the ETags, which keep working on
    # the uncompressed body.
    "cms.compression.CompressionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # ETag/If-None-Match → 304 for every response, cached ones included.
    "cms.middleware.ConditionalGetMiddleware",
    # Public reads (cms/cache.py): stored on the way out, answered from the cache on the way in,
    # before the rest of the stack runs (the key's language is the one LanguageMiddleware chooses).
    "cms.cache.UpdatePublicCacheMiddleware",
    "cms.cache.FetchPublicFromCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.LanguageMiddleware",
    "cms.middleware.ApiProblemMiddleware",
    "cms.middleware.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it turns a sign-in refused for too many failures into the lockout answer (cms/logins.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite by default; DATABASE_URL (e.g. postgres://127.0.0.1:5432/test) switches to a server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}

# Local memory by default; REDIS_URL (e.g. redis://127.0.0.1:6379/0) switches to Redis. The
# "public" cache holds only cached public responses (cms/cache.py) and is cleared whenever content
# changes, so with Redis it gets a database of its own (PUBLIC_CACHE_REDIS_URL, default: db 1).
# cms.redis_cache.RedisCache is Django's RedisCache keeping one redis-py client (see there why).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "cms.redis_cache.RedisCache", "LOCATION": REDIS_URL},
        "public": {
            "BACKEND": "cms.redis_cache.RedisCache",
            "LOCATION": os.environ.get("PUBLIC_CACHE_REDIS_URL", redis_url_with_db(REDIS_URL, 1)),
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public"},
    }
CACHE_MIDDLEWARE_ALIAS = "public"
CACHE_MIDDLEWARE_KEY_PREFIX = "public"
# How long browsers, and this cache, keep a public response (content changes clear it at once).
CACHE_MIDDLEWARE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
# False: public responses are never stored, while what pages share (cms/shared_data.py) still is,
# so every read is what the first reader of a page sees after a publish (benchmarks/ only).
PUBLIC_CACHE_STORE_RESPONSES = True
# What is cached: the API, the sitemap's index and sections, and the pages of every language,
# anonymous GETs only (cms/cache.py). The languages' prefixes are added below, once LANGUAGES is set.
PUBLIC_CACHE_PATHS = ["/api/", "/sitemap"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters: short guessable ones ("clinic123", "skinclinic") are refused outright.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins (the admin, and pages protected by a password: cms/logins.py) are counted by
# django-axes per address and per account: after AXES_FAILURE_LIMIT failures either is locked for
# AXES_COOLOFF_TIME, even with the right password. An administrator lifts a lock sooner under
# Settings → Sign-in lockouts, or with `manage.py axes_reset_username <name>` / `axes_reset_ip <address>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "cms.logins.address_for_axes"
AXES_LOCKOUT_CALLABLE = "cms.logins.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Retrying while locked does not push the end of the lock further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Only failures are kept (and deleted with the lock): no log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True

# Languages: English is the default and the fallback; Tamil is the clinic's second language.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ta", _("Tamil")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats where Django's do not read naturally (cms/formats/ta: Tamil dates without a comma).
FORMAT_MODULE_PATH = ["cms.formats"]
PUBLIC_CACHE_PATHS += [f"/{code}/" for code, _name in LANGUAGES]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
USE_TZ = True
# The server's own zone; the clinic's hours use the zone stored on the OpeningHours snippet.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Kolkata")

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"


# Media storage
# Uploads (images, their renditions, documents) live on local disk under MEDIA_ROOT and the project
# serves the images itself at MEDIA_URL (cms/media.py), in production too: whitenoise serves only
# what collectstatic gathered. With AWS_STORAGE_BUCKET_NAME set they live in an S3-compatible bucket
# instead (django-storages), whose policy makes the images public and leaves the documents private.
# Documents are only ever served by Wagtail's view, which checks a private collection's restriction.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# How long browsers and a CDN may keep an image before asking again (with its ETag: a 304 then).
MEDIA_CACHE_SECONDS = int(os.environ.get("MEDIA_CACHE_SECONDS", "86400"))


# Django's FileSystemStorage, with image URLs written faster (cms/media.py).
LOCAL_MEDIA_STORAGE = "cms.media.LocalMediaStorage"


def media_storage(environ):
    """STORAGES["default"] as the environment asks: the local disk, or an S3 bucket."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return {"BACKEND": LOCAL_MEDIA_STORAGE}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # A CDN or a public host name in front of the bucket, for the images' URLs.
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Plain URLs that do not expire inside cached pages and API responses: the bucket's policy
            # lets anyone read images/ and original_images/, and nothing else (README, "Media").
            "querystring_auth": False,
            # No object ever carries its own public-read ACL: a document stays private.
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": f"public, max-age={MEDIA_CACHE_SECONDS}"},
        },
    }


STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Whether MEDIA_URL is served by the project (cms.urls.media_urlpatterns): local disk only.
SERVE_MEDIA = STORAGES["default"]["BACKEND"] == LOCAL_MEDIA_STORAGE

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Skin clinic"
# The admin's own address, for links in e-mails (a notification of a new consultation request).
# Production requires it (cms/settings/production.py); this default is for `make run` only.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The admin calls nobody: no check for new Wagtail releases (releases.wagtail.org) on the dashboard,
# no avatars from Gravatar (an editor's e-mail hash sent to a third party). The Content-Security-Policy
# below would block both anyway.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's database search (PostgreSQL full text in production), matching Tamil words whole and by
# prefix, titles and introductions first (cms/search_backends). README, "Search", says how to move to
# OpenSearch or Elasticsearch.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backends", "SEARCH_CONFIG": "simple"}}
# Document files go out only through Wagtail's view (/documents/<id>/<name>), which checks a private
# collection's restriction; never from their storage URL (see cms.urls.media_urlpatterns).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
# Field-level translations through modeltranslation; Wagtail's per-tree i18n stays off.
WAGTAIL_I18N_ENABLED = False
# Slugs stay ASCII: Tamil titles are transliterated (see cms.pages.TranslatedSlugMixin).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# The editor's language buttons are the project's own (cms/static/cms/editor/languages.js).
WAGTAILMODELTRANSLATION_LOCALE_PICKER = False

ARTICLES_PER_PAGE = 10


# CDN
# A CDN in front of the site forgets the pages and API responses a change to a page makes stale
# (cms/frontend_cache.py), through Wagtail's frontend_cache backends, configured from the environment:
# Cloudflare (CLOUDFLARE_ZONE_ID and an API token allowed to purge its cache), CloudFront
# (CLOUDFRONT_DISTRIBUTION_ID, with the usual AWS_* credentials), or any cache that takes HTTP PURGE
# requests (FRONTEND_CACHE_PURGE_URL, e.g. Varnish). None of them set: nothing is purged.
def frontend_cache_backends(environ):
    """WAGTAILFRONTENDCACHE as the environment asks (empty: no CDN)."""
    backends = {}
    if environ.get("CLOUDFLARE_ZONE_ID"):
        if not environ.get("CLOUDFLARE_API_TOKEN"):
            raise ImproperlyConfigured(
                "CLOUDFLARE_ZONE_ID needs CLOUDFLARE_API_TOKEN (with Cache Purge permission)."
            )
        backends["cloudflare"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": environ["CLOUDFLARE_ZONE_ID"],
            "BEARER_TOKEN": environ["CLOUDFLARE_API_TOKEN"],
        }
    if environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
        backends["cloudfront"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": environ["CLOUDFRONT_DISTRIBUTION_ID"],
        }
    if environ.get("FRONTEND_CACHE_PURGE_URL"):
        backends["http"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": environ["FRONTEND_CACHE_PURGE_URL"],
        }
    # Only URLs on these hosts are purged (comma-separated; default: every host of the Sites).
    hostnames = env_list("FRONTEND_CACHE_HOSTNAMES", environ=environ)
    if hostnames:
        for backend in backends.values():
            backend["HOSTNAMES"] = hostnames
    return backends


WAGTAILFRONTENDCACHE = frontend_cache_backends(os.environ)


# Background tasks: work that must not hold up a request (search and reference indexing by Wagtail,
# webhook deliveries) is queued in the database and run by `manage.py db_worker` (`make run` starts
# one; production runs it as a service of its own). The tests run tasks at once, in the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# API. WAGTAILAPI_BASE_URL stays unset: Wagtail's endpoints then give absolute URLs on the request's
# Site, not on a fixed host (such as WAGTAILADMIN_BASE_URL's development default).
WAGTAILAPI_LIMIT_MAX = 50
# Rich text in API responses as display HTML, with links resolved to public URLs.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Browsers on these origins (comma-separated, e.g. https://app.example.org) may call the API.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# Book a Consultation (the consultations app). The rate limit is per client IP address, as
# "count/period" (s, m, h or d, e.g. "5/h"); an empty value turns it off (benchmarks).
CONSULTATION_RATE_LIMIT = os.environ.get("CONSULTATION_RATE_LIMIT", "5/h") or None
CONSULTATION_RETENTION_DAYS = int(os.environ.get("CONSULTATION_RETENTION_DAYS", "365"))
# Where new requests are announced when the Clinic details setting has no email address.
CONSULTATION_NOTIFY_EMAIL = os.environ.get("CONSULTATION_NOTIFY_EMAIL", "")
# How long the mail server has to answer, in seconds, before an attempt to send fails (and is retried
# later: e-mails are sent by the task worker, never while a patient waits).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# The request header a trusted reverse proxy sets to the visitor's address (e.g. X-Forwarded-For);
# empty: the address of the connection itself. Never set it without such a proxy in front.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
# Webhooks (the webhooks app): how long a receiver has to answer one delivery, in seconds.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))

# Security headers, in every environment so that development and the tests see what production
# sends (production.py adds HTTPS: HSTS, the redirect, secure cookies).
# Content-Security-Policy (django-csp 4): the site, the API and its docs (Swagger UI, served from our
# static files with no inline script) load nothing from elsewhere and run no inline script or style.
# data: images are Swagger UI's icons. No other site may frame a page (X-Frame-Options: DENY too);
# JSON-LD blocks are data, which CSP does not treat as script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The server error page's own <style> (templates/500.html must work without static files), by
        # its hash: tests/production/test_headers.py fails when the template and the hash part.
        "style-src": ["'self'", "'sha256-wsy0j/Eijj2oUmPMm0WGo12LN2lQnKzvePzdxCA6duE='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin (ADMIN_PATH_PREFIX) gets a looser policy, and why (seen in Chromium, see
# tests/e2e/test_content_security_policy.py): its edit forms start their widgets with inline scripts
# (`new SnippetChooser(...)`, `initDateChooser(...)`, wagtail-modeltranslation's settings), different
# on every form, so neither a hash nor a nonce (which Wagtail cannot take) would do; its bundled
# JavaScript adds <style> elements; and its preview panel frames the admin's own preview view. Only
# signed-in staff reach those pages, and everything else stays as strict as the site's.
ADMIN_PATH_PREFIX = "/admin/"
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'self'"],
    }
}


def image_origins(storage):
    """Where images come from besides the site: an S3 bucket's host or the CDN in front of it."""
    options = storage.get("OPTIONS", {})
    if "bucket_name" not in options:
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        return [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://*.{endpoint.netloc}"]
    return ["https://*.amazonaws.com"]


for _policy in (CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY):
    _policy["DIRECTIVES"]["img-src"] = [
        *_policy["DIRECTIVES"]["img-src"],
        *image_origins(STORAGES["default"]),
    ]

# The full address only to this site; other sites see the origin, and nothing over plain HTTP.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Permissions-Policy (cms/middleware.py): browser features that no page of the site uses, denied to
# it and to anything it frames. A feature with an empty list is off for everyone.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

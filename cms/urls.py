import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from articles import views as article_views
from cms import logins, views
from cms.api import api
from cms.cache import showing_pages
from cms.media import PUBLIC_FOLDERS, serve_media
from cms.sitemaps import TranslatedSitemap

SITEMAPS = {"pages": TranslatedSitemap}

# Outside the language prefix: the admin (English, see the README), documents, the API, and the
# sitemap and robots.txt (one each for the whole site, every language in them). The sitemap is an
# index of sections (/sitemap-pages.xml?p=N), each publicly cached (cms/cache.py).
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", api.urls),
    path(
        "sitemap.xml",
        showing_pages(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        showing_pages(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # For load balancers and supervisors (cms/views.py); exempt from the HTTPS redirect (production.py).
    path("healthz", views.healthz, name="healthz"),
    # Browsers and crawlers ask for /favicon.ico by themselves: send them to the SVG icon, under its
    # hashed name (looked up per request, so the URLs load before collectstatic has run).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
]


def media_urlpatterns():
    """
    Uploaded images under MEDIA_URL (originals and renditions, public by Wagtail's design), served
    from the local disk by cms.media; never documents, whose files are served only by
    /documents/<id>/<file name>, which checks a private collection's restriction first.
    """
    return [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/') + folder)}(?P<path>.*)$",
            serve_media,
            {"folder": folder},
        )
        for folder in PUBLIC_FOLDERS
    ]


# In production too (settings.SERVE_MEDIA): only an S3 bucket serves the images itself.
if settings.SERVE_MEDIA:
    urlpatterns += media_urlpatterns()

# A request for a host not in ALLOWED_HOSTS gets a plain 400, every other bad request the site's page.
handler400 = views.bad_request

# Wagtail's front-end patterns, with page serving swapped for ours (which redirects a path given
# in another language's slugs) and the page-password form for one that counts failed passwords
# (cms/logins.py). They keep Wagtail's names, so page.url and the password form still reverse to them.
OWN_VIEWS = {"wagtail_serve", "wagtailcore_authenticate_with_password"}
wagtail_frontend_patterns = [
    pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") not in OWN_VIEWS
] + [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        logins.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    re_path(wagtail_urls.serve_pattern, views.serve, name="wagtail_serve"),
]

# Every page is served at /en/<english path>/ and /ta/<tamil path>/; `/` and unprefixed paths
# redirect by the visitor's language cookie, then Accept-Language, then English.
urlpatterns += i18n_patterns(
    path("search/", article_views.search, name="search"),
    path("", include(wagtail_frontend_patterns)),
    prefix_default_language=True,
)

"""The site's own views beside Wagtail's pages: serving in every language, robots.txt, health."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import connections
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import bad_request as site_bad_request
from wagtail.views import serve as wagtail_serve

from cms.pages import find_page_by_path, find_site, route_for_request

logger = logging.getLogger(__name__)


def serve(request, path):
    """
    Serve a page by its path in the current language, as Wagtail does.

    A path written in another language's slugs (an old link, or a naive language switch such as
    /ta/blog/<english-slug>/) is answered with a permanent redirect to the page's own path in the
    current language instead of a 404.
    """
    route_for_request(request, path)  # Wagtail's serve() then finds the route on the request
    try:
        return wagtail_serve(request, path)
    except Http404:
        page = find_page_by_other_language_path(request, path)
        if page is None:
            raise
        return redirect(page.get_url(request), permanent=True)


def find_page_by_other_language_path(request, path):
    site = find_site(request)
    current = get_language()
    for language, _name in settings.LANGUAGES:
        if language != current:
            page = find_page_by_path(site, language, path)
            if page is not None:
                return page
    return None


def robots_txt(request):
    """Crawlers may read everything but the admin; the sitemap lists every page in every language."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request):
    """
    For a load balancer or a supervisor: 200 when every database and cache answers, else 503, with
    which of them failed ("ok" or "unavailable", never an error message, which may name hosts or
    users: those go to the log). Never cached, by anyone: it must say how things are now.
    """
    checks = {}
    for alias in settings.DATABASES:
        checks[f"database:{alias}"] = _check(f"database {alias}", _database_answers, alias)
    for alias in settings.CACHES:
        checks[f"cache:{alias}"] = _check(f"cache {alias}", _cache_answers, alias)
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )


def _check(name, check, alias):
    try:
        check(alias)
    except Exception:
        logger.exception("Health check: the %s does not answer", name)
        return "unavailable"
    return "ok"


def _database_answers(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_answers(alias):
    # A read is enough: it reaches the server (Redis) and leaves nothing behind.
    caches[alias].get("healthz")


def bad_request(request, exception):
    """
    The 400 page; for a Host that is not one of ALLOWED_HOSTS a plain one: the site's page links to
    itself on the request's host (canonical, hreflang, the feed), which would fail in turn, a 500.
    """
    if isinstance(exception, DisallowedHost):
        return HttpResponseBadRequest("Bad Request: unknown host", content_type="text/plain; charset=utf-8")
    return site_bad_request(request, exception)

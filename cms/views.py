"""The site's own views beside Wagtail's pages: serving in every language, robots.txt."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from cms.pages import find_page_by_path


def serve(request, path):
    """
    Serve a page by its path in the current language, as Wagtail does.

    A path written in another language's slugs (an old link, or a naive language switch such as
    /ta/blog/<english-slug>/) is answered with a permanent redirect to the page's own path in the
    current language instead of a 404.
    """
    try:
        return wagtail_serve(request, path)
    except Http404:
        page = find_page_by_other_language_path(request, path)
        if page is None:
            raise
        return redirect(page.get_url(request), permanent=True)


def find_page_by_other_language_path(request, path):
    site = Site.find_for_request(request)
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

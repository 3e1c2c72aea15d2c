"""
Page.get_url for many pages at once (the API's lists of cards): get_url reverses Wagtail's serving
URL for every page, where one reverse per language will do. It must answer exactly as get_url does.
"""

import re
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from wagtail import urls as wagtail_urls
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Site


class PageUrls:
    """`PageUrls(request).get_url(page)` is `page.get_url(request)` in the active language."""

    def __init__(self, request):
        site = Site.find_for_request(request)
        self.site_id = site.pk if site else None
        # Every site's root path in the active language, from Wagtail's per-request cache.
        self.root_paths = site.root_page._get_site_root_paths(request) if site else []
        self.one_site = len({root.site_id for root in self.root_paths}) == 1
        self.serve_prefix = reverse("wagtail_serve", args=("",))  # e.g. /ta/

    def get_url(self, page):
        """What Page.get_url_parts and get_url do, with the sites' root paths and prefix at hand."""
        url_path = page.url_path
        possible = [root for root in self.root_paths if url_path.startswith(root.root_path)]
        if not possible:
            return None
        chosen = possible[0]
        if len({root.site_id for root in possible}) > 1:  # in several sites: prefer the request's
            chosen = next((root for root in possible if root.site_id == self.site_id), chosen)
        rest = url_path[len(chosen.root_path) :]
        if not re.fullmatch(wagtail_urls.serve_pattern, rest):
            return None  # reverse() refuses it too
        path = self.serve_prefix + quote(rest, safe=RFC3986_SUBDELIMS + "/~:@")  # as reverse() quotes
        if not WAGTAIL_APPEND_SLASH and path != "/":
            path = path.rstrip("/")
        return path if chosen.site_id == self.site_id or self.one_site else chosen.root_url + path

"""
The sitemap: every live, public page once per language, each with its hreflang alternates, in
sections of at most MAX_URLS_PER_SECTION URLs listed by a sitemap index at /sitemap.xml.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap

from cms.pages import unexpired_q

# URLs in one section (/sitemap-pages.xml?p=N): a tenth of what the protocol allows, so that no
# request builds a multi-megabyte document. Each page gives one URL per language; the blog gives
# its authors' pages too, for which RESERVED_URLS are kept.
MAX_URLS_PER_SECTION = 5000
RESERVED_URLS = 200


class TranslatedSitemap(Sitemap):
    """
    Wagtail's sitemap, once per language, without pages past their expiry time.

    Django's own `i18n`/`alternates` options do not reach Wagtail's Sitemap, which builds its URLs
    from `page.get_sitemap_urls()` itself, so each page's URLs are asked for under each language
    in turn. URLs are given on the host the request came to, as the pages' canonical links are
    (get_sitemap_urls uses the Site's hostname; the sitemap only lists the request's own site).
    The x-default alternate is the default language's URL, as in the pages' own hreflang links.
    """

    @property
    def limit(self):
        """Pages per section, so that a section holds at most MAX_URLS_PER_SECTION URLs."""
        return (MAX_URLS_PER_SECTION - RESERVED_URLS) // len(settings.LANGUAGES)

    def items(self):
        return super().items().filter(unexpired_q())

    def get_latest_lastmod(self):
        """The newest page's date, for the index: one query, where Django's would load every page."""
        pages = super().items().filter(unexpired_q()).order_by()
        return pages.aggregate(latest=Max(Coalesce("last_published_at", "latest_revision_created_at")))[
            "latest"
        ]

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        items = list(self.paginator.page(page).object_list)
        by_item = [{} for _item in items]
        # One language at a time: the site's root paths, which every URL needs, are then looked up
        # once per language and request rather than once per page and language.
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for item, by_language in zip(items, by_item, strict=True):
                    by_language[code] = [
                        {**url_info, "location": self.on_request_host(url_info["location"])}
                        for url_info in item.get_sitemap_urls(self.request)
                        if url_info.get("location")
                    ]
        for by_language in by_item:
            # A page may give several URLs (the blog: itself, then its authors' pages), in the same
            # order in every language: the n-th URLs of the languages are alternates of each other.
            for position in range(max(map(len, by_language.values()), default=0)):
                same = {
                    code: entries[position]["location"]
                    for code, entries in by_language.items()
                    if position < len(entries)
                }
                alternates = [{"lang_code": code, "location": location} for code, location in same.items()]
                if settings.LANGUAGE_CODE in same:
                    alternates.append({"lang_code": "x-default", "location": same[settings.LANGUAGE_CODE]})
                for entries in by_language.values():
                    if position < len(entries):
                        urls.append({**entries[position], "alternates": alternates})
                        last_mods.add(entries[position].get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def on_request_host(self, url):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.request.build_absolute_uri(path)


def sitemap_urls(site):
    """The full URLs of `site`'s sitemap index and of each of its sections (for a CDN to purge)."""
    sitemap = TranslatedSitemap()
    sitemap.get_wagtail_site = lambda: site
    section = reverse("sitemap_section", kwargs={"section": "pages"})
    pages = range(2, sitemap.paginator.num_pages + 1)
    return {site.root_url + reverse("sitemap"), site.root_url + section} | {
        f"{site.root_url}{section}?p={number}" for number in pages
    }

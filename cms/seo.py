"""
What search engines and link previews read about a page: schema.org JSON-LD and the Open Graph /
Twitter card values, as plain dicts in the active language. Page types add their own graphs through
StructuredDataMixin; the clinic's graph is home's (home/structured_data.py); templates only print
them (home/templatetags/seo_tags.py).
"""

import json

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cms.pages import ancestors

SCHEMA_ORG = "https://schema.org"
# The rendition link previews and an article's JSON-LD use (Open Graph's recommended 1.91:1).
SHARE_IMAGE_FILTER = "fill-1200x630"
# Open Graph wants a territory: the clinic's audience is in India.
OG_LOCALES = {"en": "en_IN", "ta": "ta_IN"}

# Characters that could end the <script> element or open an HTML comment inside it, written as
# JSON escapes instead (as Django's json_script does), so text such as "</script>" stays data.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(graph):
    """A `<script type="application/ld+json">` element holding `graph`, safe whatever its text."""
    text = json.dumps(graph, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def page_url(request, page):
    """
    A page's absolute URL in the active language, on the host the request came to, as the
    canonical and hreflang links give it (Page.get_full_url would use the Site's hostname).
    """
    return absolute(request, page.get_url(request))


def breadcrumb_graph(request, page, home, last=None):
    """
    Home → … → the page, with URLs in the active language; None for Home itself (or above it).
    `last` is a (name, absolute URL) crumb after the page, for a route below it (an author's page).
    """
    if page.depth <= home.depth or not page.path.startswith(home.path):
        return None
    trail = [crumb for crumb in ancestors(page) if crumb.depth >= home.depth] + [page]
    crumbs = [(crumb.title, page_url(request, crumb)) for crumb in trail]
    if last is not None:
        crumbs.append(last)
    return {
        "@context": SCHEMA_ORG,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def page_description(page):
    """What a page says about itself in one or two sentences: the editor's SEO text, else its intro."""
    for field in ("search_description", "intro", "hero_intro"):
        text = (getattr(page, field, "") or "").strip()
        if text:
            return text
    return ""


def rendition_url(request, image, spec):
    """
    The absolute URL of `image`'s rendition for the filter `spec`. Through Wagtail's get_renditions(),
    which, unlike get_rendition(), does not store a rendition it found prefetched in the cache again
    at every call (with Redis, a write per page served).
    """
    (rendition,) = image.get_renditions(spec).values()
    return absolute(request, rendition.url)


def share_image_url(request, page):
    """The absolute URL of the page's hero image in the size link previews use, or None."""
    image = getattr(page, "hero_image", None)
    if image is None:
        return None
    return rendition_url(request, image, SHARE_IMAGE_FILTER)


def social_meta(request, page, canonical_url, site_name, context=None):
    """Open Graph and Twitter card values for a page (or a view without one, page None)."""
    language = translation.get_language()
    meta = {
        "site_name": site_name,
        "url": canonical_url,
        "type": getattr(page, "open_graph_type", "website"),
        "locale": OG_LOCALES.get(language, language),
        "alternate_locales": [locale for code, locale in OG_LOCALES.items() if code != language],
        "title": "",
        "description": "",
        "image": None,
        "image_alt": "",
    }
    if page is not None:
        meta["title"] = page.seo_title or page.title
        meta["description"] = page_description(page)
        meta["image"] = share_image_url(request, page)
        meta["image_alt"] = getattr(page, "hero_image_alt", "")
    if isinstance(page, StructuredDataMixin):
        meta.update(page.social_meta_overrides(request, context or {}))
    meta["twitter_card"] = "summary_large_image" if meta["image"] else "summary"
    return meta


class StructuredDataMixin:
    """
    What a page type tells search engines and link previews about itself, beyond its title,
    description and hero image: its own JSON-LD graphs, a last breadcrumb for a route below it,
    and Open Graph overrides (for a routed view such as an author's page on the blog).
    """

    open_graph_type = "website"

    def structured_data(self, request, context, clinic):
        """The page's own JSON-LD graphs (the clinic's and the breadcrumbs are added for every page)."""
        return []

    def breadcrumb_tail(self, request, context):
        """A (name, absolute URL) crumb after the page itself, for a route below it; None for none."""
        return None

    def social_meta_overrides(self, request, context):
        return {}

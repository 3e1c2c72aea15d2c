"""
What search engines and link previews read about a page: schema.org JSON-LD graphs (the clinic,
the article, the breadcrumbs) and the Open Graph / Twitter card values. Plain dicts, built from
the models in the active language; templates only print them (home/templatetags/seo_tags.py).
"""

import datetime
import json

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import ArticlePage
from home.models import UPCOMING_EXCEPTIONS_DAYS

SCHEMA_ORG = "https://schema.org"
# The rendition link previews and the article's JSON-LD use (Open Graph's recommended 1.91:1).
SHARE_IMAGE_FILTER = "fill-1200x630"
# The rendition of an author's photo on their page and in their JSON-LD (templates/articles/author_page.html).
AUTHOR_PHOTO_FILTER = "fill-320x320"
# Holidays and special hours announced to search engines this many days ahead (as the hours page does).
SPECIAL_HOURS_AHEAD_DAYS = UPCOMING_EXCEPTIONS_DAYS
SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
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


def clinic_id(request, home):
    """The clinic's JSON-LD node id, so an article's publisher can refer to it."""
    return f"{page_url(request, home)}#clinic"


def clinic_graph(request, clinic, home, at=None):
    """The clinic as a schema.org MedicalClinic: contacts, weekly hours, upcoming exceptions, map."""
    graph = {
        "@context": SCHEMA_ORG,
        "@type": "MedicalClinic",
        "@id": clinic_id(request, home),
        "name": clinic.clinic_name,
        "url": page_url(request, home),
        "medicalSpecialty": "Dermatology",
    }
    if clinic.phone:
        graph["telephone"] = clinic.phone
    if clinic.email:
        graph["email"] = clinic.email
    if clinic.address.strip():
        # The address is free text; splitting it into locality, postcode… would be guesswork,
        # so it is given as text (schema.org's `address` accepts Text), one line.
        graph["address"] = ", ".join(line.strip() for line in clinic.address.splitlines() if line.strip())
    if clinic.map_url:
        graph["hasMap"] = clinic.map_url
    hours = clinic.opening_hours
    if hours is not None:
        graph["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"{SCHEMA_ORG}/{day}",
                "opens": f"{opens:%H:%M}",
                "closes": f"{closes:%H:%M}",
            }
            for weekday, day in enumerate(SCHEMA_DAYS)
            for opens, closes in hours.weekly_sessions(weekday)
        ]
        special = special_hours(hours, at)
        if special:
            graph["specialOpeningHoursSpecification"] = special
    return graph


def special_hours(hours, at=None):
    """The coming dated exceptions: special sessions, or 00:00–00:00 (schema.org's "closed")."""
    today = hours.local_now(at).date()
    specs = []
    for date in hours.exception_dates(today, today + datetime.timedelta(days=SPECIAL_HOURS_AHEAD_DAYS)):
        sessions = hours.sessions_on(date) or [(datetime.time(0), datetime.time(0))]
        specs += [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": date.isoformat(),
                "validThrough": date.isoformat(),
                "opens": f"{opens:%H:%M}",
                "closes": f"{closes:%H:%M}",
            }
            for opens, closes in sessions
        ]
    return specs


def person(author, url=None):
    """An author as a schema.org Person; `url` (absolute) is their page on the site."""
    graph = {"@type": "Person", "name": author.name}
    if author.role:
        graph["jobTitle"] = author.role
    if author.credentials:
        graph["honorificSuffix"] = author.credentials
    if url:
        graph["url"] = url
    return graph


def author_page_url(request, blog, author):
    """The absolute URL of an author's page on the blog in the active language, or None."""
    return absolute(request, blog.get_author_url(author, request)) if blog is not None else None


def author_profile_graph(request, author, blog):
    """An author's page as a schema.org ProfilePage about the Person: name, credentials, role, bio, photo."""
    url = author_page_url(request, blog, author)
    about = person(author, url)
    if author.bio:
        about["description"] = author.bio
    if author.photo_id:
        about["image"] = absolute(request, author.photo.get_rendition(AUTHOR_PHOTO_FILTER).url)
    return {
        "@context": SCHEMA_ORG,
        "@type": "ProfilePage",
        "url": url,
        "inLanguage": translation.get_language(),
        "mainEntity": about,
    }


def opening_hours_page_graph(request, page, home):
    """The opening hours page as a WebPage about the clinic (whose graph carries the hours themselves)."""
    url = page_url(request, page)
    return {
        "@context": SCHEMA_ORG,
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": page.title,
        "inLanguage": translation.get_language(),
        "about": {"@id": clinic_id(request, home)},
    }


def article_graph(request, article, clinic, home, blog=None):
    """
    The article as a schema.org BlogPosting, the type search engines read for articles (dates,
    authors, image). The medical review is said of the page that carries it: `reviewedBy` and
    `lastReviewed` belong to WebPage in schema.org, not to a posting, so they sit on its
    `mainEntityOfPage`, a MedicalWebPage. With the `blog` (the article's parent), each person
    links to their author page.
    """
    url = page_url(request, article)
    page = {"@type": "MedicalWebPage", "@id": url, "url": url}
    if article.reviewed_by_id and article.last_reviewed:
        page["reviewedBy"] = person(article.reviewed_by, author_page_url(request, blog, article.reviewed_by))
        page["lastReviewed"] = article.last_reviewed.isoformat()
    graph = {
        "@context": SCHEMA_ORG,
        "@type": "BlogPosting",
        "headline": article.title,
        "description": article.intro,
        "url": url,
        "mainEntityOfPage": page,
        "inLanguage": translation.get_language(),
        "author": [person(author, author_page_url(request, blog, author)) for author in article.authors],
        "datePublished": article.date.isoformat(),
        "publisher": {"@type": "MedicalClinic", "@id": clinic_id(request, home), "name": clinic.clinic_name},
    }
    if article.last_published_at:
        graph["dateModified"] = article.last_published_at.isoformat()
    if article.category:
        graph["articleSection"] = article.category.name
    image = share_image_url(request, article)
    if image:
        graph["image"] = image
    return graph


def breadcrumb_graph(request, page, home, last=None):
    """
    Home → … → the page, with URLs in the active language; None for Home itself (or above it).
    `last` is a (name, absolute URL) crumb after the page, for a route below it (an author's page).
    """
    if page.depth <= home.depth or not page.path.startswith(home.path):
        return None
    trail = list(page.get_ancestors().filter(depth__gte=home.depth)) + [page]
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


def share_image_url(request, page):
    """The absolute URL of the page's hero image in the size link previews use, or None."""
    image = getattr(page, "hero_image", None)
    if image is None:
        return None
    return absolute(request, image.get_rendition(SHARE_IMAGE_FILTER).url)


def social_meta(request, page, canonical_url, site_name, author=None):
    """
    Open Graph and Twitter card values for a page (or a view without one, page None), or for an
    author's page on the blog (`author` given, `page` the blog).
    """
    language = translation.get_language()
    meta = {
        "site_name": site_name,
        "url": canonical_url,
        "type": "article" if isinstance(page, ArticlePage) else "website",
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
    if author is not None:
        meta["type"] = "profile"
        meta["title"] = author.name
        meta["description"] = author.bio
    meta["twitter_card"] = "summary_large_image" if meta["image"] else "summary"
    return meta

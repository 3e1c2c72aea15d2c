"""Template helpers for the two languages: the switcher and hreflang links, fallback marking."""

from django import template
from django.conf import settings
from django.http import Http404
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from wagtail.contrib.routable_page.models import RoutablePageMixin

from cms.i18n import fallback_fields

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """
    One entry per language in settings.LANGUAGES: its code, its name in itself, and this page's
    URL (relative and absolute) in that language.
    """
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    current = translation.get_language()
    links = []
    route = routed_subpage_path(request, page)
    for code, _name in settings.LANGUAGES:
        if page is not None and getattr(page, "pk", None):
            with translation.override(code):
                url = page.get_url(request)
            if url and route:
                url += route
        else:
            # A view outside Wagtail's pages (search): its URL resolved in the current language,
            # reversed in the other (translate_url switches language itself).
            url = translate_url(request.get_full_path(), code)
        if not url:
            continue
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": url,
                "full_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    return links


def routed_subpage_path(request, page):
    """
    The path below a routable `page` of the route the request is for (e.g. "authors/janani-palanivel/"),
    or "" for the page itself. A route's path is the same in every language (only the page's slugs are
    translated), so it is appended to the page's URL in each language. (wagtail-modeltranslation's
    routing does not record Wagtail's `request.routable_resolver_match`, so the path is read off the
    request's own.)
    """
    if not isinstance(page, RoutablePageMixin):
        return ""
    page_url = page.get_url(request)
    if not page_url or not request.path.startswith(page_url):
        return ""
    rest = request.path[len(page_url) :]
    if not rest:
        return ""
    try:
        page.resolve_subpage("/" + rest)
    except Http404:
        return ""
    return rest


@register.simple_tag
def fell_back(instance, *fields):
    """True when any of the named fields of `instance` is shown in the default language."""
    if instance is None:
        return False
    return bool(fallback_fields(instance, fields=fields or None))


@register.simple_tag
def lang_attr(instance, *fields):
    """` lang="en"` when the named fields of `instance` fell back to the default language."""
    if instance is not None and fallback_fields(instance, fields=fields or None):
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return ""

"""
A CDN in front of the site (settings.WAGTAILFRONTENDCACHE: Cloudflare, CloudFront or an HTTP cache)
is told to forget the URLs that a change to a page made stale, through Wagtail's frontend_cache
backends and its purge task, which the task worker runs after the change has committed.

For each change (cms.page_changes) these are: the page in every language, at its URLs before and
after the change, with its own cached paths (Page.get_cached_paths: a blog's feed, its authors'
pages); its descendants when their URLs or privacy changed with it; the pages above it, which list
it; the other pages that show it and the API paths that show it, which each page type declares
(`get_pages_showing_it()`, `get_cached_api_paths()`); every page, when the layout links to the page
and its address changed; and the sitemap. A deleted image's files go too. Wagtail's own
frontend_cache app is not installed: its handlers purge a page in the editor's language only, and
nothing of the API.
"""

import copy
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.page_changes import PageChange, full_urls, page_changed, url_paths
from cms.pages import LinkedFromEveryPageMixin
from cms.sitemaps import sitemap_urls

# The API's answers in another language than the default one are other URLs to a CDN.
API_LANGUAGE_PARAMETERS = ["", *(f"lang={code}" for code, _name in settings.LANGUAGES), "lang=*"]


def connect_frontend_cache_purge():
    page_changed.connect(purge_after_change, dispatch_uid="frontend-cache-page-changed")
    image_model = get_image_model()
    for model in (image_model, image_model.get_rendition_model()):
        post_delete.connect(
            purge_deleted_file, sender=model, dispatch_uid=f"frontend-cache-{model._meta.label}"
        )


def purge_deleted_file(sender, instance, **kwargs):
    """
    A deleted image's (or rendition's) file leaves the CDN at once, not MEDIA_CACHE_SECONDS later:
    an editor who deletes a photo wants it gone. A local file's URL is on every site's host.
    """
    if not settings.WAGTAILFRONTENDCACHE or not instance.file:
        return
    url = instance.file.url
    urls = [url] if urlsplit(url).netloc else [site.root_url + url for site in Site.objects.all()]
    transaction.on_commit(partial(purge_urls_from_cache, urls), robust=True)


def purge_after_change(sender, page, change, old_url_paths, **kwargs):
    """Work out the URLs now, while the page's old paths are known; purge them once committed."""
    if not settings.WAGTAILFRONTENDCACHE:
        return
    urls = sorted(urls_to_purge(page, change, old_url_paths))
    transaction.on_commit(partial(purge_urls_from_cache, urls), robust=True)


def urls_to_purge(page, change, old_url_paths):
    """Every absolute URL whose cached copy `change` to `page` made stale."""
    new_paths = url_paths(page)
    moved = old_url_paths is not None and old_url_paths != new_paths
    urls = page_urls(page)
    if moved:
        urls |= page_urls(page, old_url_paths)
    # Unpublished and deleted descendants say so themselves; a move or a new slug changes their URLs,
    # a privacy change who may see them.
    if change in (PageChange.MOVED, PageChange.PRIVACY_CHANGED) or (change is PageChange.PUBLISHED and moved):
        for descendant in page.get_descendants().specific(defer=True):
            urls |= page_urls(descendant)
            if moved:
                urls |= page_urls(descendant, moved_paths(url_paths(descendant), new_paths, old_url_paths))
    for ancestor in ancestors(new_paths, old_url_paths if moved else None):
        urls |= page_urls(ancestor)
    site = page.get_site()
    # The layout of every page links to it: a new address, or its coming or going, changes them all.
    address_changed = change is not PageChange.PUBLISHED or moved or old_url_paths is None
    if isinstance(page, LinkedFromEveryPageMixin) and address_changed and site is not None:
        for other in site.root_page.get_descendants(inclusive=True).live().specific(defer=True):
            urls |= page_urls(other)
    for other in getattr(page, "get_pages_showing_it", list)():
        urls |= page_urls(other)
    if site is not None:
        urls |= sitemap_urls(site)  # the index and its sections
        # As the page is, and as it was (finding it by its old path now answers 404).
        for version in [page, at_paths(page, old_url_paths)] if moved else [page]:
            for path in getattr(version, "get_cached_api_paths", list)():
                urls.update(with_language_parameters(site.root_url + path))
    return urls


def page_urls(page, paths=None):
    """The page's full URL in each language (at `paths`, if given), each with its cached paths."""
    cached_paths = page.specific_deferred.get_cached_paths()
    return {
        url + path.lstrip("/")
        for url in full_urls(page, paths).values()
        if url is not None
        for path in cached_paths
    }


def at_paths(page, paths):
    """A copy of `page` with the url_paths `paths`: where it was before it moved."""
    page = copy.copy(page)
    for language, path in paths.items():
        setattr(page, f"url_path_{language}", path)
    return page


def moved_paths(paths, new_parent_paths, old_parent_paths):
    """Where a descendant at `paths` was before its ancestor moved from `old_…` to `new_parent_paths`."""
    return {
        language: old_parent_paths[language] + path.removeprefix(new_parent_paths[language])
        for language, path in paths.items()
    }


def ancestors(*paths_in_languages):
    """The pages above the given url_paths (each language's paths name the same pages), the root left out."""
    language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    prefixes = set()
    for paths in filter(None, paths_in_languages):
        parts = paths[language].strip("/").split("/")
        prefixes.update("/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts)))
    return Page.objects.filter(**{f"url_path_{language}__in": prefixes}).specific(defer=True)


def with_language_parameters(url):
    separator = "&" if "?" in url else "?"
    return [url + (separator + parameter if parameter else "") for parameter in API_LANGUAGE_PARAMETERS]

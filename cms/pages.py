"""What the page types share: editing and previewing in every language; pages every page links to."""

import functools
import hashlib
import re
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Q
from django.http import Http404
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from modeltranslation.utils import get_language, resolution_order
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult
from wagtail_modeltranslation.patch_wagtailadmin import (
    _localized_site_get_site_root_paths,
    _new_get_site_root_paths,
    _new_route,
)

from cms.editing import TranslatedPageForm
from cms.shared_data import in_request, remember
from cms.slugs import ascii_slug as ascii_slug  # the apps' models import it from here
from cms.slugs import available_slug, is_usable_slug, make_usable


class TranslatedSlugMixin:
    """
    A page edited, addressed and previewed in every language (the mixin of every page type).

    - Slugs (cms/slugs.py): a language with a title but no usable slug (none, dash-only, or in
      Tamil script, which fails Django's slug validator) gets the title's ASCII transliteration
      ("மைக்ரோ-நீட்லிங்" → "maikro-nitlin"), made unique among the siblings; the admin's form
      (`TranslatedPageForm`) applies the same rule to what editors send. Editors can still choose
      their own slug.
    - Preview: the admin's preview offers each language, and shows the page as a reader of that
      language gets it at its own URL (/ta/...): text, fallback notices, links and switcher.

    (Named after its first job; the apps' migrations name it as a base class.)
    """

    base_form_class = TranslatedPageForm

    def _set_core_field_defaults(self):
        super()._set_core_field_defaults()
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        if not parent_is_known:
            return
        for language, _name in settings.LANGUAGES:
            slug = getattr(self, f"slug_{language}", None)
            title = getattr(self, f"title_{language}", None)
            if is_usable_slug(slug) or not (slug or title):
                continue
            base_slug, _generated = make_usable(slug, title)
            if base_slug:
                slug = available_slug(base_slug, language, self.get_parent(), self)
                setattr(self, f"slug_{language}", slug)

    def get_url_parts(self, request=None):
        """
        Wagtail's, with the page's path reversed by `serve_url`. For the rare page of several sites
        (and with Wagtail's own i18n, which we do not use) Wagtail's as it is.
        """
        if settings.WAGTAIL_I18N_ENABLED:
            return super().get_url_parts(request)
        return self._url_parts(request, self._get_site_root_paths(request))

    def get_url(self, request=None, current_site=None):
        """
        Wagtail's. With one site it is the path of `get_url_parts`, the sites' root paths read once
        (Wagtail's reads them again to count the sites, and finds the request's site): a page links
        to a dozen to thirty pages.
        """
        site_root_paths = self._get_site_root_paths(request)
        if settings.WAGTAIL_I18N_ENABLED or len({values[0] for values in site_root_paths}) != 1:
            return super().get_url(request, current_site)
        url_parts = self._url_parts(request, site_root_paths)
        return url_parts[2] if url_parts is not None else None

    def _url_parts(self, request, site_root_paths):
        url_path = self.url_path  # in the active language: read once, not once per site as well
        possible_sites = [srp for srp in site_root_paths if url_path.startswith(srp.root_path)]
        if not possible_sites:
            return None
        if len({values[0] for values in possible_sites}) > 1:
            return super().get_url_parts(request)
        site_id, root_path, root_url, _language = possible_sites[0]
        try:
            page_path = serve_url(url_path[len(root_path) :])
        except NoReverseMatch:
            return (site_id, None, None)
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return (site_id, root_url, page_path)

    def get_view_restrictions(self):
        """Wagtail's, without its two queries while no page at all is restricted (the usual case)."""
        if not restricted_paths():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @property
    def preview_modes(self):
        return list(settings.LANGUAGES)

    def make_preview_request(self, original_request=None, preview_mode=None, extra_request_attrs=None):
        """
        The preview in `preview_mode`'s language: the simulated request is for the page's URL in
        that language (a new page's: that language's home), so the site's language middleware
        activates it there, as for a reader.
        """
        languages = dict(settings.LANGUAGES)
        language = preview_mode if preview_mode in languages else settings.LANGUAGE_CODE
        with translation.override(language):
            return super().make_preview_request(original_request, preview_mode, extra_request_attrs)

    def _get_dummy_header_url(self, original_request=None):
        if self.full_url or original_request is None:
            return super()._get_dummy_header_url(original_request)
        # No URL yet (a new page under a parent that has none): the language's home, not "/".
        return original_request.build_absolute_uri(f"/{translation.get_language()}/")


class LinkedFromEveryPageMixin:
    """A page type a site has one of, which the layout of every page links to (booking, hours)."""

    @classmethod
    def for_request(cls, request):
        """
        The request's site's live page of this type (or None). The pages of every such type are
        looked up together, once per request, and kept between requests (cms/shared_data.py).
        """
        site = find_site(request) if request is not None else None
        key = f"linked-pages:{site.pk if site is not None else ''}"
        pages = remember(request, key, lambda: linked_pages(site), until=lambda _pages: next_expiry(request))
        return pages.get(cls._meta.label_lower)

    @classmethod
    def url_for_request(cls, request):
        """That page's URL in the current language, or "" when the site has none."""
        page = cls.for_request(request)
        return page.get_url(request) if page is not None else ""


# Page URLs. Wagtail reverses its `wagtail_serve` URL for each link to a page, a dozen to thirty times
# a page; what reversing puts before the page's path (the script prefix, then /en/ or /ta/) depends only
# on the language, so it is reversed once per language and the path appended as reverse() would.


@functools.cache
def _serve_path():
    from wagtail import urls as wagtail_urls  # not while the models load: it imports views

    return re.compile(wagtail_urls.serve_pattern)


@functools.lru_cache(maxsize=32)
def _serve_prefix(language, script_prefix, urlconf):
    return reverse("wagtail_serve", args=("",))


def serve_url(path):
    """reverse("wagtail_serve", args=(path,)) for `path` (relative to the site's root page)."""
    if not _serve_path().match(path):
        return reverse("wagtail_serve", args=(path,))  # its NoReverseMatch
    prefix = _serve_prefix(translation.get_language(), get_script_prefix(), get_urlconf())
    return prefix + quote(path, safe=RFC3986_SUBDELIMS + "/~:@")


# Expiry. A page is unpublished at its `expire_at` by a task (cms/scheduling.py), or by Wagtail's
# `publish_scheduled`; until that has run (the worker may be late, or stopped) it is still `live`,
# so whatever shows pages to visitors adds this rule.


def unexpired_q(now=None):
    """Pages not past their expiry time (as a Q for querysets)."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def has_expired(page, now=None):
    return page.expire_at is not None and page.expire_at <= (now or timezone.now())


def without_expired(pages):
    """
    `pages` less the live pages past their expiry time, in a form the search backend can filter on
    too (it filters on `id`, not on `expire_at`). Those are few: the worker unpublishes them on time.
    """
    expired = Page.objects.live().filter(expire_at__lte=timezone.now()).values_list("pk", flat=True)
    return pages.exclude(pk__in=list(expired))


def next_expiry(request=None):
    """
    When the next live page expires, or None: until then, what visitors may see stays as it is.
    Looked up once per request and kept between requests (cms/shared_data.py) until then.
    """

    def soonest():
        pages = Page.objects.live().filter(expire_at__gt=timezone.now())
        return pages.aggregate(at=Min("expire_at"))["at"]

    return remember(request, "next-expiry", soonest, until=lambda at: at)


def linked_pages(site):
    """
    {model label: page} for each LinkedFromEveryPageMixin type: the first in tree order of its live,
    public, unexpired pages in `site` (in any site without one), as its own type with the columns of
    every page (those its URL needs; the others are read if asked for). One query for them all.
    """
    types = [model for model in apps.get_models() if issubclass(model, LinkedFromEveryPageMixin)]
    if not types:
        return {}
    content_types = ContentType.objects.get_for_models(*types, for_concrete_models=False)
    pages = Page.objects.live().filter(unexpired_q()).exclude(private_q())
    pages = pages.filter(content_type__in=content_types.values()).order_by("path")
    if site is not None:
        pages = pages.descendant_of(site.root_page)
    found = dict.fromkeys(model._meta.label_lower for model in types)
    for page in pages:
        label = page.specific_class._meta.label_lower if page.specific_class else None
        if label in found and found[label] is None:
            found[label] = page.specific_deferred
    return found


def restricted_paths(request=None):
    """
    The tree paths of the pages behind a view restriction (their descendants are too), kept
    between requests (cms/shared_data.py): changing a page's privacy empties the public cache.
    """

    def paths():
        restrictions = PageViewRestriction.objects.select_related("page").order_by("page__path")
        return sorted({restriction.page.path for restriction in restrictions})

    return remember(request, "restricted-paths", paths)


def private_q(request=None):
    """The pages behind a view restriction, as Wagtail's PageQuerySet.private_q() without its query."""
    private = Q()
    for path in restricted_paths(request):
        private |= Q(path__startswith=path)
    return private if private else Q(pk__in=[])


def ancestors(page):
    """
    `page`'s ancestors down to its parent, read once for the page (its breadcrumbs, its parent): the
    pages a request was routed through (from the site's root), else all of them from the tree root.
    """
    if getattr(page, "_ancestors", None) is None:
        routed = getattr(page, "_route_ancestors", None)
        page._ancestors = list(routed) if routed else list(page.get_ancestors())
    return page._ancestors


def find_site(request):
    """
    Site.find_for_request(request), its answer for the request's host and port kept between
    requests with its root page (cms/shared_data.py): saving a site or a page empties the public cache.
    """
    if request is not None and not hasattr(request, "_wagtail_site"):
        host = hashlib.md5(request._get_raw_host().encode(), usedforsecurity=False).hexdigest()
        key = f"site:{host}:{request.get_port()}"
        site = remember(request, key, lambda: _with_root_page(Site.find_for_request(request)))
        request._wagtail_site = site
    return Site.find_for_request(request)


def _with_root_page(site):
    if site is not None:
        site.root_page  # noqa: B018 (read now, so that it is kept with the site)
    return site


def route_for_request(request, path):
    """
    Wagtail's Page.route_for_request (the page, args and kwargs that answer `path`, or None, kept on
    the request), from the site's root page as `find_site` keeps it: as its own type (a query) only
    when it answers the path itself.
    """
    if not hasattr(request, "_wagtail_route_for_request"):
        site = find_site(request)
        components = [component for component in path.split("/") if component]
        try:
            if site is None:
                route = None
            else:
                root = site.root_page.localized
                root._branches = branches(request, site)
                if not components or claims_path(root, components):
                    root = specific_for_serving(root)
                route = root.route(request, components)
        except Http404:
            route = None
        request._wagtail_route_for_request = route
    return request._wagtail_route_for_request


def branches(request, site):
    """
    The children of `site`'s root page that have children (the blog): the pages that requests for
    most pages are routed through (route_by_translated_slug), as base pages. Kept between requests
    (cms/shared_data.py): publishing, moving or unpublishing a page empties them.
    """
    key = f"route-branches:{site.pk}"
    return remember(request, key, lambda: list(site.root_page.get_children().filter(numchild__gt=0)))


def find_page_by_path(site, language, path, queryset=None):
    """
    The live page of `site` whose path in `language` is `path` (relative to the site root, e.g.
    "blog/my-article/"), as its specific type, or None. `queryset` narrows the candidates.
    """
    root_path = getattr(site.root_page, f"url_path_{language}", None) if site else None
    if not root_path:
        return None
    path = path.strip("/")
    pages = (queryset if queryset is not None else Page.objects.all()).live().filter(unexpired_q())
    page = pages.filter(**{f"url_path_{language}": root_path + (path + "/" if path else "")}).first()
    return page.specific if page is not None else None


# Routing. wagtail-modeltranslation replaces every page model's `route` with one that loads all of a
# page's children to compare their slugs in the active language: the blog's thousands of articles for
# every article served. CmsConfig.ready() puts `route_by_translated_slug` in its place.


def slug_in_active_language_q(slug):
    """
    Pages whose slug in the active language is `slug`, as `page.slug` reads it: the language's own
    slug, or, where that is empty, the next fallback language's (a Tamil page without a Tamil slug
    answers to its English one under /ta/).
    """
    match = Q(pk__in=[])
    earlier_empty = Q()
    for language in resolution_order(get_language()):
        field = f"slug_{language}"
        match |= earlier_empty & Q(**{field: slug})
        earlier_empty &= Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return match


def route_by_translated_slug(self, request, path_components):
    """
    Page.route in the active language: a routable page's own routes first, then the child whose
    slug in that language is the next component, found with one query on the indexed slug columns
    (see `index_translated_slugs`), however many siblings it has.
    """
    if isinstance(self, RoutablePageMixin) and self.live:
        try:
            path = "/" + "".join(component + "/" for component in path_components)
            resolver_match = self.resolve_subpage(path)
            request.routable_resolver_match = resolver_match
            view, args, kwargs = resolver_match
            return RouteResult(self, args=(view, args, kwargs))
        except Http404:
            pass
    if not path_components:
        if self.live:
            return RouteResult(self)
        raise Http404
    child_slug, *remaining = path_components
    # No ORDER BY/LIMIT: the database then looks the slug up in its index rather than walking the
    # siblings in tree order; of the (rare) several matches, the first in tree order wins, as before.
    slug_matches = slug_in_active_language_q(child_slug)
    matches = []
    served = served_child_model(self) if not remaining else None
    if served is not None:
        # The page served, as its own type, in one query (children of other types, made before
        # the parent's rules, are looked for below).
        matches = list(served.serving_queryset().child_of(self).filter(slug_matches).order_by())
    if not matches:
        # Those of the site's root page that have children (the blog) are known (`branches`).
        known = getattr(self, "_branches", ())
        matches = [page for page in known if slug_in_active_language(page, child_slug)]
    if not matches:
        matches = list(self.get_children().filter(slug_matches).order_by())
    if not matches:
        raise Http404
    child = min(matches, key=lambda page: page.path)
    child._cached_parent_obj = self  # the child's get_parent() costs no query
    # The pages routed through, from the site's root down: the child's breadcrumbs and parent.
    child._route_ancestors = [*getattr(self, "_route_ancestors", ()), self]
    if remaining and not claims_path(child, remaining):
        # Only its children are read: the page as its own type (a query) is not needed.
        return route_by_translated_slug(child, request, remaining)
    return specific_for_serving(child).route(request, remaining)


def slug_in_active_language(page, slug):
    """Whether `page`'s slug in the active language is `slug` (as `slug_in_active_language_q`)."""
    for language in resolution_order(get_language()):
        own = getattr(page, f"slug_{language}", None)
        if own:
            return own == slug
    return False


def served_child_model(page):
    """The one page type `page`'s children may have, if it names how it is served (`serving_queryset`)."""
    model = page.specific_class
    allowed = model.allowed_subpage_models() if model is not None else []
    if len(allowed) == 1 and hasattr(allowed[0], "serving_queryset"):
        return allowed[0]
    return None


def claims_path(page, path_components):
    """
    Whether `page` (as any type) may answer `path_components` itself rather than through a child:
    its type has a route of its own, or is a routable page with a route that matches.
    """
    model = page.specific_class
    if model is None or model is Page:
        return False
    if isinstance(page, model) or getattr(model, "route", None) is not route_by_translated_slug:
        return True
    if issubclass(model, RoutablePageMixin) and page.live:
        try:
            model.get_resolver().resolve("/" + "".join(c + "/" for c in path_components))
        except Http404:
            return False
        return True
    return False


def specific_for_serving(page):
    """
    `page` as its own type, as `page.specific` gives it, with what serving it reads besides when
    the type names it (a `serving_queryset()` classmethod, e.g. with select_related).
    """
    model = page.specific_class
    serving_queryset = getattr(model, "serving_queryset", None)
    if serving_queryset is None or isinstance(page, model):
        return page.specific
    specific = serving_queryset().get(pk=page.pk)
    for name, value in page.__dict__.items():
        specific.__dict__.setdefault(name, value)
    return specific


def site_root_paths(self, request=None):
    """
    Page._get_site_root_paths as wagtail-modeltranslation patches it (the sites' root paths in the
    active language), kept per language with what pages share (cms/shared_data.py). Its own keeps
    one language's on the request and reads them from the default cache again whenever the language
    changes: a page linking to itself in each language read them three times, with Redis three
    round trips. Outside a request, its own.
    """
    if request is None and not in_request():
        return _new_get_site_root_paths(self, request)
    language = get_language()
    paths = remember(request, f"site-root-paths:{language}", _localized_site_get_site_root_paths)
    # Where Wagtail's and wagtail-modeltranslation's keep them (Wagtail's redirects read them there).
    cache_object = request if request is not None else self
    cache_object._wagtail_cached_site_root_paths = paths
    cache_object._wagtail_cached_site_root_paths_language = language
    return paths


def use_own_page_patches():
    """
    Give every page model that wagtail-modeltranslation patched our `route` and `site_root_paths`
    instead (CmsConfig.ready).
    """
    for model in [Page, *apps.get_models()]:
        if not issubclass(model, Page):
            continue
        if model.__dict__.get("route") is _new_route:
            model.route = route_by_translated_slug
        if model.__dict__.get("_get_site_root_paths") is _new_get_site_root_paths:
            model._get_site_root_paths = site_root_paths


def index_translated_slugs(connection):
    """
    Index Page's per-language slug columns, which wagtail-modeltranslation adds without an index
    (migrate_site, after the columns exist): routing looks children up by them.
    """
    table = Page._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # PostgreSQL refuses to index a table with deferred checks pending in the transaction
            # (a test's, or a data migration's): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for language, _name in settings.LANGUAGES:
            column = f"slug_{language}"
            quoted = connection.ops.quote_name(column)
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_{column}_idx ON {table} ({quoted})")

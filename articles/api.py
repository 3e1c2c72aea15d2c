"""The articles part of the public API: article cards and details, authors and categories."""

import datetime
import re
from functools import partial

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from wagtail.api.v3.api import api
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.images.models import Filter

from cms.cache import showing_pages
from cms.i18n import content_languages
from cms.pages import find_page_by_path, find_site
from cms.problems import documented_errors, reject_unknown_parameters
from cms.schemas import (
    BlocksByLanguage,
    IsoDate,
    IsoDateTime,
    ItemMeta,
    NumberByLanguage,
    TranslatedText,
    by_language,
    in_years,
    item_meta,
    translated,
)
from cms.search import search_pages

from .models import ArticleCategory, ArticlePage, ArticleVisibilityChange, Author, shared_count

router = Router(tags=["articles"])
router.add_decorator(showing_pages)  # cached no longer than until the next article expires

# Hero images come in fixed widths, as WebP; author photos as small squares.
HERO_RENDITIONS = {400: "width-400|format-webp", 800: "width-800|format-webp", 1200: "width-1200|format-webp"}
PHOTO_RENDITION = "fill-160x160|format-webp"
API_RENDITIONS = (*HERO_RENDITIONS.values(), PHOTO_RENDITION)
MAX_LIMIT = 50
CARD_TEXT_FIELDS = ("title", "intro", "hero_image_alt")
DETAIL_TEXT_FIELDS = (*CARD_TEXT_FIELDS, "body")


# Schemas ------------------------------------------------------------------------------------------


class Rendition(Schema):
    url: str
    width: int
    height: int


class HeroImage(Schema):
    alt: TranslatedText
    renditions: list[Rendition] = Field(
        description="The same image in WebP, narrowest first: 400, 800 and 1200 px wide, but never "
        "enlarged, so an image narrower than these is listed up to its own size (a 600 px image at "
        "400 and 600 px). Each with its real width and height."
    )


class AuthorSummary(Schema):
    id: int
    slug: str
    name: TranslatedText
    credentials: TranslatedText
    role: TranslatedText
    photo_url: str | None


class AuthorDetail(AuthorSummary):
    bio: TranslatedText
    article_count: int
    meta: ItemMeta


class CategorySummary(Schema):
    id: int
    slug: str
    name: TranslatedText


class CategoryWithCount(CategorySummary):
    article_count: int = Field(description="Live, public articles in this category.")
    meta: ItemMeta


StaleByLanguage = by_language("StaleByLanguage", bool, "Whether each language's text is stale.")


class ArticleMeta(ItemMeta):
    translation_stale: bool | StaleByLanguage = Field(
        description="The English text has changed since this language's text was written or checked: "
        "it may lack the latest changes (always false in English). With `lang=*`, a map of each "
        "language to it."
    )


class ArticleCard(Schema):
    id: int
    title: TranslatedText
    intro: TranslatedText
    date: datetime.date
    authors: list[AuthorSummary]
    category: CategorySummary | None
    tags: list[str]
    hero_image: HeroImage | None
    reading_time: translated(
        int,
        NumberByLanguage,
        "Minutes to read the body in the language (the English one's while untranslated).",
    )
    urls: dict[str, str] = Field(description="The article's web page in each language, whatever `lang`.")
    last_published_at: datetime.datetime | None
    meta: ArticleMeta


class ArticleDetail(ArticleCard):
    body: translated(
        list[dict],
        BlocksByLanguage,
        "Blocks (heading, paragraph, image, quote, callout); rich text is HTML with absolute links, "
        "to pages in the same language as the text.",
    )
    reviewed_by: AuthorSummary | None = Field(
        description="The doctor who last reviewed the medical content; null if never, or while this "
        "language's text is stale (`meta.translation_stale`), as it is not the text reviewed. With "
        "`lang=*`, the review of the English text."
    )
    last_reviewed: datetime.date | None = Field(description="Null when `reviewed_by` is.")
    next_review_due: datetime.date | None = Field(description="Null when `reviewed_by` is.")
    review_overdue: bool = Field(description="The next review's date has passed.")
    related: list[ArticleCard]


class ArticleList(Schema):
    count: int = Field(description="Articles matching the filters, before limit and offset.")
    items: list[ArticleCard]
    removed_ids: list[int] = Field(
        description="With `updated_since`: articles to drop, as they left this site's public list "
        "since then (unpublished, deleted, expired, made private or moved away)."
    )
    server_time: datetime.datetime = Field(
        description="Pass as the next `updated_since`: the time of the newest change to the site's "
        "articles (not the server's clock), so every server gives the same answer for the same content."
    )


# The dates a list may be filtered by (earlier or later ones are a 400): the databases' date
# arithmetic stays well inside its range, and no article is dated outside.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class ArticleFilters(Schema):
    category: str | None = Field(None, description="Category slug.")
    tag: str | None = Field(None, description="Tag slug.")
    author: str | None = Field(None, description="Author slug.")
    date_from: in_years(IsoDate, FIRST_YEAR, LAST_YEAR) | None = None
    date_to: in_years(IsoDate, FIRST_YEAR, LAST_YEAR) | None = None
    search: str | None = Field(None, max_length=200, description="Words or word prefixes, any language.")
    ordering: str = Field("-date", pattern=r"^-?date$", description="`date` or `-date` (newest first).")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=100_000)
    updated_since: in_years(IsoDateTime, FIRST_YEAR, LAST_YEAR) | None = Field(
        None, description="ISO 8601 with timezone: only what changed since, plus `removed_ids`."
    )


# Serialisation ------------------------------------------------------------------------------------

_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")(/[^/"][^"]*)"')


def absolute_html(html, request):
    """Root-relative links and image sources in HTML made absolute for the requesting host."""
    base = request.build_absolute_uri("/").rstrip("/")
    return _RELATIVE_URL.sub(lambda m: f'{m.group(1)}{base}{m.group(2)}"', html)


# Parsed once: building a Filter from its spec string is costly, and a list shows many images.
FILTERS = {spec: Filter(spec=spec) for spec in (*HERO_RENDITIONS.values(), PHOTO_RENDITION)}


def renditions_data(image, specs, request):
    """
    The image at each filter spec, made in one go if missing, as absolute URLs with sizes. Once per
    request for each image: an author's photo is on many cards.
    """
    known = request.__dict__.setdefault("_renditions_data", {})
    key = (image.pk, *specs)
    if key not in known:
        renditions = image.get_renditions(*(FILTERS[spec] for spec in specs))
        known[key] = [
            {"url": request.build_absolute_uri(r.url), "width": r.width, "height": r.height}
            for r in (renditions[spec] for spec in specs)
        ]
    return known[key]


def hero_specs(image):
    """
    The hero widths that exist for `image`: those narrower than it, then one at its own size
    (Wagtail never enlarges, so a wider spec would be the same pixels again under a larger width).
    """
    specs = []
    for width, spec in sorted(HERO_RENDITIONS.items()):
        specs.append(spec)
        if width >= image.width:
            break
    return specs


def author_data(author, request):
    photo = author.photo
    return {
        "id": author.pk,
        "slug": author.slug,
        **content_languages(request).values(author, ("name", "credentials", "role")),
        "photo_url": renditions_data(photo, [PHOTO_RENDITION], request)[0]["url"] if photo else None,
    }


def category_data(category, request):
    return {
        "id": category.pk,
        "slug": category.slug,
        "name": content_languages(request).value(category, "name"),
    }


def page_urls(pages, request):
    """Each page's absolute web address in every language that has one, as Page.get_url gives it."""
    urls = [{} for _page in pages]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for page, page_urls in zip(pages, urls, strict=True):
                url = page.get_url(request)
                if url:
                    page_urls[code] = request.build_absolute_uri(url)
    return urls


def cards_data(articles, request):
    """ArticleCard data of articles, fetched `as_cards(API_RENDITIONS)` (any others, more slowly)."""
    articles = list(articles)
    urls = page_urls(articles, request)
    return [
        card_data(article, article_urls, request)
        for article, article_urls in zip(articles, urls, strict=True)
    ]


def card_data(article, urls, request):
    # The keys in ArticleCard's order: the list's response is not validated again (see list_articles).
    languages = content_languages(request)
    image = article.hero_image
    return {
        "id": article.pk,
        **languages.values(article, ("title", "intro")),
        "date": article.date,
        "authors": [author_data(author, request) for author in article.authors],
        "category": category_data(article.category, request) if article.category else None,
        "tags": article.tag_names,
        "hero_image": (
            {
                "alt": languages.value(article, "hero_image_alt"),
                "renditions": renditions_data(image, hero_specs(image), request),
            }
            if image
            else None
        ),
        "reading_time": languages.value(article, "reading_time"),
        "urls": urls,
        "last_published_at": article.last_published_at,
        "meta": {**item_meta(article, languages, CARD_TEXT_FIELDS), **stale_meta(article, languages)},
    }


def detail_data(article, request, saved=True):
    """
    ArticleDetail data of `article`: as saved (`whole_article`), or a draft (`saved=False`), whose
    own authors, tags and hero image are shown, not the saved ones.
    """
    languages = content_languages(request)
    context = {"request": request}

    def blocks(body):
        # Run in the body's language, so that links to pages lead to them in that language.
        representation = body.stream_block.get_api_representation(body, context)
        return [absolutize_block(block, request) for block in representation]

    # The related cards, and in the same queries the article's own authors, tags and hero image.
    along = (article,) if saved else ()
    related = list(article.related_articles(renditions=API_RENDITIONS, along=along, saved=saved, photos=True))
    (data,) = cards_data([article], request)
    # With every language, the review of the English text (meta.translation_stale says which lag behind).
    review = article.shown_review(settings.LANGUAGE_CODE if languages.every else languages.language)
    data.update(
        body=languages.value(article, "body", present=blocks),
        reviewed_by=author_data(review.reviewer, request) if review else None,
        last_reviewed=review.last_reviewed if review else None,
        next_review_due=review.next_review_due if review else None,
        review_overdue=article.review_overdue(),
        related=cards_data(related, request),
    )
    data["meta"] = {**item_meta(article, languages, DETAIL_TEXT_FIELDS), **stale_meta(article, languages)}
    return data


def stale_meta(article, languages):
    """`translation_stale` of an article's meta: in the wanted language, or a map of each."""
    stale = {code: article.translation_is_stale(code) for code in languages.codes}
    return {"translation_stale": stale if languages.every else stale[languages.language]}


def absolutize_block(block, request):
    """Rich text inside a block's value gets absolute links; other values pass through."""

    def fix(value):
        if isinstance(value, str) and ("href=" in value or "src=" in value):
            return absolute_html(value, request)
        if isinstance(value, dict):
            return {key: fix(item) for key, item in value.items()}
        if isinstance(value, list):
            return [fix(item) for item in value]
        return value

    return fix(block)


# Queries ------------------------------------------------------------------------------------------


def articles_for_site(request):
    """The request's site's visible articles, newest first."""
    return ArticlePage.objects.for_listing().in_site_of(request)


def whole_article(request, article_id):
    """One of the site's visible articles with every column (the body too), or a 404."""
    # Its category, hero image, reviewer and the reviewer's photo come with it; what its card shows
    # besides comes with its related articles' (detail_data).
    articles = articles_for_site(request).select_related("category", "hero_image", "reviewed_by__photo")
    return get_object_or_404(articles, pk=article_id)


def removed_since(request, since, now):
    """
    Ids of articles an app may hold from a sync at `since` that the request's site no longer shows:
    unpublished, deleted, made private or moved away since (ArticleVisibilityChange), or expired.
    """
    changed = ArticleVisibilityChange.page_ids_since(since).values_list("page_id", flat=True)
    expired = ArticlePage.objects.expired_between(since, now).in_site_of(request).values_list("pk", flat=True)
    candidates = set(changed) | set(expired)
    visible = articles_for_site(request).filter(pk__in=candidates).values_list("pk", flat=True)
    return sorted(candidates - set(visible))


def list_window(ids, count, offset, limit):
    """
    `ids[offset : offset + limit]` of a list of `count` in a total order, read from the nearer end
    (as ArticlePaginator reads the blog's pages): the last items cost what the first do.
    """
    if offset <= count // 2:
        return list(ids[offset : offset + limit])
    return list(ids.reverse()[max(0, count - offset - limit) : max(0, count - offset)])[::-1]


def sync_cursor(now):
    """
    The list's `server_time`: the newest change (ArticlePageQuerySet.last_change) rounded up to the
    millisecond, where JSON's times stop, so that passed back it does not find that change again.
    """
    last = ArticlePage.objects.last_change(now)
    return last + datetime.timedelta(microseconds=-last.microsecond % 1000)


# Endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/articles/",
    response=ArticleList,
    summary="List articles",
    operation_id="articles_list",
    openapi_extra=documented_errors(400, 422),
)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    reject_unknown_parameters(request, ArticleFilters.model_fields)
    if filters.updated_since is not None and filters.updated_since.tzinfo is None:
        raise HttpError(400, "updated_since needs a timezone, e.g. 2024-01-31T10:00:00+05:30.")
    now = timezone.now()

    articles = articles_for_site(request)
    if filters.category:
        articles = articles.filter(category__slug=filters.category)
    if filters.tag:
        articles = articles.tagged(filters.tag)
    if filters.author:
        articles = articles.filter(article_authors__author__slug=filters.author)
    if filters.date_from:
        articles = articles.filter(date__gte=filters.date_from)
    if filters.date_to:
        articles = articles.filter(date__lte=filters.date_to)
    removed_ids = []
    if filters.updated_since:
        articles = articles.changed_since(filters.updated_since)
        removed_ids = removed_since(request, filters.updated_since, now)
    if filters.ordering == "date":
        articles = articles.order_by("date", "pk")
    if filters.author or filters.updated_since:
        articles = articles.distinct()  # their joins repeat an article once per author

    if filters.search:
        # Best first; counted in the database, and only this page of cards is loaded.
        card_query = ArticlePage.objects.as_cards(API_RENDITIONS, photos=True)
        matches = search_pages(articles, filters.search, card_query)
        count = matches.count()
        cards = list(matches[filters.offset : filters.offset + filters.limit])
    else:
        count_ids = articles.values("pk").count  # DISTINCT over ids, not over every column of a page
        if filters.updated_since:  # each client's own
            count = count_ids()
        else:  # the same for every reader: counted once for all
            site = find_site(request)
            chosen = (filters.category, filters.tag, filters.author, filters.date_from, filters.date_to)
            if not any(chosen) and site is not None:  # the whole listing: from the page table alone
                count_ids = partial(ArticlePage.objects.count_listed, site=site)
            count = shared_count(request, count_ids, "api", site and site.pk, *chosen)
        window = list_window(articles.values_list("pk", flat=True), count, filters.offset, filters.limit)
        # Fetched by id, not by the query that filters and sorts: there SQLite would sort whole rows.
        cards = ArticlePage.objects.as_cards(API_RENDITIONS, photos=True).in_bulk(window)
        cards = [cards[pk] for pk in window if pk in cards]  # one deleted meanwhile is left out

    data = {
        "count": count,
        "items": cards_data(cards, request),
        "removed_ids": removed_ids,
        "server_time": sync_cursor(now),
    }
    # Built to the ArticleList schema, in its field order, so that django-ninja need not validate
    # every nested card again: a noticeable part of the request.
    return api.create_response(request, data, status=200)


# The language prefix `path` starts with, as the document says it (find_article checks it too).
FIND_PATH_PATTERN = r"^\s*/?(" + "|".join(code for code, _name in settings.LANGUAGES) + r")/"


@router.get(
    "/articles/find/",
    response=ArticleDetail,
    summary="Find an article by its web path, in either language",
    operation_id="articles_find",
    openapi_extra=documented_errors(400, 404, 422),
)
def find_article(
    request: HttpRequest,
    path: str = Query(..., max_length=500, pattern=FIND_PATH_PATTERN, examples=["/ta/vlaipptivu/"]),
):
    """`path` is the article's web path with its language prefix, e.g. `/en/blog/<slug>/`."""
    reject_unknown_parameters(request, {"path"})
    match = re.fullmatch(r"/?([a-z]{2,3})(/.*)", path.strip())
    languages = [code for code, _name in settings.LANGUAGES]
    if not match or match.group(1) not in languages:
        raise HttpError(400, f"path must start with a language prefix: {', '.join(languages)}.")
    site = find_site(request)
    if site is None:
        raise Http404("No site.")
    language, rest = match.groups()
    page = find_page_by_path(site, language, rest, queryset=ArticlePage.objects.all())
    if page is None:
        raise Http404("No article has this path.")
    return detail_data(whole_article(request, page.pk), request)


@router.get(
    "/articles/{article_id}/",
    response=ArticleDetail,
    summary="Article detail",
    operation_id="articles_detail",
    openapi_extra=documented_errors(400, 404, 422),
)
def get_article(request: HttpRequest, article_id: int = Path(..., ge=1, le=2**31 - 1)):
    reject_unknown_parameters(request)
    return detail_data(whole_article(request, article_id), request)


@router.get(
    "/articles/{article_id}/preview/",
    response=ArticleDetail,
    summary="Latest draft of an article (editors, for preview)",
    operation_id="articles_preview",
    auth=BearerTokenAuth(),
    openapi_extra=documented_errors(400, 401, 403, 404, 422),
)
def preview_article(request: HttpRequest, article_id: int = Path(..., ge=1, le=2**31 - 1)):
    """The newest revision, published or not, for an editor's API token with edit rights."""
    reject_unknown_parameters(request)
    page = get_object_or_404(ArticlePage, pk=article_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise HttpError(403, "This token's user may not edit this article.")
    draft = page.get_latest_revision_as_object()
    return detail_data(draft, request, saved=False)


def authors_with_counts():
    visible = ArticlePage.objects.visible().values("pk")
    return Author.objects.select_related("photo").annotate(
        article_count=Count("article_links__page", filter=Q(article_links__page__in=visible), distinct=True)
    )


def author_detail(author, request):
    languages = content_languages(request)
    return {
        **author_data(author, request),
        "bio": languages.value(author, "bio"),
        "article_count": author.article_count,
        "meta": item_meta(author, languages),
    }


@router.get(
    "/authors/",
    response=list[AuthorDetail],
    summary="List authors",
    operation_id="authors_list",
    openapi_extra=documented_errors(400),
)
def list_authors(request: HttpRequest):
    reject_unknown_parameters(request)
    return [author_detail(author, request) for author in authors_with_counts()]


@router.get(
    "/authors/{slug}/",
    response=AuthorDetail,
    summary="Author detail",
    operation_id="authors_detail",
    openapi_extra=documented_errors(400, 404, 422),
)
def get_author(request: HttpRequest, slug: str = Path(..., max_length=120)):
    reject_unknown_parameters(request)
    return author_detail(get_object_or_404(authors_with_counts(), slug=slug), request)


@router.get(
    "/categories/",
    response=list[CategoryWithCount],
    summary="List categories with their article counts",
    operation_id="categories_list",
    openapi_extra=documented_errors(400),
)
def list_categories(request: HttpRequest):
    reject_unknown_parameters(request)
    visible = ArticlePage.objects.visible().values("pk")
    categories = ArticleCategory.objects.annotate(
        article_count=Count("articles", filter=Q(articles__in=visible), distinct=True)
    )
    languages = content_languages(request)
    return [
        {
            **category_data(category, request),
            "article_count": category.article_count,
            "meta": item_meta(category, languages),
        }
        for category in categories
    ]

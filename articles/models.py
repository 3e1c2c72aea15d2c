"""The clinic's blog: the index, articles, and the authors and categories they refer to."""

import datetime
import hashlib
import math
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.db.models.query import ModelIterable
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import (
    AbstractGroupApprovalTask,
    Orderable,
    Page,
    PageManager,
    PageViewRestriction,
    Revision,
    WorkflowState,
)
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.i18n import fallback_fields, is_empty, supported_languages, translated_languages
from cms.pages import (
    LinkedFromEveryPageMixin,
    TranslatedSlugMixin,
    ancestors,
    ascii_slug,
    find_site,
    next_expiry,
    private_q,
    restricted_paths,
    unexpired_q,
)
from cms.seo import SHARE_IMAGE_FILTER, StructuredDataMixin
from cms.shared_data import remember

from .blocks import ArticleBodyBlock, count_words
from .feeds import ArticleFeed
from .forms import (
    ArticlePageForm,
    MedicalReviewApprovalForm,
    confirmation_field,
    parse_review_date,
)
from .freshness import SOURCE_FIELDS, text_fingerprint
from .structured_data import article_graph, author_profile_graph

# Words a patient reads in a minute; used for the "n min read" label.
READING_WORDS_PER_MINUTE = 200
# What an article card shows, on the site and in the API. modeltranslation reads each translated
# field's column in every language too, which the fallback to English and its marking need.
CARD_FIELDS = (
    "title",
    "intro",
    "date",
    "category",
    "hero_image",
    "hero_image_alt",
    "reading_time",
    "url_path",
    "last_published_at",
    "translation_status",
)
# The renditions an article card shows (templates/includes/article_card.html): 16:9 at three widths,
# WebP with a JPEG fallback, written as in the card's {% picture %} tag and expanded as Wagtail does.
# Site listings prefetch exactly these, so a card costs no query: change the tag and this together.
# WebP at quality 70 is as sharp as Wagtail's JPEG (76) in fewer bytes; at Wagtail's default (80)
# it is larger than that JPEG for photos.
CARD_IMAGE_FILTERS = tuple(
    Filter.expand_spec("fill-{320x180,480x270,640x360} format-{webp,jpeg} webpquality-70")
)
# An article page's images: its hero (templates/articles/article_page.html: change both together),
# its link previews' (cms.seo.SHARE_IMAGE_FILTER) and its related articles' cards.
PAGE_IMAGE_FILTERS = (
    *Filter.expand_spec("width-{1200,800,480} format-{webp,jpeg} webpquality-70"),
    SHARE_IMAGE_FILTER,
    *CARD_IMAGE_FILTERS,
)
# How long a medical review stands before the article is due another (NHS pages use the same idea).
REVIEW_INTERVAL_YEARS = 2
# How far ahead editors are warned of reviews falling due (the "Reviews due" report).
REVIEW_DUE_SOON_DAYS = 30
# Groups that the data migrations create and every blog grants rights on (see articles.signals).
# The sync cursor of a site with no articles yet: any change is later.
SYNC_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Medical reviewers"


def clinic_today():
    """Today's date where the clinic is (the server's TIME_ZONE): the day reviews fall due on."""
    return timezone.localdate()


def review_due_after(reviewed_on):
    """The default date of the next medical review: REVIEW_INTERVAL_YEARS after `reviewed_on`."""
    try:
        return reviewed_on.replace(year=reviewed_on.year + REVIEW_INTERVAL_YEARS)
    except ValueError:  # 29 February
        return reviewed_on.replace(year=reviewed_on.year + REVIEW_INTERVAL_YEARS, day=28)


@dataclass(frozen=True)
class MedicalReview:
    """An article's medical review as readers are told of it (ArticlePage.shown_review)."""

    reviewer: "Author"
    last_reviewed: datetime.date
    next_review_due: datetime.date | None


class Author(index.Indexed, models.Model):
    """A doctor or writer credited on articles, or named as their medical reviewer."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Used in the author's web address. Left empty, it is made from the name."),
    )
    credentials = models.CharField(
        _("credentials"),
        max_length=120,
        blank=True,
        help_text=_("Qualifications as patients should read them, e.g. “MBBS, MD (Dermatology)”."),
    )
    role = models.CharField(
        _("role"), max_length=120, blank=True, help_text=_("e.g. “Consultant dermatologist”.")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short biography"), max_length=1000, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text=_(
            "The doctor's login. When they approve an article in the medical review, this author is "
            "named as its reviewer."
        ),
    )
    # Lets API clients that keep an offline copy find articles whose author changed.
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("credentials"), FieldPanel("role")]),
        FieldPanel("photo"),
        FieldPanel("bio"),
        # Who is credited when an account approves a review: for those who manage accounts only.
        FieldPanel("user", permission="auth.change_user"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("credentials"),
        index.SearchField("role"),
        index.SearchField("bio"),
    ]

    # Writable over Wagtail's API (an editor's token) in the request's language (`lang`), as in the
    # admin: a blank name is a 422; the photo is chosen in the admin.
    api_fields = [
        APIField("name", writable=True),
        APIField("slug", writable=True),
        APIField("credentials", writable=True),
        APIField("role", writable=True),
        APIField("photo"),
        APIField("bio", writable=True),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = ascii_slug(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = ascii_slug(self.name)


class ArticleCategory(index.Indexed, models.Model):
    """A topic articles are filed under, e.g. “Health and beauty tips”. An article has one."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Used in filter links, e.g. health-and-beauty-tips."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    # Writable over Wagtail's API (an editor's token) in the request's language (`lang`), as in the
    # admin: a blank name or slug is a 422.
    api_fields = [APIField("name", writable=True), APIField("slug", writable=True)]

    class Meta:
        ordering = ["name"]
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")

    def __str__(self):
        return self.name


class ArticlePageTag(TaggedItemBase):
    """Tags of an article (free keywords such as “acne” or “collagen”)."""

    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        # Whether an article has a tag, answered from the index alone (ArticlePageQuerySet.tagged).
        indexes = [models.Index(fields=["content_object", "tag"], name="article_tag_lookup_idx")]


def newest(rows, field):
    """The newest `field` of `rows`, as a subquery: read from the end of an index on `field`."""
    return Subquery(rows.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1])


def visible_q(now=None):
    """Live pages within any go-live/expiry window (privacy aside), as a Q."""
    now = now or timezone.now()
    return Q(live=True) & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)) & unexpired_q(now)


class ArticlePageQuerySet(PageQuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._card_renditions = None
        self._card_companions = ()
        self._card_tags = True
        self._card_photos = False

    def _clone(self):
        # Kept along the chain, as Wagtail's own queryset keeps its options.
        clone = super()._clone()
        clone._card_renditions = self._card_renditions
        clone._card_companions = self._card_companions
        clone._card_tags = self._card_tags
        clone._card_photos = self._card_photos
        return clone

    def private_q(self):
        # Wagtail's reads every restriction at each use; this one, once between content changes.
        return private_q()

    def public(self):
        # While no page is restricted (the usual case) Wagtail's excludes nothing, at a cost in
        # building and compiling each listing's query.
        return super().public() if restricted_paths() else self

    def visible(self, *conditions):
        """
        What patients and apps may see: live, public, and within any go-live/expiry window (and
        meeting any further `conditions`, Q objects).
        """
        # One filter() (not live(), then more): each copies and extends the query again.
        return self.public().filter(visible_q(), *conditions)

    def count_listed(self, under=None, site=None):
        """
        How many articles `for_listing()` lists (`under` a page, or in a `site`), counted on
        Wagtail's page table alone, from its index of what decides it (migration 0009): at 10,000
        articles a fifth of the time of counting the listing's own query, which joins every page
        to its article. For listings filtered only by what that table holds.
        """
        pages = Page.objects.filter(content_type=ContentType.objects.get_for_model(ArticlePage))
        pages = pages.filter(visible_q())
        if restricted_paths():
            pages = pages.exclude(private_q())
        if under is not None:
            pages = pages.descendant_of(under)
        if site is not None:
            pages = pages.in_site(site)
        return pages.count()

    def public_ignoring(self, restriction):
        """
        Those behind no page view restriction but (at most) `restriction`: what `public()` gave
        before it was added.
        """
        others = PageViewRestriction.objects.exclude(pk=restriction.pk).select_related("page")
        private = Q(pk__in=[])
        for other in others:
            private |= self.descendant_of_q(other.page, inclusive=True)
        return self.exclude(private)

    def changed_since(self, since):
        """
        Those an app syncing since `since` must fetch again: published since, their category or an
        author edited, or visible again (made public, moved here; see ArticleVisibilityChange).
        """
        return self.filter(
            Q(last_published_at__gt=since)
            | Q(category__updated_at__gt=since)
            | Q(article_authors__author__updated_at__gt=since)
            | Q(pk__in=ArticleVisibilityChange.page_ids_since(since))
        )

    def expired_between(self, start, end):
        """Those that were live and public until their expiry time came, after `start` and by `end`."""
        return (
            self.filter(Q(live=True) | Q(expired=True))
            .public()
            .filter(expire_at__gt=start, expire_at__lte=end)
        )

    def last_change(self, now):
        """
        The time of the newest change by `now` that `changed_since` or `expired_between` look for: a
        sync cursor read from the data, not the clock, so that every server process answers the same
        content with the same bytes (and ETag). Passed back as `since`, it finds everything later.
        """
        # Each time is the newest of one column, read from an index (most from its end) in a subquery
        # of one statement, not a maximum over every article joined to its authors.
        articles = self.order_by()
        stamps = articles.annotate(
            newest_published=newest(articles, "last_published_at"),
            newest_expired=newest(articles.filter(expire_at__lte=now), "expire_at"),
            newest_category=newest(
                ArticleCategory.objects.filter(Exists(articles.filter(category=OuterRef("pk")))), "updated_at"
            ),
            newest_author=newest(
                Author.objects.filter(Exists(articles.filter(article_authors__author=OuterRef("pk")))),
                "updated_at",
            ),
            newest_visibility=newest(ArticleVisibilityChange.objects.all(), "changed_at"),
        ).values(
            "newest_published", "newest_expired", "newest_category", "newest_author", "newest_visibility"
        )
        # No article: no change (as the maximum over none), whatever else the tables hold.
        stamps = next(iter(stamps[:1]), {})
        return max(filter(None, stamps.values()), default=SYNC_EPOCH)

    def for_listing(self, *conditions):
        """
        Visible articles (meeting any `conditions`), newest first: the one listing of articles,
        which the blog, author pages, related articles, the home page, the feed and the API filter,
        count and paginate, then show `as_cards()`.

        The order is the article's date, then its id (the later written first on a day): both
        columns of ArticlePage's own table, so that the database reads a page of them from the
        ArticlePage.Meta indexes, in either direction, instead of sorting every article.
        """
        return self.visible(*conditions).order_by("-date", "-pk")

    def tagged(self, slug):
        """
        Those with the tag `slug`. Asked of each article in turn (EXISTS, not a join), so the database
        can keep reading the articles in the listing's order and stop after a page of them.
        """
        return self.filter(
            Exists(ArticlePageTag.objects.filter(content_object_id=OuterRef("pk"), tag__slug=slug))
        )

    def with_translation_status(self, language, *statuses):
        """Articles whose text in `language` has one of `statuses` (see ArticlePage.translation_status)."""
        return self.filter(**{f"translation_status__{language}__in": statuses})

    def in_review(self):
        """Articles submitted to a workflow and waiting for a reviewer's decision."""
        # Through Page: Wagtail's relation to workflow states matches the base page's content type.
        in_progress = Page.objects.filter(_workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)
        return self.filter(pk__in=in_progress.values("pk"))

    def scheduled(self):
        """
        Articles with a version approved to go live later (Wagtail's "scheduled"), with the time
        as `scheduled_at`.
        """
        approved = Revision.page_revisions.filter(
            object_id=Cast(OuterRef("pk"), models.CharField()), approved_go_live_at__isnull=False
        ).order_by("approved_go_live_at")
        scheduled_at = Subquery(approved.values("approved_go_live_at")[:1])
        return self.annotate(scheduled_at=scheduled_at).filter(scheduled_at__isnull=False)

    def review_overdue(self, today=None):
        """Articles whose next medical review's date has passed (ArticlePage.review_overdue)."""
        return self.filter(next_review_due__lt=today or clinic_today())

    def review_due_soon(self, today=None):
        """Articles whose next medical review falls due today or within REVIEW_DUE_SOON_DAYS."""
        today = today or clinic_today()
        return self.filter(
            next_review_due__gte=today,
            next_review_due__lte=today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS),
        )

    def never_reviewed(self):
        return self.filter(next_review_due__isnull=True)

    def in_site_of(self, request):
        """Those of the request's site (none when no site answers for it)."""
        site = find_site(request) if request is not None else None
        return self.in_site(site) if site is not None else self.none()

    def as_cards(self, renditions=CARD_IMAGE_FILTERS, along=(), tags=True, photos=False):
        """
        These articles as cards, the one way the site and the API fetch them: only the columns a
        card shows (never the bodies), and what it shows beside them (see `add_card_contents`) in
        a fixed number of queries whatever the number of articles, when they are fetched.
        Hero images come with them, with their existing renditions for the filter specs in
        `renditions`; with `photos` (the API's cards show them), so do the authors' photos.
        The articles in `along` (an article whose page or API answer shows these cards) get the
        same in the same queries. Without `tags` (the site's cards show none), the cards' tags are
        not fetched (those in `along` still are; a card's are then read if asked for).
        """
        clone = self.only(*CARD_FIELDS).select_related("category", "hero_image")
        clone._card_renditions = renditions
        clone._card_companions = tuple(along)
        clone._card_tags = tags
        clone._card_photos = photos
        clone._iterable_class = ArticleCardIterable
        return clone


class ArticleCardIterable(ModelIterable):
    """Articles made cards as they are fetched (ArticlePageQuerySet.as_cards)."""

    def __iter__(self):
        articles = list(super().__iter__())
        companions = self.queryset._card_companions
        if articles or companions:
            tagged = [*companions, *articles] if self.queryset._card_tags else companions
            add_card_contents(
                [*companions, *articles], self.queryset._card_renditions, tagged, self.queryset._card_photos
            )
        return iter(articles)


def add_card_contents(articles, renditions, tagged=None, photos=False):
    """
    Gives articles what their cards show beyond their own columns, in three queries however many
    they are: `authors` in order (each author one object, however many cards name them; with
    `photos`, their photos), the `tag_names` of those `tagged` (default: all; none, no query), and
    the renditions among `renditions` of the hero images (and photos). Hero images not fetched
    with the articles (select_related, as `as_cards` does) cost a fourth.
    """
    ids = [article.pk for article in articles]
    links = ArticleAuthor.objects.filter(page_id__in=ids).order_by("sort_order", "pk")
    links = links.select_related("author__photo" if photos else "author")
    links = [(link.page_id, link.author) for link in links]
    authors = {author.pk: author for _page_id, author in links}  # one object per author
    add_tags(articles if tagged is None else tagged)

    # The images, with their renditions: the heroes (mostly fetched with the articles) and the photos.
    heroes = {article.hero_image_id for article in articles} - {None}
    loaded = {
        article.hero_image_id: article.hero_image
        for article in articles
        if article.hero_image_id and ArticlePage.hero_image.is_cached(article)
    }
    if photos:
        loaded |= {author.photo_id: author.photo for author in authors.values() if author.photo_id}
    images = images_with_renditions(set(loaded) | heroes, renditions, required=heroes, loaded=loaded)
    for author in authors.values():
        if author.photo_id in images:
            author.photo = images[author.photo_id]

    by_page = {article.pk: [] for article in articles}
    for page_id, author in links:
        by_page[page_id].append(authors[author.pk])
    for article in articles:
        article.hero_image = images.get(article.hero_image_id)
        article.authors = by_page[article.pk]


def add_tags(articles):
    """
    Gives articles their saved tags (`tag_list`, `tag_ids`, `tag_names`), in one query for them all;
    those that have theirs already (an article page's own, read for its related articles) are left.
    """
    articles = [article for article in articles if "tag_list" not in article.__dict__]
    if not articles:
        return
    tags = {article.pk: [] for article in articles}
    rows = ArticlePageTag.objects.filter(content_object_id__in=list(tags)).order_by("pk")
    for page_id, tag_id, name, slug in rows.values_list(
        "content_object_id", "tag_id", "tag__name", "tag__slug"
    ):
        tags[page_id].append(Tag(pk=tag_id, name=name, slug=slug))
    for article in articles:
        article.tag_list = tags[article.pk]
        article.tag_ids = [tag.pk for tag in article.tag_list]
        article.tag_names = [tag.name for tag in article.tag_list]


def images_with_renditions(ids, specs, required=None, loaded=None):
    """
    {id: image} for the images `ids`, each with its existing renditions for the filter `specs`
    (all of them when none are given) as Wagtail's `prefetch_renditions` gives them, in one query
    for the renditions; the images themselves are those `loaded` ({id: image}, e.g. fetched with
    select_related), the others in a second. Those of the `required` ids (default: all) are there
    even without any such rendition yet (new uploads, on their first view); the others are then
    left out.
    """
    if not ids:
        return {}
    Image = get_image_model()
    renditions = Image.get_rendition_model().objects.filter(image_id__in=ids)
    if specs:
        renditions = renditions.filter(filter_spec__in=[getattr(s, "spec", s) for s in specs])
    found = {}
    for rendition in renditions:
        found.setdefault(rendition.image_id, []).append(rendition)
    wanted = set(ids if required is None else required) | found.keys()
    images = {pk: image for pk, image in (loaded or {}).items() if pk in wanted}
    if wanted - images.keys():
        images.update(Image.objects.in_bulk(wanted - images.keys()))
    for pk, image in images.items():
        image.prefetched_renditions = found.get(pk, [])
        for rendition in image.prefetched_renditions:
            rendition.image = image
    return images


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class BlogIndexPage(
    LinkedFromEveryPageMixin, RoutablePageMixin, StructuredDataMixin, TranslatedSlugMixin, Page
):
    """
    The list of articles, newest first, with category and tag filters. Lives under Home.
    Its RSS feed of the newest articles is at `feed/` below it, and each author's page (biography
    and articles) at `authors/<slug>/`, in each language.
    """

    intro = models.TextField(
        _("introduction"),
        max_length=500,
        blank=True,
        help_text=_("A sentence or two above the list of articles."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = _("blog index page")

    def articles(self):
        # Its descendants, which are its children (articles live under a blog and have no subpages):
        # SQLite takes child_of's `depth = n` for a rare value and would then sort every article
        # rather than read them in the order of the date index.
        return ArticlePage.objects.for_listing().descendant_of(self).as_cards(tags=False)

    @path("feed/", name="feed")
    def feed(self, request):
        return ArticleFeed(self)(request)

    def get_feed_url(self, request=None):
        """The feed's URL in the active language (relative to the site, like page.get_url)."""
        url = self.get_url(request)
        return url + self.reverse_subpage("feed").lstrip("/") if url else None

    @path("authors/<slug:slug>/", name="author")
    def author_page(self, request, slug):
        """An author's photo, credentials, role and biography, then their live articles here, newest first."""
        author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
        articles = self.articles().filter(
            pk__in=ArticleAuthor.objects.filter(author=author).values("page_id")
        )
        # Page's own context: the index's listing and categories are not needed here.
        context = super().get_context(request)
        context["author"] = author
        context["articles"] = paginate(
            articles, request, shared_count(request, articles.count, "author", self.pk, slug)
        )
        return TemplateResponse(request, "articles/author_page.html", context)

    def get_cached_paths(self):
        """What a CDN forgets when the blog changes: its list, its feed and every author's page."""
        authors = Author.objects.exclude(slug="").order_by("slug")
        return ["/", self.reverse_subpage("feed"), *(self.author_subpage_path(author) for author in authors)]

    def author_subpage_path(self, author):
        return self.reverse_subpage("author", kwargs={"slug": author.slug}).lstrip("/")

    def get_author_url(self, author, request=None):
        """An author's page in the active language (relative to the site, like page.get_url), or None."""
        url = self.get_url(request)
        return url + self.author_subpage_path(author) if url and author.slug else None

    @staticmethod
    def routed_author(context):
        """The author whose page (the `authors/<slug>/` route) is being shown, else None."""
        author = context.get("author")
        return author if isinstance(author, Author) else None

    def structured_data(self, request, context, clinic):
        author = self.routed_author(context)
        return [author_profile_graph(request, author, self)] if author else []

    def breadcrumb_tail(self, request, context):
        author = self.routed_author(context)
        url = self.get_author_url(author, request) if author else None
        return (author.name, request.build_absolute_uri(url)) if url else None

    def social_meta_overrides(self, request, context):
        author = self.routed_author(context)
        if author is None:
            return {}
        return {"type": "profile", "title": author.name, "description": author.bio}

    def get_sitemap_urls(self, request=None):
        """The blog itself, then the page of each author of its live articles (ordered by slug)."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not base:
            return urls
        authors = (
            Author.objects.filter(article_links__page__in=ArticlePage.objects.visible().child_of(self))
            .annotate(latest_article=Max("article_links__page__last_published_at"))
            .exclude(slug="")
            .order_by("slug")
        )
        return urls + [
            {
                "location": base + self.author_subpage_path(author),
                "lastmod": max(filter(None, [author.updated_at, author.latest_article])),
            }
            for author in authors
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()

        category_slug = request.GET.get("category", "").strip()
        if category_slug:
            context["active_category"] = ArticleCategory.objects.filter(slug=category_slug).first()
            articles = articles.filter(category__slug=category_slug)

        tag_slug = request.GET.get("tag", "").strip()
        if tag_slug:
            context["active_tag"] = Tag.objects.filter(slug=tag_slug).first()
            articles = articles.tagged(tag_slug)

        if category_slug or tag_slug:
            count_articles = articles.count
        else:
            count_articles = partial(ArticlePage.objects.count_listed, under=self)
        count = shared_count(request, count_articles, "blog", self.pk, category_slug, tag_slug)
        context["articles"] = paginate(articles, request, count)
        context["categories"] = ArticleCategory.objects.all()
        return context


class ArticlePaginator(Paginator):
    """
    Django's Paginator over an ordered queryset, reading a page past the middle from the other end:
    the last page is then the first few rows in the reverse order, which costs the database what the
    first page costs, where an OFFSET of thousands would make it read and skip every article
    before them. (Numbered pages stay: links to them keep working, unlike cursor pagination.)
    The order must be total (ArticlePageQuerySet.for_listing ends with the pk) for the two
    directions to agree.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom <= self.count // 2:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        from_the_end = list(self.object_list.reverse()[self.count - top : self.count - bottom])
        return self._get_page(from_the_end[::-1], number, self)


def paginate(articles, request, count=None):
    """
    The page of `articles` the request asks for: the first for a non-number, the last if out of
    range. `count`, if given, is how many there are (see `shared_count`).
    """
    paginator = ArticlePaginator(articles, settings.ARTICLES_PER_PAGE)
    if count is not None:
        paginator.count = count  # its cached_property, which would count them
    return paginator.get_page(request.GET.get("page"))


def shared_count(request, count, *selection):
    """
    `count()` (how many articles a listing has), kept with what pages share (cms/shared_data.py)
    under `selection` (what chooses them, e.g. the blog and a category): one number for every page
    of the listing and every language. The pages' cards cost the same at any size of the archive,
    but counting does not: 10 ms of the blog's or the API list's 30 ms at 10,000 articles on SQLite.
    Every content change empties it; until then it stands until the next expiry (an article may
    leave the listing by itself then), or PUBLIC_CACHE_SECONDS at most.
    """
    key = "article-count:" + hashlib.md5(repr(selection).encode(), usedforsecurity=False).hexdigest()
    return remember(request, key, count, until=lambda _count: next_expiry(request))


class ArticlePage(StructuredDataMixin, TranslatedSlugMixin, Page):
    """
    A health or beauty article written (or reviewed) by the clinic's doctors. Lives under the blog.

    **Medical review.** Editors write and submit articles; a medical reviewer approves them in the
    blog's "Medical review" workflow (`MedicalReviewTask`), which publishes the article with the
    reviewer (their author profile), the date as `last_reviewed` and `next_review_due` (two years
    on unless the reviewer chose another date) stamped on it. Reviewers and superusers can correct
    these fields by hand; editors do not see them.

    **Translation freshness.** The English title, introduction and body (`SOURCE_FIELDS`) are what
    every other language translates. `translation_sources` records, per language, the fingerprint
    (`text_fingerprint`: the words, images and block order, not markup or spacing) of the English
    text that language's text was last written or confirmed against. It is recorded when the
    language first gets text of its own; when an editor saves a change to that language's title,
    introduction or body; and when an editor ticks "The Tamil text is up to date" (`ArticlePageForm`).
    A language with text of its own is *stale* while the English fingerprint differs from the
    recorded one, i.e. from the moment a changed English text is saved until the translation is
    updated or confirmed: its page says so, the API says so per item, and neither claims the
    medical review for it (its text is not the one reviewed). `translation_status` says, per
    language, whether its text is "untranslated" (none of its own), "stale", "incomplete" (some
    fields fall back to English) or "current"; it is kept up to date on save like the reading
    times, so lists, reports and the dashboard can filter on it.
    """

    intro = models.CharField(
        _("introduction"),
        max_length=300,
        help_text=_("One or two sentences (at most 300 characters) for article cards and search engines."),
    )
    date = models.DateField(
        _("article date"),
        default=datetime.date.today,
        help_text=_("The date shown on the article."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("hero image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required with an image."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    category = models.ForeignKey(
        ArticleCategory,
        verbose_name=_("category"),
        null=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    reviewed_by = models.ForeignKey(
        Author,
        verbose_name=_("medically reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_articles",
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Left empty, two years after the last review."),
    )
    # {language code: fingerprint of the English text that language's text matches}; see the docstring.
    translation_sources = models.JSONField(default=dict, blank=True, editable=False)
    # {language code: "untranslated" | "stale" | "incomplete" | "current"}; derived on save.
    translation_status = models.JSONField(default=dict, blank=True, editable=False)
    # Minutes to read the body, per language. Kept up to date on save, so that lists never load and
    # parse the bodies.
    reading_time = models.PositiveSmallIntegerField(_("reading time"), null=True, blank=True, editable=False)

    objects = ArticlePageManager()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultipleChooserPanel("article_authors", label=_("Authors"), chooser_field_name="author", min_num=1),
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Hero image")),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("reviewed_by", permission="articles.record_medical_review"),
                        FieldPanel("last_reviewed", permission="articles.record_medical_review"),
                        FieldPanel("next_review_due", permission="articles.record_medical_review"),
                    ]
                )
            ],
            heading=_("Medical review"),
            help_text=_(
                "The doctor who checked the article's medical content, when, and when it is due again. "
                "Approving the article in the medical review fills these in."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel(confirmation_field(code)) for code in translated_languages()],
            heading=_("Translations"),
        ),
    ]

    # Titles (boost 2, as Wagtail's Page has it), then introductions, rank above the body, in each
    # language (cms.search_backends).
    search_fields = Page.search_fields + [
        index.SearchField("intro", boost=1.5),
        index.SearchField("body"),
        index.SearchField("author_names"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
        index.FilterField("category"),
    ]

    api_fields = [
        APIField("intro"),
        APIField("date"),
        APIField("hero_image"),
        APIField("hero_image_alt"),
        APIField("body"),
        APIField("article_authors"),
        APIField("category"),
        APIField("tags"),
        APIField("reviewed_by"),
        APIField("last_reviewed"),
        APIField("next_review_due"),
        APIField("reading_time"),
    ]

    parent_page_types = ["articles.BlogIndexPage"]
    subpage_types = []
    open_graph_type = "article"
    base_form_class = ArticlePageForm

    class Meta:
        verbose_name = _("article")
        permissions = [("record_medical_review", _("Can record medical reviews"))]
        # The listing's order (ArticlePageQuerySet.for_listing), read forwards or backwards: a page
        # of the blog, of a category, or of the API list, costs the same at either end.
        indexes = [
            models.Index(fields=["date", "page_ptr"], name="article_date_idx"),
            models.Index(fields=["category", "date", "page_ptr"], name="article_category_date_idx"),
        ]

    def clean(self):
        super().clean()
        self.update_reading_times()  # the admin's preview and revisions show it before any save
        errors = {}
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = _("Describe the hero image for people who cannot see it.")
        if self.reviewed_by_id and not self.last_reviewed:
            errors["last_reviewed"] = _("Give the date of the medical review.")
        if self.last_reviewed and not self.reviewed_by_id:
            errors["reviewed_by"] = _("Name the doctor who reviewed the article.")
        if self.next_review_due and self.last_reviewed and self.next_review_due <= self.last_reviewed:
            errors["next_review_due"] = _("The next review must come after the last one.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def authors(self):
        """
        The article's authors in the editor's order (a card's come with it).
        Kept for the instance: the byline, the JSON-LD and the search index all ask for it.
        """
        return [link.author for link in self.article_authors.select_related("author")]

    @cached_property
    def tag_list(self):
        """The article's tags, read once for its page: the tag links and the related articles."""
        return list(self.tags.all())

    @cached_property
    def tag_ids(self):
        """The ids of the article's tags (a card's come with it): its related articles share them."""
        return [tag.pk for tag in self.tag_list]

    @cached_property
    def tag_names(self):
        """The names of the article's tags (a card's come with it)."""
        return [tag.name for tag in self.tag_list]

    def author_names(self):
        return ", ".join(author.name for author in self.authors)

    def save(self, *args, **kwargs):
        self.update_reading_times()  # drafts are saved without clean()
        self.update_review_dates()
        self.update_translation_status()
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        # Revisions saved before reading times were stored have none.
        page = super().with_content_json(content)
        page.update_reading_times()
        if "translation_sources" not in content:  # saved before translations were tracked
            page.translation_sources = self.translation_sources
        page.update_review_dates()
        page.update_translation_status()
        return page

    # Medical review ---------------------------------------------------------------------------

    def update_review_dates(self):
        """Gives a reviewed article its default next review: two years after the last."""
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = review_due_after(self.last_reviewed)

    def record_medical_review(self, reviewer, on, next_review_due=None):
        """Stamps a medical review by `reviewer` (an Author) on the date `on`."""
        self.reviewed_by = reviewer
        self.last_reviewed = on
        self.next_review_due = next_review_due or review_due_after(on)

    def review_overdue(self, today=None):
        """Whether the next review's date has passed (False for an article never reviewed)."""
        return self.review_state(today) == "overdue"

    def review_state(self, today=None):
        """Where the next review stands: never (reviewed), overdue, due_soon (REVIEW_DUE_SOON_DAYS), later."""
        if self.next_review_due is None:
            return "never"
        days_left = (self.next_review_due - (today or clinic_today())).days
        if days_left < 0:
            return "overdue"
        return "due_soon" if days_left <= REVIEW_DUE_SOON_DAYS else "later"

    def shown_review(self, language=None):
        """
        The medical review readers are told of in `language` (default: the active one), or None:
        none while the article has no review, or while that language's text is stale (the text
        readers would see is not the one that was reviewed).
        """
        if not (self.reviewed_by_id and self.last_reviewed) or self.translation_is_stale(language):
            return None
        return MedicalReview(self.reviewed_by, self.last_reviewed, self.next_review_due)

    # Translation freshness ----------------------------------------------------------------------

    def source_fingerprint(self, language=None):
        """The fingerprint of the article's text in `language` (default: the default language)."""
        code = language or settings.LANGUAGE_CODE
        title, intro, body = (getattr(self, f"{name}_{code}", None) for name in SOURCE_FIELDS)
        return text_fingerprint(title, intro, body.raw_data if body is not None else [])

    def has_own_text(self, language):
        """Whether `language` has any of the source fields written in it (not fallen back)."""
        return any(not is_empty(getattr(self, f"{name}_{language}", None)) for name in SOURCE_FIELDS)

    def confirm_translation(self, language):
        """Records that the text in `language` matches the English as it is now."""
        self.translation_sources = {**self.translation_sources, language: self.source_fingerprint()}
        self.update_translation_status()

    def update_translation_status(self):
        """
        Sets `translation_status`. A language's first text is taken as made from the English as it
        is then (its source is recorded), however it was saved: the admin, the demo data, a script.
        """
        source = self.source_fingerprint()
        status = {}
        for code in translated_languages():
            if not self.has_own_text(code):
                status[code] = "untranslated"
                continue
            if code not in self.translation_sources:
                self.translation_sources = {**self.translation_sources, code: source}
            if self.translation_sources[code] != source:
                status[code] = "stale"
            elif fallback_fields(self, language=code, fields=SOURCE_FIELDS):
                status[code] = "incomplete"
            else:
                status[code] = "current"
        self.translation_status = status

    def translation_is_stale(self, language=None):
        """Whether the text in `language` (default: the active one) lags behind a change to the English."""
        return self.translation_status.get(language or translation.get_language()) == "stale"

    def update_reading_times(self):
        """
        Sets `reading_time` in each language: minutes to read the body readers see in it (its own,
        or the default language's while it has none), rounded up, at least one.
        """
        default_body = getattr(self, f"body_{settings.LANGUAGE_CODE}", None)
        for code, _name in settings.LANGUAGES:
            body = getattr(self, f"body_{code}", None)
            if is_empty(body):
                body = default_body
            words = count_words(body.raw_data) if body is not None else 0
            # Never empty, so never reported as a missing translation (only the body is).
            setattr(self, f"reading_time_{code}", max(1, math.ceil(words / READING_WORDS_PER_MINUTE)))

    def related_candidates(self, saved=False):
        """
        Other live articles sharing the category or a tag, newest first. `saved`: this article is
        as saved (not a draft), so its tags are read within the same query (unless read before).
        """
        matches = Q()
        if self.category_id:
            matches |= Q(category_id=self.category_id)
        tag_ids = self.__dict__.get("tag_ids")
        if tag_ids is None and saved and self.pk:
            tag_ids = ArticlePageTag.objects.filter(content_object_id=self.pk).values("tag_id")
        elif tag_ids is None:
            tag_ids = self.tag_ids
        if not isinstance(tag_ids, list) or tag_ids:
            # Asked of each article in turn (EXISTS, as `tagged`), so the database reads the articles
            # newest first from the date index and stops at the few it needs; an `IN` list of every
            # tagged article, OR'd with the category's, made it sort thousands at a large archive.
            tagged = ArticlePageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
            matches |= Exists(tagged)
        if not matches:
            return ArticlePage.objects.none()
        return ArticlePage.objects.for_listing(matches, ~Q(pk=self.pk))

    def related_articles(
        self, count=3, renditions=CARD_IMAGE_FILTERS, along=(), saved=False, tags=True, photos=False
    ):
        """The newest few of the related candidates, as cards (see `as_cards` for the options)."""
        if saved and not tags and self in along:
            # Its tags would be read alone (the cards' are not): read first, so the candidates'
            # query names them rather than nesting a query for them, which costs more to build.
            add_tags([self])
        return self.related_candidates(saved).as_cards(renditions, along, tags, photos)[:count]

    def get_pages_showing_it(self):
        """Other live articles that may list this one among their related articles (cms/frontend_cache.py)."""
        return self.related_candidates().defer_streamfields()

    def get_cached_api_paths(self):
        """
        The API paths (from the site's root) whose answers show this article: a CDN forgets them when
        it changes (cms/frontend_cache.py). Finding it by path: as clients send the path, quoted or not.
        """
        api = "wagtailapi_v3"
        authors = [link.author for link in self.article_authors.all() if link.author.slug]
        paths = [
            reverse(f"{api}:list_articles"),
            reverse(f"{api}:get_article", kwargs={"article_id": self.pk}),
            reverse(f"{api}:list_authors"),
            reverse(f"{api}:list_categories"),
            *(reverse(f"{api}:get_author", kwargs={"slug": author.slug}) for author in authors),
        ]
        find = reverse(f"{api}:find_article")
        for language in supported_languages():
            with translation.override(language):
                url = self.get_url()
            if url:
                paths += [f"{find}?path={quote(url, safe='/')}", f"{find}?path={quote(url, safe='')}"]
        return paths

    def structured_data(self, request, context, clinic):
        return [article_graph(request, self, clinic, context.get("blog"))]

    @classmethod
    def serving_queryset(cls):
        """The article as routing fetches it to serve (cms.pages.specific_for_serving)."""
        return cls.objects.select_related("category", "reviewed_by", "hero_image")

    def get_context(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            # A draft's own authors, tags and hero image, not the saved ones.
            related = self.related_articles(tags=False)
            if self.hero_image_id:
                images = get_image_model().objects.prefetch_renditions()
                self.hero_image = images.filter(pk=self.hero_image_id).first()
        else:
            # The related cards, and in the same queries this article's authors, tags, and hero
            # image with the renditions of the page and of link previews.
            related = self.related_articles(
                renditions=PAGE_IMAGE_FILTERS, along=(self,), saved=True, tags=False
            )
        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = list(related)
        context["review"] = self.shown_review()
        if self.translation_is_stale():
            with translation.override(settings.LANGUAGE_CODE):
                context["source_url"] = self.get_url(request)
        # Linked several times (category, tags, authors, back); the deferred specific page costs no
        # query and gives the blog's routes (its authors' pages).
        context["blog"] = ancestors(self)[-1].specific_deferred
        # Tags are single English words (they have no translations): a page in another language leaves
        # them out rather than show English words among its own.
        in_default_language = translation.get_language() == settings.LANGUAGE_CODE
        context["tags"] = self.tag_list if in_default_language else []
        return context


class ArticleAuthor(Orderable):
    """Links an article to one of its authors, in the order the editor gives."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("author")]

    api_fields = [APIField("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("article author")
        verbose_name_plural = _("article authors")


class ArticleVisibilityChange(models.Model):
    """
    A moment an article may have appeared or disappeared for readers other than by a publish: it
    was unpublished or deleted, a page at or above it was made private or public again, or it was
    moved to another part of the tree (or site). Apps syncing an offline copy (`updated_since`)
    compare these with what is visible now: gone, it is removed; still there, it is sent again.
    """

    page_id = models.PositiveIntegerField(db_index=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("article visibility change")
        ordering = ["changed_at"]

    def __str__(self):
        return f"{self.page_id} @ {self.changed_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, page_ids):
        cls.objects.bulk_create([cls(page_id=page_id) for page_id in page_ids])

    @classmethod
    def page_ids_since(cls, since):
        return cls.objects.filter(changed_at__gt=since).values("page_id")


class MedicalReviewTask(AbstractGroupApprovalTask):
    """
    A workflow step in which a member of the chosen groups approves an article's medical content.

    Like Wagtail's group approval, but approving stamps the approver's author profile, today's
    date and the next review's date (two years on, or the date the reviewer chose) on the article,
    in a revision that the workflow then publishes. Only reviewers whose account is linked to an
    author profile (Blog → Authors → Admin account) may approve: the site names them as reviewer.
    """

    class Meta:
        verbose_name = _("medical review task")
        verbose_name_plural = _("medical review tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve an article's medical content; approving names them "
            "as its medical reviewer, with the date."
        )

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if not Author.objects.filter(user=user).exists():
            # Nobody to name as the reviewer: they may send it back, not approve it.
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def get_form_for_action(self, action):
        return MedicalReviewApprovalForm if action == "approve" else super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            due = parse_review_date(kwargs.pop("next_review_due", None))
            self.stamp_review(task_state, user, due)
        return super().on_action(task_state, user, action_name, **kwargs)

    def stamp_review(self, task_state, user, next_review_due):
        """Saves the article's latest draft again with the review on it, for the workflow to publish."""
        page = task_state.workflow_state.content_object
        draft = page.get_latest_revision_as_object()
        if not isinstance(draft, ArticlePage):
            return
        draft.record_medical_review(Author.objects.get(user=user), clinic_today(), next_review_due)
        revision = draft.save_revision(user=user, clean=False)
        # The workflow publishes its own copy's latest revision when it finishes: make it this one.
        page.latest_revision = revision

from django.urls import path, reverse
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.models import Site
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.dashboard import DASHBOARD_ITEMS_HOOK, DashboardEntry, DashboardItem
from cms.i18n import translated_languages

from .models import ArticleCategory, ArticlePage, Author, BlogIndexPage
from .reports import ReviewsDueReportView

# Titles a dashboard item lists under its count; the rest are behind its link.
DASHBOARD_ENTRIES = 5


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "credentials", "role"]
    list_export = ["name", "slug", "credentials", "role"]
    search_fields = ["name", "credentials", "role"]


class ArticleCategoryViewSet(SnippetViewSet):
    model = ArticleCategory
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "slug"]


BLOG_MENU_HOOK = "register_blog_menu_item"


class ArticlesViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, ArticleCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = _("Blog")
    menu_name = "blog"
    menu_order = 200
    submenu_hook = BLOG_MENU_HOOK


register_snippet(ArticlesViewSetGroup)


def blog_index(request):
    """The blog whose articles the Blog menu opens: the first of the default site, once per request."""
    if not hasattr(request, "_blog_index"):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        blogs = BlogIndexPage.objects.order_by("path")
        if site is not None:
            blogs = blogs.descendant_of(site.root_page, inclusive=True)
        request._blog_index = blogs.first()
    return request._blog_index


class BlogPageMenuItem(MenuItem):
    """A Blog menu link whose URL depends on the blog page, found when the menu is drawn."""

    def url_for(self, blog):
        raise NotImplementedError

    def may_use(self, request, blog):
        raise NotImplementedError

    def is_shown(self, request):
        blog = blog_index(request)
        return blog is not None and self.may_use(request, blog)

    def render_component(self, request):
        # Menu items are shared by every request: build the link without changing self.url.
        return LinkMenuItemComponent(
            self.name,
            self.label,
            self.url_for(blog_index(request)),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class ArticlesMenuItem(BlogPageMenuItem):
    def url_for(self, blog):
        return reverse("wagtailadmin_explore", args=[blog.pk])

    def may_use(self, request, blog):
        return user_has_any_page_permission(request.user)


class AddArticleMenuItem(BlogPageMenuItem):
    def url_for(self, blog):
        meta = ArticlePage._meta
        return reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, blog.pk])

    def may_use(self, request, blog):
        return (
            blog.permissions_for_user(request.user).can_add_subpage()
            and ArticlePage in blog.creatable_subpage_models()
            and ArticlePage.can_create_at(blog)
        )


@hooks.register(BLOG_MENU_HOOK)
def register_articles_menu_item():
    return ArticlesMenuItem(_("Articles"), "", name="articles", icon_name="doc-full-inverse", order=-2)


@hooks.register(BLOG_MENU_HOOK)
def register_add_article_menu_item():
    return AddArticleMenuItem(_("Add article"), "", name="add-article", icon_name="plus", order=-1)


@hooks.register("register_admin_urls")
def register_reviews_due_urls():
    view = ReviewsDueReportView
    return [
        path("reports/reviews-due/", view.as_view(), name="reviews_due"),
        path("reports/reviews-due/results/", view.as_view(results_only=True), name="reviews_due_results"),
    ]


def writes_articles(user):
    return page_permission_policy.user_has_any_permission(user, ReviewsDueReportView.any_permission_required)


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request):
        return writes_articles(request.user)


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item():
    return ReviewsDueMenuItem(_("Reviews due"), reverse("reviews_due"), icon_name="calendar-alt", order=1010)


def edit_entry(article, note=""):
    return DashboardEntry(
        article.get_admin_display_title(), reverse("wagtailadmin_pages:edit", args=[article.pk]), note
    )


@hooks.register(DASHBOARD_ITEMS_HOOK)
def article_dashboard_items(request):
    """For those who write or review articles: what waits for review, translation, publishing, re-review."""
    if not writes_articles(request.user):
        return []
    items = []

    in_review = ArticlePage.objects.in_review().order_by("-latest_revision_created_at")
    items.append(
        DashboardItem(
            _("Articles waiting for medical review"),
            in_review.count(),
            reverse("wagtailadmin_reports:workflow"),
            [edit_entry(article) for article in in_review[:DASHBOARD_ENTRIES]],
            order=10,
        )
    )

    for language in translated_languages():
        to_do = ArticlePage.objects.with_translation_status(language, "untranslated", "incomplete", "stale")
        stale = set(
            ArticlePage.objects.with_translation_status(language, "stale").values_list("pk", flat=True)
        )
        name = get_language_info(language)["name_translated"]
        entries = [
            edit_entry(article, _("out of date") if article.pk in stale else _("missing"))
            for article in to_do.order_by("path")[:DASHBOARD_ENTRIES]
        ]
        items.append(
            DashboardItem(
                _("Articles with missing or out-of-date %(language)s") % {"language": name},
                to_do.count(),
                reverse("translation_status"),
                entries,
                order=20,
            )
        )

    scheduled = ArticlePage.objects.scheduled().order_by("scheduled_at")
    items.append(
        DashboardItem(
            _("Scheduled articles"),
            scheduled.count(),
            "",
            [
                edit_entry(article, formats.date_format(localtime(article.scheduled_at), "DATETIME_FORMAT"))
                for article in scheduled[:DASHBOARD_ENTRIES]
            ],
            order=30,
        )
    )

    overdue = ArticlePage.objects.live().review_overdue().order_by("next_review_due")
    items.append(
        DashboardItem(
            _("Articles overdue for medical review"),
            overdue.count(),
            reverse("reviews_due") + "?state=overdue",
            [
                edit_entry(article, formats.date_format(article.next_review_due))
                for article in overdue[:DASHBOARD_ENTRIES]
            ],
            order=40,
        )
    )
    return items

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ArticleCategory, Author


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


class ArticlesViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, ArticleCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = _("Blog")
    menu_name = "blog"
    menu_order = 200


register_snippet(ArticlesViewSetGroup)

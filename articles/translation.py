"""Which fields of the articles app exist in every language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ArticleCategory, ArticlePage, Author, BlogIndexPage


@register(BlogIndexPage)
class BlogIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(ArticlePage)
class ArticlePageTR(TranslationOptions):
    fields = ("intro", "body", "hero_image_alt", "reading_time")


@register(Author)
class AuthorTR(TranslationOptions):
    # The name stays as written unless the editor gives a Tamil form of it.
    fields = ("name", "credentials", "role", "bio")


@register(ArticleCategory)
class ArticleCategoryTR(TranslationOptions):
    fields = ("name",)

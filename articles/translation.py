"""Which fields of the articles app exist in every language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ArticleCategory, ArticlePage, Author, BlogIndexPage


@register(BlogIndexPage)
class BlogIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(ArticlePage)
class ArticlePageTR(TranslationOptions):
    fields = ("intro", "body", "hero_image_alt")
    # An untranslated body loads as an empty stream rather than None: treat it as missing too,
    # so that it falls back to English like every other field.
    fallback_undefined = {"body": ArticlePage._meta.get_field("body").get_default()}


@register(Author)
class AuthorTR(TranslationOptions):
    # The name stays as written unless the editor gives a Tamil form of it.
    fields = ("name", "credentials", "role", "bio")


@register(ArticleCategory)
class ArticleCategoryTR(TranslationOptions):
    fields = ("name",)

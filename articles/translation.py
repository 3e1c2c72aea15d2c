"""modeltranslation registrations for the articles app.

Pages without translated fields of their own are still listed: see home/translation.py.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import ArticlePage, BlogIndexPage


@register(BlogIndexPage)
class BlogIndexPageTR(TranslationOptions):
    fields = ()


@register(ArticlePage)
class ArticlePageTR(TranslationOptions):
    fields = ()

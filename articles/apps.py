from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from cms.cache import register_public_models
        from cms.search import localize_search_fields

        from . import signals  # noqa: F401
        from .models import ArticleCategory, Author

        register_public_models(Author, ArticleCategory)
        for model in self.get_models():
            localize_search_fields(model)

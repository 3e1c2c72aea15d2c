from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and clinic")

    def ready(self):
        from wagtail.models import Page

        from cms.cache import connect_invalidation
        from cms.search import localize_search_fields

        connect_invalidation()

        # Wagtail's own Page (plain pages, the tree root) as well as the clinic's models.
        for model in [Page, *self.get_models()]:
            localize_search_fields(model)

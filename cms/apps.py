from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The code every app shares: languages, page mixins, search, the public cache, the API's plumbing."""

    name = "cms"
    verbose_name = _("Clinic CMS")

    def ready(self):
        from wagtail.images import get_image_model
        from wagtail.models import Page, Site

        from cms.cache import connect_page_invalidation, register_public_models
        from cms.frontend_cache import connect_frontend_cache_purge
        from cms.page_changes import connect_page_changes
        from cms.pages import use_own_page_patches
        from cms.scheduling import connect_scheduling
        from cms.search import localize_search_fields

        connect_page_changes()
        connect_page_invalidation()
        connect_frontend_cache_purge()
        connect_scheduling()
        register_public_models(get_image_model(), Site)  # a site's root, its host: cms/shared_data.py
        # Wagtail's own Page (plain pages, the tree root): every language's title is searchable.
        localize_search_fields(Page)
        # After wagtail-modeltranslation's ready() (listed first), which patched `route` and the root paths.
        use_own_page_patches()

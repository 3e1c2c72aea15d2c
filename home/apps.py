from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and clinic")

    def ready(self):
        from cms.cache import register_public_models
        from cms.search import localize_search_fields

        from .models import ClinicDetails, OpeningException, OpeningHours, OpeningSession

        register_public_models(OpeningHours, OpeningSession, OpeningException, ClinicDetails)
        for model in self.get_models():
            localize_search_fields(model)

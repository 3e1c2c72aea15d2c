from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from cms.backup import register_patient_data
        from cms.search import localize_search_fields

        from .models import ConsultationRequest, IdempotencyKey

        register_patient_data(ConsultationRequest, IdempotencyKey)
        for model in self.get_models():
            localize_search_fields(model)

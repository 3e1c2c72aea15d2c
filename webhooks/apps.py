from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhooks: other channels hear of article and clinic changes (English-only admin)."""

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from .events import connect_events

        connect_events()

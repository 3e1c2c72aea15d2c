from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo clinic (`make run`): its content as data, and the commands that load it and its admin."""

    name = "demo"
    verbose_name = _("Demo content")

"""
The admin dashboard's "Needs attention" panel: counts of what is waiting for someone, each with a
link to where it is dealt with. Apps contribute their own rows with the `register_dashboard_items`
hook: a function of the request returning `DashboardItem`s (only those the user may act on).
"""

from dataclasses import dataclass, field

from wagtail import hooks
from wagtail.admin.ui.components import Component

DASHBOARD_ITEMS_HOOK = "register_dashboard_items"


@dataclass
class DashboardEntry:
    """One of the things an item counts, e.g. an article, with its admin URL and a short note."""

    title: str
    url: str
    note: str = ""


@dataclass
class DashboardItem:
    label: str
    count: int
    url: str = ""
    entries: list[DashboardEntry] = field(default_factory=list)
    order: int = 100


def dashboard_items(request):
    """Every app's items for this request's user, in order."""
    items = [item for hook in hooks.get_hooks(DASHBOARD_ITEMS_HOOK) for item in hook(request)]
    return sorted(items, key=lambda item: item.order)


class NeedsAttentionPanel(Component):
    name = "needs_attention"
    template_name = "cms/needs_attention_panel.html"
    order = 50  # above Wagtail's own panels

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        return {"items": self.items}

"""
Wagtail's image tags ({% image %}, {% srcset_image %}, {% picture %}, {% image_url %}), each tag's
filter specs made `Filter` objects once, when its template is compiled, rather than at every render.

Wagtail's tags build new Filters at each render, and each new Filter parses its spec again (its
`operations`: an object per operation, each checking its arguments with `inspect`); an article
page renders some twenty of them, a card three. A Filter holds nothing but its spec and those
operations, so one per tag serves every render, in every thread. Load this library in place of
`wagtailimages_tags`: the tags are Wagtail's own in every other respect.
"""

from django import template
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

register = template.Library()
register.tags.update(wagtail_tags.register.tags)
register.filters.update(wagtail_tags.register.filters)


class ImageNode(wagtail_tags.ImageNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter = super().get_filter()

    def get_filter(self):
        return self.filter


class FiltersMadeOnce:
    """For Wagtail's nodes of several filters ({% srcset_image %}, {% picture %})."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = super().get_filters()

    def get_filters(self):
        return self.filters


class SrcsetImageNode(FiltersMadeOnce, wagtail_tags.SrcsetImageNode):
    pass


class PictureNode(FiltersMadeOnce, wagtail_tags.PictureNode):
    pass


NODES = {
    wagtail_tags.ImageNode: ImageNode,
    wagtail_tags.SrcsetImageNode: SrcsetImageNode,
    wagtail_tags.PictureNode: PictureNode,
}


@register.tag("image")
@register.tag("srcset_image")
@register.tag("picture")
def image(parser, token):
    """Wagtail's tag as Wagtail parses it (and checks it), with its filters made once."""
    node = wagtail_tags.image(parser, token)
    return NODES[type(node)](
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )

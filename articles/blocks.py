"""The blocks an article body is written with."""

import re

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 for sections, 3 for sub-sections."""

    text = blocks.CharBlock(label=_("Heading"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (H2)")), ("h3", _("Sub-section (H3)"))],
        default="h2",
        search_index=False,
    )

    class Meta:
        icon = "title"
        template = "articles/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    """An image inside the article, with alternative text for screen readers and a caption."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
        search_index=False,
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "articles/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), max_length=150, required=False)

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted box, such as the article's key takeaway."""

    title = blocks.CharBlock(label=_("Title"), max_length=100, default=_("Key takeaway"))
    text = blocks.RichTextBlock(label=_("Text"), features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "pick"
        template = "articles/blocks/callout.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=PARAGRAPH_FEATURES, template="articles/blocks/paragraph.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    callout = CalloutBlock(label=_("Callout / key takeaway"))


# Parts of a block's stored value that a reader does not read as running text.
NOT_READ = {"id", "type", "level", "image", "alt_text"}
TAG = re.compile(r"<[^>]+>")


def count_words(raw_stream):
    """
    The words a reader reads in a body, counted from its stored (raw) data.

    Much cheaper than building every block's value: article lists show reading times for many
    articles at once.
    """
    if isinstance(raw_stream, str):
        return len(TAG.sub(" ", raw_stream).split())
    if isinstance(raw_stream, dict):
        return sum(count_words(value) for key, value in raw_stream.items() if key not in NOT_READ)
    if isinstance(raw_stream, list | tuple) or hasattr(raw_stream, "__iter__"):
        return sum(count_words(item) for item in raw_stream)
    return 0

"""
The site's image tags (cms/templatetags/clinic_images.py): Wagtail's, with each tag's filter specs
made Filters once, when its template is compiled, rather than at every render.
"""

import pytest
from django.template import engines
from wagtail.images.models import Filter
from wagtail_factories import ImageFactory

TAGS = (
    '{% picture image fill-{320x180,480x270} format-{webp,jpeg} sizes="50vw" alt=alt class="card" %}',
    '{% srcset_image image width-{400,800} sizes="100vw" loading="lazy" %}',
    "{% image image fill-200x200 alt=alt %}",
    "{% image image width-300 as small %}{{ small.url }} {{ small.width }}",
)


def render(library, tag, **context):
    template = engines["django"].from_string("{% load " + library + " %}" + tag)
    return template, template.render(context)


@pytest.mark.django_db
@pytest.mark.parametrize("tag", TAGS)
def test_the_tags_write_what_wagtails_own_write(tag):
    image = ImageFactory(file__width=1600, file__height=900)
    _template, ours = render("clinic_images", tag, image=image, alt="A dermatologist at work")
    _template, wagtails = render("wagtailimages_tags", tag, image=image, alt="A dermatologist at work")
    assert ours == wagtails
    assert "<img" in ours or "/images/" in ours


@pytest.mark.django_db
def test_a_tag_rendered_again_parses_no_filter_spec_again(monkeypatch):
    images = [ImageFactory(file__width=1600, file__height=900) for _ in range(2)]
    template, first = render("clinic_images", TAGS[0], image=images[0], alt="")
    made = []
    original = Filter.__init__

    def counted(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Filter, "__init__", counted)
    again = template.render({"image": images[1], "alt": ""})
    assert "<picture>" in again and again != first  # another image's renditions
    assert made == []

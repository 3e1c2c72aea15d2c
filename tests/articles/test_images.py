"""
Article images on the site and in the API: WebP at a few widths (never enlarged), sized, lazy below
the fold, no query per card.
"""

import re
from html.parser import HTMLParser

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail_factories import ImageFactory

from articles.models import CARD_IMAGE_FILTERS
from tests.factories import ArticleCategoryFactory, ArticlePageFactory

SRCSET_CANDIDATE = re.compile(r"(\S+) (\d+)w")


class ImageParser(HTMLParser):
    """Every <img> of a page, each with the WebP <source> of its <picture> (if any)."""

    def __init__(self):
        super().__init__()
        self.images = []
        self._webp = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self._webp = None
        elif tag == "source" and attrs.get("type") == "image/webp":
            self._webp = attrs
        elif tag == "img":
            self.images.append({**attrs, "webp": self._webp})
            self._webp = None


def images_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = ImageParser()
    parser.feed(response.content.decode())
    return parser.images


def webp_widths(image):
    """The widths a <picture>'s WebP source offers, after checking that each is a .webp file."""
    candidates = SRCSET_CANDIDATE.findall(image["webp"]["srcset"])
    assert all(url.endswith(".webp") for url, _width in candidates), candidates
    return sorted(int(width) for _url, width in candidates)


def photo():
    """An uploaded photo larger than any rendition, so each width is made at its full size."""
    return ImageFactory(file__width=1600, file__height=900)


def with_photo(**kwargs):
    if "hero_image" not in kwargs:
        kwargs["hero_image"] = photo()
    return ArticlePageFactory(hero_image_alt="A dermatologist at work", **kwargs)


def queries_to_show(client, url):
    """Queries of one view of `url` once its renditions exist, the public page cache left out."""
    public_cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    public_cache.clear()
    assert client.get(url).status_code == 200  # makes missing renditions, warms per-process caches
    public_cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_blog_cards_offer_webp_at_three_widths_lazily_with_their_size(client, blog_page):
    for _ in range(3):
        with_photo(parent=blog_page)

    cards = images_of(client, blog_page.url)

    assert len(cards) == 3
    for card in cards:
        assert webp_widths(card) == [320, 480, 640]
        assert card["src"].endswith(".jpg")  # the fallback for phones without WebP
        assert (card["width"], card["height"]) == ("320", "180")
        assert card["loading"] == "lazy"
        assert card["sizes"] == card["webp"]["sizes"]
        assert card["sizes"].endswith("calc(100vw - 2em)")  # one column on a phone
        assert card["alt"] == "A dermatologist at work"


def test_home_page_cards_are_the_same_lazy_webp_cards(client, blog_page, home_page):
    with_photo(parent=blog_page)

    (card,) = images_of(client, home_page.url)

    assert webp_widths(card) == [320, 480, 640]
    assert card["loading"] == "lazy" and card["width"] and card["height"]


def test_article_hero_loads_first_and_body_images_and_related_cards_lazily(client, blog_page):
    skin = ArticleCategoryFactory()
    article = with_photo(
        parent=blog_page,
        category=skin,
        body=[
            {"type": "paragraph", "value": "<p>Before and after.</p>"},
            {"type": "image", "value": {"image": photo().pk, "alt_text": "Healed skin", "caption": ""}},
        ],
    )
    with_photo(parent=blog_page, category=skin)

    hero, body_image, related_card = images_of(client, article.url)

    assert webp_widths(hero) == [480, 800, 1200]
    assert "loading" not in hero
    assert hero["fetchpriority"] == "high"
    # Largest first: CSS shrinks it to the column, and a smaller upload is never stretched.
    assert (hero["width"], hero["height"]) == ("1200", "675")
    assert hero["sizes"] == "(min-width: 42em) 40em, calc(100vw - 2em)"

    assert body_image["alt"] == "Healed skin"
    assert webp_widths(body_image) == [480, 800]
    assert body_image["loading"] == "lazy"
    assert body_image["sizes"] and body_image["width"] and body_image["height"]

    assert webp_widths(related_card) == [320, 480, 640]
    assert related_card["loading"] == "lazy"


def test_cards_use_exactly_the_prefetched_renditions_and_their_files_exist(client, blog_page):
    article = with_photo(parent=blog_page)

    client.get(blog_page.url)

    renditions = get_image_model().get_rendition_model().objects.filter(image=article.hero_image)
    assert sorted(r.filter_spec for r in renditions) == sorted(CARD_IMAGE_FILTERS)
    for rendition in renditions:
        assert rendition.file.storage.exists(rendition.file.name)
        assert rendition.file.name.endswith(".webp" if "format-webp" in rendition.filter_spec else ".jpg")


def test_blog_index_queries_do_not_grow_with_the_number_of_articles(client, blog_page):
    for _ in range(3):
        with_photo(parent=blog_page)
    few = queries_to_show(client, blog_page.url)

    for _ in range(9):
        with_photo(parent=blog_page)
    many = queries_to_show(client, blog_page.url)

    assert many == few


def test_article_page_queries_do_not_grow_with_its_related_articles(client, blog_page):
    skin = ArticleCategoryFactory()
    article = with_photo(parent=blog_page, category=skin)
    with_photo(parent=blog_page, category=skin)
    one_related = queries_to_show(client, article.url)

    for _ in range(10):
        with_photo(parent=blog_page, category=skin)
    three_related = queries_to_show(client, article.url)  # the most an article shows

    assert three_related == one_related


def rendition_sizes(renditions):
    """(width, height) as the API lists each rendition, after checking its file has that size."""
    sizes = []
    for rendition in renditions:
        stored = rendition["url"].removeprefix("http://testserver" + settings.MEDIA_URL)
        with default_storage.open(stored) as file, PILImage.open(file) as picture:
            assert picture.size == (rendition["width"], rendition["height"]), rendition["url"]
        sizes.append(picture.size)
    return sizes


def test_the_api_lists_an_image_only_at_the_widths_it_has(client, blog_page):
    narrow = with_photo(parent=blog_page, hero_image=ImageFactory(file__width=400, file__height=300))
    medium = with_photo(parent=blog_page, hero_image=ImageFactory(file__width=600, file__height=450))
    wide = with_photo(parent=blog_page)  # 1600 × 900

    listed = {item["id"]: item["hero_image"] for item in client.get("/api/v3/articles/").json()["items"]}
    detail = client.get(f"/api/v3/articles/{medium.pk}/").json()["hero_image"]

    # Never enlarged: a narrower image is listed up to its own size, once.
    assert rendition_sizes(listed[narrow.pk]["renditions"]) == [(400, 300)]
    assert rendition_sizes(listed[medium.pk]["renditions"]) == [(400, 300), (600, 450)]
    assert rendition_sizes(detail["renditions"]) == [(400, 300), (600, 450)]
    assert rendition_sizes(listed[wide.pk]["renditions"]) == [(400, 225), (800, 450), (1200, 675)]

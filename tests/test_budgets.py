"""
The transfer budget of a patient's first visit on a slow phone: the seed article's HTML, stylesheets,
scripts and fonts (content images aside) as production sends them. The page itself says what it loads:
its <head> is parsed for what it links, and the stylesheets for the fonts and stylesheets they name.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import translation

from articles.models import ArticlePage
from tests.test_static_files import StaticReferences, fetch, serve_static_as_in_production

KB = 1024
PAGE_BUDGET = 150 * KB  # HTML + CSS + scripts + fonts, as transferred
CSS_BUDGET = 30 * KB  # all stylesheets, as transferred
SEED_TITLE = "Is Micro-Needling Effective for Reducing Skin Pores?"
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf")


def css_references(css_url, css):
    """The absolute paths a stylesheet fetches (fonts, images, imports), without data: URIs."""
    for match in CSS_URL.finditer(css):
        reference = match.group(2) or match.group(4)
        if not reference.startswith("data:"):
            yield urlsplit(urljoin(css_url, reference)).path


def transferred(client, url):
    """The bytes whitenoise sends for `url` to a browser that accepts gzip and brotli."""
    response = fetch(client, url, accept_encoding="gzip, deflate, br")
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(response.body)


def page_weight(client, path):
    """What a first visit to `path` transfers, by kind: {kind: {url: bytes}}; fonts counted in full,
    whether or not the page's text uses them."""
    html = client.get(path).content
    sent = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")  # compressed by the server itself
    assert sent["Content-Encoding"] == "br"
    weight = {"html": {path: len(sent.content)}, "css": {}, "script": {}, "font": {}}
    queue = list(StaticReferences.of(html.decode()).items())
    while queue:
        url, kind = queue.pop()
        kind = {"stylesheet": "css", "style": "css"}.get(kind, kind)
        if kind == "icon" or url in weight.get(kind, {}):  # an icon is fetched once per site, not per page
            continue
        weight.setdefault(kind, {})[url] = transferred(client, url)
        if kind == "css":
            for reference in css_references(url, fetch(client, url).body.decode()):
                if reference.endswith(FONT_EXTENSIONS):
                    queue.append((reference, "font"))
                elif reference.endswith(".css"):
                    queue.append((reference, "stylesheet"))
    return weight


def report(weight):
    lines = [
        f"  {kind:6} {size / KB:7.1f} KB  {url}"
        for kind, sizes in weight.items()
        for url, size in sizes.items()
    ]
    return "\n".join(lines)


@pytest.fixture
def production_static(settings):
    return serve_static_as_in_production(settings)


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_seed_article_fits_the_transfer_budget_of_a_slow_phone(client, demo, production_static, language):
    with translation.override(language):
        path = ArticlePage.objects.get(title_en=SEED_TITLE).get_url()

    weight = page_weight(client, path)

    css = sum(weight["css"].values())
    total = sum(size for sizes in weight.values() for size in sizes.values())
    print(f"\n{path}: {total / KB:.1f} KB in all, {css / KB:.1f} KB of CSS\n{report(weight)}")
    assert weight["css"], f"{path} links no stylesheet: the test no longer follows the page"
    assert weight["font"], f"{path} names no font: the test no longer follows the page"
    assert css <= CSS_BUDGET, (
        f"CSS is {css / KB:.1f} KB, over its {CSS_BUDGET / KB:.0f} KB budget:\n{report(weight)}"
    )
    assert total <= PAGE_BUDGET, (
        f"{path} transfers {total / KB:.1f} KB, over the {PAGE_BUDGET / KB:.0f} KB budget:\n{report(weight)}"
    )

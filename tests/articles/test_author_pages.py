"""Author pages on the blog: who the author is, their live articles, and the links that lead there."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage, Author, BlogIndexPage
from tests.factories import ArticlePageFactory, AuthorFactory

SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def author_url(blog, author, language):
    with translation.override(language):
        return blog.get_author_url(author)


def titles(response):
    return [article.title for article in response.context["articles"]]


def graphs(response):
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return {graph["@type"]: graph for graph in map(json.loads, scripts)}


@pytest.fixture
def author(blog_page):
    return AuthorFactory(
        name="Dr. Kavya Raman",
        name_ta="டாக்டர் காவ்யா ராமன்",
        credentials="MBBS, DDVL",
        credentials_ta="எம்.பி.பி.எஸ்., டி.டி.வி.எல்.",
        role="Dermatologist",
        role_ta="தோல் மருத்துவர்",
        bio="Treats acne and pigmentation.",
        bio_ta="முகப்பரு, நிறமி பிரச்சினைகளுக்குச் சிகிச்சை அளிக்கிறார்.",
    )


@pytest.mark.parametrize(
    ("language", "name", "credentials", "role", "bio"),
    [
        ("en", "Dr. Kavya Raman", "MBBS, DDVL", "Dermatologist", "Treats acne and pigmentation."),
        (
            "ta",
            "டாக்டர் காவ்யா ராமன்",
            "எம்.பி.பி.எஸ்., டி.டி.வி.எல்.",
            "தோல் மருத்துவர்",
            "முகப்பரு, நிறமி பிரச்சினைகளுக்குச் சிகிச்சை அளிக்கிறார்.",
        ),
    ],
)
def test_the_author_page_shows_who_they_are_in_each_language(
    client, blog_page, author, language, name, credentials, role, bio
):
    ArticlePageFactory(parent=blog_page, title="Acne myths", title_ta="முகப்பரு கட்டுக்கதைகள்", authors=[author])

    response = client.get(author_url(blog_page, author, language))
    html = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert f"<h1>{name}</h1>" in html
    assert credentials in html and role in html and bio in html
    assert "not been translated" not in html and "மொழிபெயர்க்கப்படவில்லை" not in html
    assert titles(response) == ["Acne myths" if language == "en" else "முகப்பரு கட்டுக்கதைகள்"]
    assert f"<title>{name}" in html


def test_the_urls_follow_the_blogs_slug_in_each_language(demo):
    blog = BlogIndexPage.objects.get()
    author = Author.objects.get(slug="janani-palanivel")

    assert author_url(blog, author, "en") == "/en/blog/authors/janani-palanivel/"
    assert author_url(blog, author, "ta") == "/ta/vlaipptivu/authors/janani-palanivel/"


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_demo_author_page_answers_in_both_languages(client, demo, language):
    blog = BlogIndexPage.objects.get()
    response = client.get(author_url(blog, Author.objects.get(slug="janani-palanivel"), language))

    assert response.status_code == 200
    assert len(response.context["articles"]) == ArticlePage.objects.live().count()


def test_an_untranslated_bio_is_shown_in_english_marked_as_english(client, blog_page):
    author = AuthorFactory(name="Dr. Meera Iyer", bio="Specialises in hair loss.")

    html = client.get(author_url(blog_page, author, "ta")).content.decode()

    assert '<div class="author-profile__bio" lang="en">' in html
    assert "Specialises in hair loss." in html
    assert 'lang="en">Dr. Meera Iyer</h1>' in html
    assert 'class="wrap notice"' in html


@pytest.mark.parametrize("slug", ["nobody", "dr-nobody-at-all"])
def test_an_unknown_author_is_a_404(client, blog_page, slug):
    assert client.get(f"{url_in(blog_page, 'en')}authors/{slug}/").status_code == 404
    assert client.get(f"{url_in(blog_page, 'ta')}authors/{slug}/").status_code == 404


def test_only_the_authors_live_public_articles_are_listed(client, blog_page, author):
    ArticlePageFactory(parent=blog_page, title="Published", authors=[author])
    ArticlePageFactory(parent=blog_page, title="Draft", authors=[author], live=False)
    private = ArticlePageFactory(parent=blog_page, title="Private", authors=[author])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    ArticlePageFactory(parent=blog_page, title="Someone else's")
    ArticlePageFactory(parent=blog_page, title="Written together", authors=[AuthorFactory(), author])

    response = client.get(author_url(blog_page, author, "en"))
    html = response.content.decode()

    assert sorted(titles(response)) == ["Published", "Written together"]
    assert "Draft" not in html and "Private" not in html and "Someone else" not in html


def test_articles_are_paginated_like_the_blog(client, blog_page, author, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(3):
        ArticlePageFactory(parent=blog_page, title=f"Article {n}", authors=[author])
    url = author_url(blog_page, author, "en")

    first, second = client.get(url), client.get(url, {"page": 2})

    assert titles(first) == ["Article 2", "Article 1"] and titles(second) == ["Article 0"]
    assert "Page 1 of 2" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert client.get(url, {"page": "junk"}).context["articles"].number == 1


def test_an_author_without_articles_has_a_page_saying_so(client, blog_page, author):
    response = client.get(author_url(blog_page, author, "en"))
    assert response.status_code == 200
    assert "No articles yet." in response.content.decode()


def test_the_query_count_does_not_grow_with_the_number_of_articles(
    client, blog_page, author, django_assert_max_num_queries
):
    def render(url):
        caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()  # not the public cache's copy: a fresh render
        return client.get(url).content.decode()

    ArticlePageFactory.create_batch(2, parent=blog_page, authors=[author])
    url = author_url(blog_page, author, "en")
    render(url)  # warms Wagtail's site-root cache
    with django_assert_max_num_queries(30) as few:
        assert render(url).count('<article class="card">') == 2
    ArticlePageFactory.create_batch(6, parent=blog_page, authors=[author, AuthorFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert render(url).count('<article class="card">') == 8


@pytest.mark.parametrize("language", ["en", "ta"])
def test_canonical_and_hreflang_links_point_at_the_author_page(client, blog_page, author, language):
    html = client.get(author_url(blog_page, author, language)).content.decode()
    english = f"http://testserver{author_url(blog_page, author, 'en')}"
    tamil = f"http://testserver{author_url(blog_page, author, 'ta')}"

    assert f'<link rel="canonical" href="{english if language == "en" else tamil}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{english}">' in html
    assert f'<link rel="alternate" hreflang="ta" href="{tamil}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{english}">' in html
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert f'href="{author_url(blog_page, author, "ta")}"' in switcher


def test_json_ld_describes_the_author_as_a_person_on_a_profile_page(client, blog_page, author):
    url = author_url(blog_page, author, "ta")
    found = graphs(client.get(url))

    profile = found["ProfilePage"]
    assert profile["url"] == f"http://testserver{url}"
    assert profile["inLanguage"] == "ta"
    assert profile["mainEntity"] == {
        "@type": "Person",
        "name": "டாக்டர் காவ்யா ராமன்",
        "jobTitle": "தோல் மருத்துவர்",
        "honorificSuffix": "எம்.பி.பி.எஸ்., டி.டி.வி.எல்.",
        "url": f"http://testserver{url}",
        "description": "முகப்பரு, நிறமி பிரச்சினைகளுக்குச் சிகிச்சை அளிக்கிறார்.",
    }
    crumbs = found["BreadcrumbList"]["itemListElement"]
    assert crumbs[-1] == {"@type": "ListItem", "position": 3, "name": "டாக்டர் காவ்யா ராமன்", "item": profile["url"]}


def test_open_graph_describes_the_author(client, blog_page, author):
    html = client.get(author_url(blog_page, author, "en")).content.decode()
    assert '<meta property="og:type" content="profile">' in html
    assert '<meta property="og:title" content="Dr. Kavya Raman">' in html


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_article_byline_links_each_author_to_their_page(client, blog_page, author, language):
    other = AuthorFactory(name="Dr. Arun Kumar")
    article = ArticlePageFactory(parent=blog_page, authors=[author, other])

    html = client.get(url_in(article, language)).content.decode()
    byline = html.split('class="article__byline"')[1].split("</p>")[0]

    name = "Dr. Kavya Raman" if language == "en" else "டாக்டர் காவ்யா ராமன்"
    assert f'<a href="{author_url(blog_page, author, language)}">{escape(name)}</a>' in byline
    # Dr. Arun Kumar has no Tamil name: the English one is linked and marked as English.
    lang = ' lang="en"' if language == "ta" else ""
    assert f'<a href="{author_url(blog_page, other, language)}"{lang}>Dr. Arun Kumar</a>' in byline


def test_the_article_json_ld_links_its_authors_and_reviewer_to_their_pages(client, blog_page, author):
    article = ArticlePageFactory(parent=blog_page, authors=[author])
    article.reviewed_by = author
    article.last_reviewed = article.date
    article.save_revision().publish()
    url = f"http://testserver{author_url(blog_page, author, 'ta')}"

    posting = graphs(client.get(url_in(article, "ta")))["BlogPosting"]

    assert posting["author"][0]["url"] == url
    assert posting["mainEntityOfPage"]["reviewedBy"]["url"] == url


def sitemap_entries(client):
    root = ET.fromstring(client.get("/sitemap-pages.xml").content)  # a small site's one section
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_the_sitemap_lists_author_pages_in_both_languages_with_alternates(client, demo):
    blog = BlogIndexPage.objects.get()
    janani = Author.objects.get(slug="janani-palanivel")
    english = f"http://testserver{author_url(blog, janani, 'en')}"
    tamil = f"http://testserver{author_url(blog, janani, 'ta')}"
    blog_en, blog_ta = f"http://testserver{url_in(blog, 'en')}", f"http://testserver{url_in(blog, 'ta')}"

    entries = sitemap_entries(client)

    assert entries[english] == entries[tamil] == {"en": english, "ta": tamil, "x-default": english}
    # The blog keeps its own alternates.
    assert entries[blog_en] == entries[blog_ta] == {"en": blog_en, "ta": blog_ta, "x-default": blog_en}


def test_the_sitemap_leaves_out_authors_without_live_articles(client, blog_page, author):
    ArticlePageFactory(parent=blog_page, authors=[author], live=False)
    assert "/authors/" not in client.get("/sitemap-pages.xml").content.decode()

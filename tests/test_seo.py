"""What search engines, feed readers and link previews read: JSON-LD, Open Graph, sitemap, feeds, robots."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.utils import translation
from wagtail.models import Page

from articles.models import ArticlePage, Author, BlogIndexPage
from tests.factories import ArticlePageFactory
from tests.public_cache import read_fresh_then_cached, read_twice

SEED_SLUG = "is-micro-needling-effective-for-reducing-skin-pores"
SEED_URL = f"/en/blog/{SEED_SLUG}/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


class HeadParser(HTMLParser):
    """The <meta>, <link> and JSON-LD <script> elements of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld = {}, [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def graphs_of(client, url):
    """The page's JSON-LD graphs by @type (each script must parse on its own)."""
    return {graph["@type"]: graph for graph in map(json.loads, head_of(client, url).json_ld)}


def tamil_url(page):
    with translation.override("ta"):
        return page.specific.url


def seed_article():
    return ArticlePage.objects.get(slug_en=SEED_SLUG)


@pytest.mark.parametrize("url", ["/en/", "/ta/", SEED_URL])
def test_every_page_describes_the_clinic_with_its_weekly_hours(client, demo, url):
    clinic = graphs_of(client, url)["MedicalClinic"]

    assert clinic["medicalSpecialty"] == "Dermatology"
    assert clinic["telephone"] == "+91 44 4000 1234"
    assert clinic["email"] == "appointments@skinclinic.example"
    assert "Chennai 600017" in clinic["address"] or "சென்னை 600017" in clinic["address"]
    assert clinic["hasMap"].startswith("https://www.openstreetmap.org/")
    monday = [
        (spec["opens"], spec["closes"])
        for spec in clinic["openingHoursSpecification"]
        if spec["dayOfWeek"] == "https://schema.org/Monday"
    ]
    assert monday == [("10:00", "13:00"), ("16:00", "19:00")]
    days = {spec["dayOfWeek"] for spec in clinic["openingHoursSpecification"]}
    assert "https://schema.org/Sunday" not in days
    assert len(days) == 6


def test_the_clinic_is_named_in_the_pages_language(client, demo):
    assert graphs_of(client, "/en/")["MedicalClinic"]["name"] == "Dr. Janani's Skin Clinic"
    tamil = graphs_of(client, "/ta/")["MedicalClinic"]
    assert tamil["name"] == "டாக்டர் ஜனனியின் தோல் கிளினிக்"
    assert tamil["url"] == "http://testserver/ta/"


def test_home_has_no_breadcrumbs_and_no_article(client, demo):
    assert set(graphs_of(client, "/en/")) == {"MedicalClinic"}


def test_the_seed_article_is_described_in_english(client, demo):
    posting = graphs_of(client, SEED_URL)["BlogPosting"]

    assert posting["headline"] == "Is Micro-Needling Effective for Reducing Skin Pores?"
    assert posting["description"].startswith("Enlarged pores make skin look uneven.")
    assert posting["inLanguage"] == "en"
    assert posting["datePublished"] == "2022-08-04"
    assert posting["dateModified"].startswith(seed_article().last_published_at.date().isoformat())
    [author] = posting["author"]
    assert author == {
        "@type": "Person",
        "name": "Dr. Janani Palanivel",
        "jobTitle": author["jobTitle"],
        "honorificSuffix": "MBBS, MD (Dermatology)",
        "url": "http://testserver/en/blog/authors/janani-palanivel/",
    }
    assert posting["image"].startswith("http://testserver/media/images/")
    assert posting["publisher"]["@type"] == "MedicalClinic"
    assert posting["mainEntityOfPage"]["@id"] == f"http://testserver{SEED_URL}"


def test_the_seed_article_is_described_in_tamil_on_its_tamil_page(client, demo):
    url = tamil_url(seed_article())
    posting = graphs_of(client, url)["BlogPosting"]

    assert posting["inLanguage"] == "ta"
    assert posting["headline"] == "மைக்ரோ-நீட்லிங் சருமத் துளைகளைக் குறைக்க உதவுமா?"
    assert posting["author"][0]["name"] == "டாக்டர் ஜனனி பழனிவேல்"
    assert posting["url"] == f"http://testserver{url}"


def test_the_medical_review_is_described_when_given(client, demo):
    article = seed_article()
    article.reviewed_by = article.authors[0]
    article.last_reviewed = article.date.replace(year=2024)
    article.save_revision().publish()

    page = graphs_of(client, SEED_URL)["BlogPosting"]["mainEntityOfPage"]

    assert page["@type"] == "MedicalWebPage"
    assert page["reviewedBy"]["name"] == "Dr. Janani Palanivel"
    assert page["lastReviewed"] == "2024-08-04"


def test_an_article_without_review_or_image_leaves_them_out(client, blog_page):
    article = ArticlePageFactory(parent=blog_page)

    posting = graphs_of(client, article.url)["BlogPosting"]

    assert "image" not in posting
    assert "reviewedBy" not in posting["mainEntityOfPage"]


@pytest.mark.parametrize("language", ["en", "ta"])
def test_article_breadcrumbs_lead_from_home_through_the_blog_in_the_pages_language(client, demo, language):
    article = seed_article()
    with translation.override(language):
        url = article.url
        expected = [
            (page.title, f"http://testserver{page.url}")
            for page in [Page.objects.get(depth=2).specific, BlogIndexPage.objects.get(), article]
        ]

    crumbs = graphs_of(client, url)["BreadcrumbList"]["itemListElement"]

    assert [(crumb["name"], crumb["item"]) for crumb in crumbs] == expected
    assert [crumb["position"] for crumb in crumbs] == [1, 2, 3]


def test_a_closing_script_tag_in_an_intro_cannot_break_out_of_the_json_ld(client, blog_page):
    intro = 'Sun </script><script>alert("x")</script> & <!-- skin'
    article = ArticlePageFactory(parent=blog_page, intro=intro)

    html = client.get(article.url).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)

    assert "<script>alert" not in html.split("<body")[0]
    assert json.loads(scripts[1])["description"] == intro


@pytest.mark.parametrize("language", ["en", "ta"])
def test_open_graph_of_the_seed_article(client, demo, language):
    with translation.override(language):
        url = seed_article().url
    head = head_of(client, url)

    [canonical] = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert head.meta["og:url"] == [canonical]
    assert canonical == f"http://testserver{url}"
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:locale"] == [{"en": "en_IN", "ta": "ta_IN"}[language]]
    assert head.meta["og:locale:alternate"] == [{"en": "ta_IN", "ta": "en_IN"}[language]]
    assert head.meta["og:image"][0].startswith("http://testserver/media/images/")
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["og:site_name"][0] in ("Dr. Janani's Skin Clinic", "டாக்டர் ஜனனியின் தோல் கிளினிக்")
    assert head.meta["og:description"][0]


def test_open_graph_titles_are_in_the_pages_language(client, demo):
    article = seed_article()
    assert head_of(client, SEED_URL).meta["og:title"] == [article.title_en]
    assert head_of(client, tamil_url(article)).meta["og:title"] == [article.title_ta]


def test_a_page_without_an_image_is_a_plain_website_summary(client, demo):
    head = head_of(client, "/en/")

    assert head.meta["og:type"] == ["website"]
    assert head.meta["twitter:card"] == ["summary"]
    assert "og:image" not in head.meta
    assert head.meta["og:url"] == ["http://testserver/en/"]


@pytest.mark.parametrize(
    ("page_url", "feed_url"), [("/en/", "/en/blog/feed/"), ("/ta/", "/ta/vlaipptivu/feed/")]
)
def test_every_page_links_to_the_feed_in_its_language(client, demo, page_url, feed_url):
    links = head_of(client, page_url).links
    feeds = [link["href"] for link in links if link.get("type") == "application/rss+xml"]
    assert feeds == [f"http://testserver{feed_url}"]


def sitemap_sections(client):
    """The sections /sitemap.xml (a sitemap index) lists, each parsed."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"].startswith("application/xml")
    sections = []
    for location in ET.fromstring(index.content).findall("s:sitemap/s:loc", SITEMAP_NS):
        response = client.get(location.text.removeprefix("http://testserver"))
        assert response.status_code == 200, location.text
        assert response["Content-Type"].startswith("application/xml")
        sections.append(ET.fromstring(response.content))
    return sections


def sitemap_entries(client):
    """{URL: {hreflang: alternate URL}} of every URL in the sitemap's sections."""
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
        }
        for section in sitemap_sections(client)
        for url in section.findall("s:url", SITEMAP_NS)
    }


def test_the_sitemap_lists_every_live_page_in_both_languages_with_alternates(client, demo):
    entries = sitemap_entries(client)
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    expected = {}
    for page in pages:
        with translation.override("en"):
            en = f"http://testserver{page.url}"
        with translation.override("ta"):
            ta = f"http://testserver{page.url}"
        expected[en] = expected[ta] = {"en": en, "ta": ta, "x-default": en}
    # Each blog also lists the pages of the authors of its live articles.
    for blog in BlogIndexPage.objects.live():
        for author in Author.objects.filter(article_links__page__live=True).distinct():
            with translation.override("en"):
                en = f"http://testserver{blog.get_author_url(author)}"
            with translation.override("ta"):
                ta = f"http://testserver{blog.get_author_url(author)}"
            expected[en] = expected[ta] = {"en": en, "ta": ta, "x-default": en}
    assert entries == expected
    assert "http://testserver/ta/vlaipptivu/" in entries
    assert "http://testserver/ta/vlaipptivu/authors/janani-palanivel/" in entries


def test_the_sitemap_leaves_out_drafts(client, demo):
    seed_article().unpublish()

    assert not any(SEED_SLUG in url for url in sitemap_entries(client))


def test_the_sitemap_is_split_into_sections_of_a_bounded_number_of_urls(client, demo, monkeypatch):
    monkeypatch.setattr("cms.sitemaps.MAX_URLS_PER_SECTION", 6)
    monkeypatch.setattr("cms.sitemaps.RESERVED_URLS", 2)  # the blog's author page, in two languages
    every_url = sitemap_entries(client)

    sections = sitemap_sections(client)

    assert len(sections) > 1
    assert all(len(section.findall("s:url", SITEMAP_NS)) <= 6 for section in sections)
    assert len(every_url) == sum(len(section.findall("s:url", SITEMAP_NS)) for section in sections)


def test_a_cached_sitemap_section_shows_an_article_as_soon_as_it_is_published(
    client, demo, django_capture_on_commit_callbacks
):
    article = seed_article()
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    for url in ["/sitemap.xml", "/sitemap-pages.xml"]:
        assert SEED_SLUG not in read_twice(client, url).content.decode()  # now in the public cache

    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()

    assert SEED_SLUG in read_fresh_then_cached(client, "/sitemap-pages.xml").content.decode()
    read_fresh_then_cached(client, "/sitemap.xml")  # its date of the newest page, too


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-pages.xml", "/robots.txt"])
def test_sitemap_and_robots_are_not_redirected_into_a_language(client, demo, path):
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="ta").status_code == 200


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, demo):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "User-agent: *" in lines


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def test_the_english_feed_lists_the_seed_article_in_english(client, demo):
    channel = parse_feed(client, "/en/blog/feed/")
    items = {item.findtext("title"): item for item in channel.findall("item")}

    seed = items["Is Micro-Needling Effective for Reducing Skin Pores?"]
    assert seed.findtext("link") == f"http://testserver{SEED_URL}"
    assert seed.findtext("description").startswith("Enlarged pores make skin look uneven.")
    assert seed.findtext("pubDate").startswith("Thu, 04 Aug 2022")
    assert seed.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Dr. Janani Palanivel"
    assert channel.findtext("language") == "en"
    assert channel.findtext("link") == "http://testserver/en/blog/"


def test_the_tamil_feed_lists_the_seed_article_in_tamil_with_tamil_links(client, demo):
    article = seed_article()
    channel = parse_feed(client, "/ta/vlaipptivu/feed/")
    items = {item.findtext("title"): item for item in channel.findall("item")}

    seed = items["மைக்ரோ-நீட்லிங் சருமத் துளைகளைக் குறைக்க உதவுமா?"]
    assert seed.findtext("link") == f"http://testserver{tamil_url(article)}"
    assert seed.findtext("{http://purl.org/dc/elements/1.1/}creator") == "டாக்டர் ஜனனி பழனிவேல்"
    assert channel.findtext("language") == "ta"
    assert all(item.findtext("link").startswith("http://testserver/ta/") for item in channel.findall("item"))


def test_the_feed_leaves_out_drafts_and_lists_newest_first(client, demo):
    seed_article().unpublish()

    channel = parse_feed(client, "/en/blog/feed/")
    titles = [item.findtext("title") for item in channel.findall("item")]

    assert "Is Micro-Needling Effective for Reducing Skin Pores?" not in titles
    assert titles[0] == "Choosing a Sunscreen for Indian Summers"


def test_the_feed_does_not_run_a_query_per_article(
    client, blog_page, django_assert_max_num_queries, forget_cached_pages
):
    ArticlePageFactory.create_batch(3, parent=blog_page)
    client.get("/en/blog/feed/")  # warms Wagtail's site-root cache
    forget_cached_pages()
    with django_assert_max_num_queries(13) as few:  # 13: one asks when the next page expires
        client.get("/en/blog/feed/")
    assert len(few.captured_queries) > 3, "the feed came from the page cache, not the view"
    ArticlePageFactory.create_batch(6, parent=blog_page)
    forget_cached_pages()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/en/blog/feed/").status_code == 200

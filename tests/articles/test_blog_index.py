"""The blog index: live articles newest first, 10 a page, filters, and forgiving page numbers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from articles.models import ArticlePage, BlogIndexPage
from tests.factories import ArticleCategoryFactory, ArticlePageFactory


def titles(response):
    return [article.title for article in response.context["articles"]]


@pytest.fixture
def twelve_articles(blog_page):
    return [
        ArticlePageFactory(
            parent=blog_page,
            title=f"Article {n:02d}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(12)
    ]


def test_lists_live_articles_newest_first_ten_per_page(client, blog_page, twelve_articles):
    response = client.get(blog_page.url)

    assert response.status_code == 200
    assert titles(response) == [f"Article {n:02d}" for n in range(11, 1, -1)]
    assert "Page 1 of 2" in response.content.decode()


def test_second_page_holds_the_oldest_articles(client, blog_page, twelve_articles):
    response = client.get(blog_page.url, {"page": 2})
    assert titles(response) == ["Article 01", "Article 00"]


def test_every_page_follows_the_newest_first_order_even_among_articles_of_one_day(client, blog_page):
    for n in range(25):  # five a day: the pk (the later written first) orders those of a day
        ArticlePageFactory(
            parent=blog_page,
            title=f"Article {n:02d}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(n // 5),
        )
    everything = [article.title for article in blog_page.specific.articles()]

    pages = [titles(client.get(blog_page.url, {"page": number})) for number in (1, 2, 3)]

    assert [len(page) for page in pages] == [10, 10, 5]
    assert sum(pages, []) == everything
    assert everything[0] == "Article 24"


def test_the_last_page_is_read_from_the_end_rather_than_after_skipping_the_others(client, blog_page):
    for n in range(25):
        ArticlePageFactory(parent=blog_page, title=f"Article {n:02d}")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(blog_page.url, {"page": 3})

    assert titles(response) == [f"Article {n:02d}" for n in range(4, -1, -1)]
    card_queries = [query["sql"] for query in queries if "intro" in query["sql"] and "LIMIT" in query["sql"]]
    assert card_queries
    assert not any("OFFSET" in sql for sql in card_queries)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's depends on its statistics"
)
@pytest.mark.parametrize("listing", [{}, {"category": "acne-care"}, {"tag": "pores"}])
def test_a_page_of_the_blog_is_read_in_index_order_at_either_end_not_sorted(client, blog_page, listing):
    """
    The last page costs what the first does (issue #15): either is read from the listing's index,
    forwards or backwards, and the database never sorts every article to find ten.
    """
    acne = ArticleCategoryFactory(slug="acne-care")
    for n in range(25):
        ArticlePageFactory(parent=blog_page, category=acne, tags=["pores"], title=f"Article {n:02d}")

    for page, shown in ((1, range(24, 14, -1)), (3, range(4, -1, -1))):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(blog_page.url, {**listing, "page": page})
        assert titles(response) == [f"Article {n:02d}" for n in shown]
        [card_query] = [
            query["sql"] for query in queries if 'ORDER BY "articles_articlepage"."date"' in query["sql"]
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {card_query}")
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        assert "USING INDEX article_" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    ("asked", "shown"), [("99", 2), ("0", 2), ("-3", 2), ("abc", 1), ("", 1), ("2.5", 1)]
)
def test_a_page_number_out_of_range_shows_the_last_page_and_one_not_a_number_the_first(
    client, blog_page, twelve_articles, asked, shown
):
    response = client.get(blog_page.url, {"page": asked})

    assert response.status_code == 200
    assert response.context["articles"].number == shown


def test_drafts_are_not_listed(client, blog_page):
    ArticlePageFactory(parent=blog_page, title="Published piece")
    ArticlePageFactory(parent=blog_page, title="Unfinished draft", live=False)

    response = client.get(blog_page.url)

    assert titles(response) == ["Published piece"]
    assert "Unfinished draft" not in response.content.decode()


def test_category_filter_shows_only_that_category(client, blog_page):
    acne = ArticleCategoryFactory(name="Acne care", slug="acne-care")
    ArticlePageFactory(parent=blog_page, title="Five habits", category=acne)
    ArticlePageFactory(parent=blog_page, title="Sunscreen basics")

    response = client.get(blog_page.url, {"category": "acne-care"})

    assert titles(response) == ["Five habits"]
    assert response.context["active_category"] == acne


def test_unknown_category_shows_an_empty_list_not_an_error(client, blog_page):
    ArticlePageFactory(parent=blog_page)

    response = client.get(blog_page.url, {"category": "no-such-thing"})

    assert response.status_code == 200
    assert titles(response) == []
    assert "No articles match this filter." in response.content.decode()


def test_tag_filter_shows_only_tagged_articles(client, blog_page):
    ArticlePageFactory(parent=blog_page, title="About pores", tags=["pores"])
    ArticlePageFactory(parent=blog_page, title="About hair", tags=["hair-fall"])

    response = client.get(blog_page.url, {"tag": "pores"})

    assert titles(response) == ["About pores"]


def test_pagination_links_keep_the_filter(client, blog_page):
    acne = ArticleCategoryFactory(slug="acne-care")
    for _ in range(11):
        ArticlePageFactory(parent=blog_page, category=acne)

    response = client.get(blog_page.url, {"category": "acne-care"})

    assert "?category=acne-care&amp;page=2" in response.content.decode()


def test_query_count_does_not_grow_with_the_number_of_articles(client, blog_page, forget_cached_pages):
    def queries_for_listing():
        forget_cached_pages()  # measure the view, not the page cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(blog_page.url).status_code == 200
        return len(queries)

    ArticlePageFactory.create_batch(2, parent=blog_page)
    client.get(blog_page.url)  # warm per-process caches (site root, content types)
    few = queries_for_listing()
    ArticlePageFactory.create_batch(8, parent=blog_page)
    many = queries_for_listing()

    assert many == few
    assert few > 5, "the listing came from the page cache, not the view"


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return [query["sql"] for query in queries if "COUNT(" in query["sql"]]


def test_the_articles_are_counted_once_for_every_page_and_language(
    client, blog_page, twelve_articles, forget_cached_pages
):
    # At 10,000 articles counting them is a third of the listing's time; a page of cards is not.
    english, tamil = blog_page.url, blog_page.url.replace("/en/", "/ta/", 1)
    forget_cached_pages()
    assert len(count_queries(client, english)) == 1
    assert count_queries(client, english, page=2) == []
    assert count_queries(client, tamil) == []
    assert len(count_queries(client, english, category="acne-care")) == 1  # another listing


def test_the_count_follows_a_change_at_once(
    client, blog_page, twelve_articles, django_capture_on_commit_callbacks
):
    pages_nav = '<nav class="pagination"'
    urls = (blog_page.url, blog_page.url.replace("/en/", "/ta/", 1))
    for url in urls:
        assert pages_nav in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for article in twelve_articles[:2]:
            article.unpublish()  # ten left: one page

    for url in urls:
        response = client.get(url)
        assert titles(response) == [f"Article {n:02d}" for n in range(11, 1, -1)]
        assert pages_nav not in response.content.decode()


def test_counting_on_the_page_table_counts_what_the_listing_lists(client, blog_page, home_page):
    now = timezone.now()
    ArticlePageFactory.create_batch(3, parent=blog_page)
    ArticlePageFactory(parent=blog_page, live=False)  # a draft
    ArticlePageFactory(parent=blog_page, expire_at=now - datetime.timedelta(hours=1))  # expired
    ArticlePageFactory(parent=blog_page, go_live_at=now + datetime.timedelta(hours=1))  # not yet
    private = ArticlePageFactory(parent=blog_page)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    other_blog = BlogIndexPage(title="Other blog", slug="other-blog")
    home_page.add_child(instance=other_blog)
    ArticlePageFactory.create_batch(2, parent=other_blog)
    site = Site.objects.get(is_default_site=True)

    listed = ArticlePage.objects.for_listing()
    assert ArticlePage.objects.count_listed(under=blog_page) == listed.descendant_of(blog_page).count() == 3
    assert ArticlePage.objects.count_listed(under=other_blog) == 2
    assert ArticlePage.objects.count_listed(site=site) == listed.in_site(site).count() == 5

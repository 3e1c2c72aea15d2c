"""The articles template tags other pages use: the home page's newest cards and its link to the blog."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import ArticlePageFactory, AuthorFactory


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.mark.parametrize("language", ["en", "ta"])
def test_the_home_page_shows_the_three_newest_articles_and_links_the_blog(
    client, home_page, blog_page, language
):
    for day in range(1, 5):
        ArticlePageFactory(parent=blog_page, title=f"Day {day}", date=datetime.date(2024, 5, day))
    ArticlePageFactory(parent=blog_page, title="Unpublished", date=datetime.date(2024, 6, 1), live=False)

    html = client.get(url_in(home_page, language)).content.decode()

    shown = [title for title in ("Day 4", "Day 3", "Day 2", "Day 1") if f">{title}</a>" in html]
    assert shown == ["Day 4", "Day 3", "Day 2"]
    assert html.index("Day 4") < html.index("Day 3") < html.index("Day 2")
    assert "Unpublished" not in html
    assert f'<a href="{url_in(blog_page, language)}">' in html


def test_the_home_page_queries_do_not_grow_with_its_cards(client, blog_page, home_page, forget_cached_pages):
    def queries_to_show_home():
        forget_cached_pages()  # measure the view, not the page cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_in(home_page, "en")).status_code == 200
        return len(queries)

    ArticlePageFactory(parent=blog_page, authors=[AuthorFactory(), AuthorFactory()], tags=["acne"])
    client.get(url_in(home_page, "en"))  # warm per-process caches (site root, content types)
    one = queries_to_show_home()
    ArticlePageFactory.create_batch(3, parent=blog_page, authors=[AuthorFactory(), AuthorFactory()])

    assert queries_to_show_home() == one


def test_a_home_page_without_a_blog_says_so_and_links_nowhere(client, home_page):
    html = client.get(url_in(home_page, "en")).content.decode()

    assert "No articles yet." in html
    assert "All articles" not in html

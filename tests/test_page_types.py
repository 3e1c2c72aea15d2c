"""Where each page type may live in the tree, and how each is shown."""

import re

import pytest
from wagtail.models import Page

from articles.models import ArticlePage, BlogIndexPage
from home.models import HomePage
from tests.factories import ArticlePageFactory


def test_home_is_only_created_at_the_root_and_only_once(home_page):
    root = Page.get_first_root_node()
    assert HomePage.allowed_parent_page_models() == [Page]
    assert HomePage.can_create_at(root) is False  # max_count = 1 and one exists
    assert HomePage.can_create_at(home_page) is False


def test_blog_index_lives_only_under_home(home_page, blog_page):
    assert BlogIndexPage.allowed_parent_page_models() == [HomePage]
    assert BlogIndexPage.can_create_at(home_page) is True
    assert BlogIndexPage.can_create_at(Page.get_first_root_node()) is False
    assert BlogIndexPage.can_create_at(blog_page) is False


def test_articles_live_only_under_the_blog_and_have_no_children(home_page, blog_page):
    article = ArticlePageFactory(parent=blog_page)
    assert ArticlePage.allowed_parent_page_models() == [BlogIndexPage]
    assert ArticlePage.can_create_at(blog_page) is True
    assert ArticlePage.can_create_at(home_page) is False
    assert article.specific_class.allowed_subpage_models() == []


@pytest.mark.parametrize("model", [HomePage, BlogIndexPage, ArticlePage])
def test_every_page_type_is_served_with_its_template(client, blog_page, model):
    ArticlePageFactory(parent=blog_page, title="Sunscreen basics")
    page = model.objects.get()

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert model.template in [template.name for template in response.templates]
    # Its own heading (the home page's is its hero heading), in the site's layout.
    heading = page.hero_heading if model is HomePage else page.title
    assert re.search(rf"<h1[^>]*>{re.escape(heading)}</h1>", html), heading
    assert 'class="site-header"' in html and 'class="site-footer"' in html

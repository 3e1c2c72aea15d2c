"""Where each page type may live in the tree."""

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
def test_every_page_type_has_its_template(model):
    from django.template.loader import get_template

    assert get_template(model.template)

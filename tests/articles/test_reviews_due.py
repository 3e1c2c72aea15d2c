"""The "Reviews due" report: live articles whose medical review is overdue, due within 30 days, or missing."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import ArticlePageFactory, AuthorFactory

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("articles.models.clinic_today", lambda: TODAY)


def reviewed(blog_page, title, due, **kwargs):
    return ArticlePageFactory(
        parent=blog_page,
        title=title,
        reviewed_by=AuthorFactory(),
        last_reviewed=due - datetime.timedelta(days=365),
        next_review_due=due,
        **kwargs,
    )


def report(admin_client, **filters):
    response = admin_client.get(reverse("reviews_due"), filters)
    assert response.status_code == 200
    return [(article.title, str(article.review_state_label)) for article in response.context["object_list"]]


def test_lists_overdue_due_soon_and_unreviewed_live_articles(admin_client, blog_page):
    reviewed(blog_page, "Overdue", TODAY - datetime.timedelta(days=1))
    reviewed(blog_page, "Due in 30 days", TODAY + datetime.timedelta(days=30))
    reviewed(blog_page, "Due in 31 days", TODAY + datetime.timedelta(days=31))
    reviewed(blog_page, "Overdue draft", TODAY - datetime.timedelta(days=1), live=False)
    ArticlePageFactory(parent=blog_page, title="Never reviewed")

    assert report(admin_client) == [
        ("Never reviewed", "Never reviewed"),
        ("Overdue", "Overdue"),
        ("Due in 30 days", "Due within 30 days"),
    ]
    assert report(admin_client, state="overdue") == [("Overdue", "Overdue")]
    assert report(admin_client, state="due_soon") == [("Due in 30 days", "Due within 30 days")]


def test_the_report_is_in_the_reports_menu(admin_client, db):
    assert reverse("reviews_due") in admin_client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_report_exports_as_csv(admin_client, blog_page):
    reviewed(blog_page, "Overdue", TODAY - datetime.timedelta(days=1))
    response = admin_client.get(reverse("reviews_due"), {"export": "csv"})
    content = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "Overdue" in content and "2026-03-09" in content

"""The API's medical review: who reviewed an article and when, when it is next due, and whether overdue."""

import datetime

import pytest

from tests.factories import ArticlePageFactory, AuthorFactory


@pytest.fixture
def reviewed(blog_page):
    return ArticlePageFactory(
        parent=blog_page,
        reviewed_by=AuthorFactory(name="Dr. Meena Raghavan"),
        last_reviewed=datetime.date(2024, 6, 1),
    )


def detail(client, article, **params):
    response = client.get(f"/api/v3/articles/{article.pk}/", params)
    assert response.status_code == 200
    return response.json()


def test_the_detail_has_the_review_dates(client, reviewed):
    data = detail(client, reviewed)

    assert data["reviewed_by"]["name"] == "Dr. Meena Raghavan"
    assert data["last_reviewed"] == "2024-06-01"
    assert data["next_review_due"] == "2026-06-01"


def test_an_article_is_flagged_overdue_once_its_review_date_has_passed(client, reviewed, monkeypatch):
    monkeypatch.setattr("articles.models.clinic_today", lambda: datetime.date(2026, 6, 1))
    assert detail(client, reviewed)["review_overdue"] is False

    monkeypatch.setattr("articles.models.clinic_today", lambda: datetime.date(2026, 6, 2))
    assert detail(client, reviewed, lang="ta")["review_overdue"] is True


def test_an_unreviewed_article_is_not_overdue(client, blog_page):
    data = detail(client, ArticlePageFactory(parent=blog_page))
    assert data["reviewed_by"] is None and data["next_review_due"] is None
    assert data["review_overdue"] is False


def test_the_openapi_document_describes_the_review_and_freshness(client, db):
    schemas = client.get("/api/v3/openapi.json").json()["components"]["schemas"]
    assert {"next_review_due", "review_overdue"} <= set(schemas["ArticleDetail"]["properties"])
    assert "translation_stale" in schemas["ArticleMeta"]["properties"]

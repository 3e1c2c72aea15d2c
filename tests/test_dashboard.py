"""The admin dashboard's "Needs attention" panel: each person sees what waits for them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticlePage
from consultations.models import ConsultationRequest
from tests.factories import ArticlePageFactory, AuthorFactory, ConsultationRequestFactory, member


def needs_attention(client, user):
    """{label: (count, [entry titles])} of the panel the user sees, and the dashboard's HTML."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    panels = [panel for panel in response.context["panels"] if panel.name == "needs_attention"]
    items = {
        str(item.label): (item.count, [entry.title for entry in item.entries])
        for panel in panels
        for item in panel.items
    }
    return items, response.content.decode()


@pytest.fixture
def editorial_queue(blog_page, monkeypatch):
    """One article of each kind the panel counts, and the editor who submitted one."""
    editor = member("editor", "Editors")
    monkeypatch.setattr("articles.models.clinic_today", lambda: datetime.date(2026, 3, 10))
    translated = {
        "title_ta": "தமிழ்",
        "intro_ta": "அறிமுகம்",
        "body_ta": [{"type": "paragraph", "value": "<p>உரை</p>"}],
    }

    submitted = ArticlePageFactory(parent=blog_page, title="Submitted piece", live=False, **translated)
    submitted.save_revision(user=editor)
    submitted.get_workflow().start(submitted, editor)

    ArticlePageFactory(
        parent=blog_page,
        title="Overdue piece",
        reviewed_by=AuthorFactory(),
        last_reviewed=datetime.date(2024, 3, 1),
        **translated,
    )

    scheduled = ArticlePageFactory(parent=blog_page, title="Scheduled piece", live=False, **translated)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
    scheduled.save_revision().publish()

    ArticlePageFactory(parent=blog_page, title="English-only piece")
    return editor


def test_an_editor_sees_the_articles_waiting_for_review_translation_publishing_and_re_review(
    client, editorial_queue
):
    items, html = needs_attention(client, editorial_queue)

    assert items["Articles waiting for medical review"] == (1, ["Submitted piece"])
    assert items["Articles with missing or out-of-date Tamil"] == (1, ["English-only piece"])
    assert items["Scheduled articles"] == (1, ["Scheduled piece"])
    assert items["Articles overdue for medical review"] == (1, ["Overdue piece"])
    assert "New consultation requests" not in items
    assert "Needs attention" in html and "Submitted piece" in html


def test_a_stale_tamil_counts_as_needing_translation(client, editorial_queue):
    overdue = ArticlePage.objects.get(title="Overdue piece")
    overdue.body_en = [{"type": "paragraph", "value": "<p>New English.</p>"}]
    overdue.save_revision().publish()

    items, _html = needs_attention(client, editorial_queue)

    count, titles = items["Articles with missing or out-of-date Tamil"]
    assert count == 2 and "Overdue piece" in titles


def test_clinic_staff_see_only_the_new_consultation_requests(client, editorial_queue):
    staff = member("frontdesk", "Clinic staff")
    ConsultationRequestFactory()
    ConsultationRequestFactory()
    ConsultationRequestFactory(status=ConsultationRequest.Status.CONTACTED)

    items, html = needs_attention(client, staff)

    assert items == {"New consultation requests": (2, [])}
    assert "Submitted piece" not in html
    assert "/admin/consultation-requests/?status=new" in html

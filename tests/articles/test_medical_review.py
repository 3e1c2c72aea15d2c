"""
Medical review before publishing: editors submit, medical reviewers approve (which names them and
dates the review), clinic staff handle consultation requests only.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from wagtail.models import WorkflowState

from articles.models import ArticlePage
from tests.admin_forms import page_edit_data
from tests.factories import ArticlePageFactory, AuthorFactory, ConsultationRequestFactory, member

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def editor(blog_page):
    return member("editor", "Editors")


@pytest.fixture
def reviewer(blog_page):
    """A medical reviewer whose account is linked to her author profile."""
    user = member("reviewer", "Medical reviewers")
    AuthorFactory(name="Dr. Meena Raghavan", user=user)
    return user


@pytest.fixture
def staff(db):
    return member("frontdesk", "Clinic staff")


@pytest.fixture
def today(monkeypatch):
    """The clinic's clock, set to TODAY."""
    monkeypatch.setattr("articles.models.clinic_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def draft(blog_page):
    """An article an editor has written but nobody has published."""
    article = ArticlePageFactory(parent=blog_page, title="Sunscreen for oily skin", live=False)
    article.save_revision()
    return article


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def submit(client, user, article, **changes):
    """The editor's "Submit to Medical review", from the edit view."""
    client.force_login(user)
    data = page_edit_data(article, user, **changes, **{"action-submit": "Submit to Medical review"})
    response = client.post(edit_url(article), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def approve(client, user, article, **form):
    """The reviewer's "Approve" (from the dashboard or the page), posted as the admin's modal posts it."""
    client.force_login(user)
    task_state = WorkflowState.objects.get(object_id=str(article.pk), status="in_progress").current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "", **form})


# The groups --------------------------------------------------------------------------------------


def test_the_groups_exist_with_their_rights(db):
    editors = Group.objects.get(name="Editors")
    reviewers = Group.objects.get(name="Medical reviewers")
    staff = Group.objects.get(name="Clinic staff")

    def codenames(group):
        return set(group.permissions.values_list("codename", flat=True))

    assert {"add_author", "change_author", "add_articlecategory", "change_articlecategory"} <= codenames(
        editors
    )
    assert "record_medical_review" not in codenames(editors)
    assert "record_medical_review" in codenames(reviewers)
    assert codenames(staff) == {"access_admin", "view_consultationrequest", "change_consultationrequest"}
    assert not staff.page_permissions.exists()
    assert not Group.objects.filter(name="Moderators").exists()


def test_a_new_blog_gets_the_workflow_and_the_groups_rights(blog_page):
    assert blog_page.get_workflow().name == "Medical review"
    rights = {
        (permission.group.name, permission.permission.codename)
        for permission in blog_page.group_permissions.all()
    }
    assert rights == {
        ("Editors", "add_page"),
        ("Editors", "change_page"),
        ("Medical reviewers", "change_page"),
        ("Medical reviewers", "publish_page"),
    }


def test_the_demo_blog_is_under_medical_review(demo):
    article = ArticlePage.objects.get(slug="is-micro-needling-effective-for-reducing-skin-pores")
    assert article.get_workflow().name == "Medical review"


# Editors -----------------------------------------------------------------------------------------


def test_an_editor_is_offered_submit_but_not_publish(client, editor, draft):
    client.force_login(editor)
    html = client.get(edit_url(draft)).content.decode()

    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_an_editors_publish_request_is_only_saved_as_a_draft(client, editor, draft):
    client.force_login(editor)
    data = page_edit_data(draft, editor, title_en="Sunscreen, revised", **{"action-publish": "Publish"})

    response = client.post(edit_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert draft.get_latest_revision_as_object().title == "Sunscreen, revised"
    assert client.post(reverse("wagtailadmin_pages:unpublish", args=[draft.pk])).status_code in (302, 403)


def test_an_editor_cannot_edit_other_pages_or_see_the_review_fields(client, editor, draft, home_page):
    client.force_login(editor)
    assert client.get(edit_url(home_page)).status_code in (302, 403)
    html = client.get(edit_url(draft)).content.decode()
    assert 'name="last_reviewed"' not in html and 'name="reviewed_by"' not in html
    assert 'name="translation_current_ta"' in html


def test_an_editor_adds_authors_and_categories(client, editor):
    client.force_login(editor)
    assert client.get(reverse("wagtailsnippets_articles_author:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_articles_articlecategory:add")).status_code == 200
    assert client.get(reverse("consultation_requests:index")).status_code in (302, 403)


# Clinic staff ------------------------------------------------------------------------------------


def test_clinic_staff_see_consultation_requests_but_no_content(client, staff, draft):
    ConsultationRequestFactory(name="Kavya Raman")
    client.force_login(staff)

    requests_page = client.get(reverse("consultation_requests:index"))
    assert requests_page.status_code == 200 and "Kavya Raman" in requests_page.content.decode()
    for url in (
        edit_url(draft),
        reverse("wagtailadmin_pages:add", args=["articles", "articlepage", draft.get_parent().pk]),
        reverse("wagtailsnippets_articles_author:list"),
        reverse("translation_status"),
        reverse("reviews_due"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Sunscreen for oily skin" not in response.content


# The workflow ------------------------------------------------------------------------------------


def test_submitted_then_approved_goes_live_with_the_reviewer_and_the_dates(
    client, editor, reviewer, draft, today
):
    submit(client, editor, draft)
    draft.refresh_from_db()
    assert not draft.live and draft.workflow_in_progress

    response = approve(client, reviewer, draft)

    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.live and not article.has_unpublished_changes
    assert article.reviewed_by.name == "Dr. Meena Raghavan"
    assert article.last_reviewed == TODAY
    assert article.next_review_due == datetime.date(2028, 3, 10)

    html = client.get(article.url).content.decode()
    assert f"Medically reviewed by Dr. Meena Raghavan on {date_format(TODAY)}" in html
    assert "Page last reviewed:" in html and date_format(datetime.date(2028, 3, 10)) in html


def test_the_reviewer_may_choose_the_next_review_date_when_approving(client, editor, reviewer, draft, today):
    submit(client, editor, draft)

    approve(client, reviewer, draft, next_review_due="2027-01-15")

    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.live
    assert article.next_review_due == datetime.date(2027, 1, 15)


def test_an_editors_change_to_a_live_article_waits_for_review(client, editor, reviewer, blog_page, today):
    article = ArticlePageFactory(parent=blog_page, title="Acne myths")
    submit(client, editor, article, title_en="Acne myths, busted")

    assert client.get(article.url).content.decode().count("Acne myths, busted") == 0
    approve(client, reviewer, article)
    assert "Acne myths, busted" in client.get(ArticlePage.objects.get(pk=article.pk).url).content.decode()


def test_a_reviewer_without_an_author_profile_may_only_request_changes(client, editor, draft):
    unlinked = member("unlinked", "Medical reviewers")
    submit(client, editor, draft)

    approve(client, unlinked, draft)  # refused: the admin sends them back to the dashboard

    assert not ArticlePage.objects.get(pk=draft.pk).live
    task = draft.current_workflow_task
    assert [name for name, _label, _modal in task.get_actions(draft, unlinked)] == ["reject"]


def test_a_rejected_article_stays_unpublished_and_unstamped(client, editor, reviewer, draft):
    submit(client, editor, draft)
    client.force_login(reviewer)
    task_state = draft.current_workflow_task_state

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "reject", task_state.pk]),
        {"comment": "Cite the SPF study."},
    )

    article = ArticlePage.objects.get(pk=draft.pk)
    assert not article.live and article.reviewed_by is None
    assert article.current_workflow_state.status == "needs_changes"


def test_approving_from_the_editor_publishes_the_reviewers_own_edits_stamped(
    client, editor, reviewer, draft, today
):
    """The editor's action menu: the reviewer fixes a word and picks "Approve" there."""
    submit(client, editor, draft)
    client.force_login(reviewer)
    data = page_edit_data(
        draft,
        reviewer,
        title_en="Sunscreen for oily skin, reviewed",
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            # What "Approve with comment and Publish" collects in its dialog, as JSON.
            "workflow-action-extra-data": '{"comment": "Checked.", "next_review_due": "2027-09-01"}',
        },
    )

    response = client.post(edit_url(draft), data)

    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.live and article.title == "Sunscreen for oily skin, reviewed"
    assert article.reviewed_by.name == "Dr. Meena Raghavan" and article.last_reviewed == TODAY
    assert article.next_review_due == datetime.date(2027, 9, 1)


# Review cadence ----------------------------------------------------------------------------------


def test_the_next_review_is_due_two_years_after_the_last_unless_given(blog_page):
    reviewer = AuthorFactory()
    default = ArticlePageFactory(
        parent=blog_page, reviewed_by=reviewer, last_reviewed=datetime.date(2024, 2, 29)
    )
    chosen = ArticlePageFactory(
        parent=blog_page,
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2024, 5, 1),
        next_review_due=datetime.date(2025, 5, 1),
    )

    assert default.next_review_due == datetime.date(2026, 2, 28)
    assert chosen.next_review_due == datetime.date(2025, 5, 1)


@pytest.mark.parametrize(
    ("language", "last", "next_due"),
    [
        ("en", "Page last reviewed:", "Next review due:"),
        ("ta", "பக்கம் கடைசியாகச் சரிபார்க்கப்பட்டது:", "அடுத்த சரிபார்ப்புக்கான தேதி:"),
    ],
)
def test_the_page_shows_when_it_was_last_reviewed_and_is_next_due(
    client, blog_page, language, last, next_due
):
    article = ArticlePageFactory(
        parent=blog_page,
        title_ta="சன்ஸ்கிரீன்",
        reviewed_by=AuthorFactory(),
        last_reviewed=datetime.date(2026, 6, 15),
    )
    with translation.override(language):
        html = client.get(article.get_url()).content.decode()

    assert f'{last}</dt> <dd><time datetime="2026-06-15">' in html
    assert f'{next_due}</dt> <dd><time datetime="2028-06-15">' in html


def test_an_unreviewed_article_shows_no_review_dates(client, blog_page):
    html = client.get(ArticlePageFactory(parent=blog_page).url).content.decode()
    assert "Page last reviewed" not in html and "Next review due" not in html


def test_the_seed_article_shows_its_reviewer_and_review_dates(client, demo):
    article = ArticlePage.objects.get(slug="is-micro-needling-effective-for-reducing-skin-pores")
    html = client.get(article.url).content.decode()

    assert "Medically reviewed by Dr. Janani Palanivel on" in html
    assert "Page last reviewed:" in html and "Next review due:" in html


def test_an_article_is_overdue_once_its_next_review_date_has_passed(blog_page, monkeypatch):
    article = ArticlePageFactory(
        parent=blog_page, reviewed_by=AuthorFactory(), last_reviewed=datetime.date(2024, 6, 1)
    )

    monkeypatch.setattr("articles.models.clinic_today", lambda: datetime.date(2026, 6, 1))
    assert not article.review_overdue()
    assert not ArticlePage.objects.review_overdue().exists()

    monkeypatch.setattr("articles.models.clinic_today", lambda: datetime.date(2026, 6, 2))
    assert article.review_overdue()
    assert list(ArticlePage.objects.review_overdue()) == [article]


def test_only_those_who_manage_accounts_link_an_author_to_one(client, editor, admin_client, reviewer):
    author = reviewer.author_profile
    url = reverse("wagtailsnippets_articles_author:edit", args=[author.pk])
    client.force_login(editor)

    assert 'name="user"' not in client.get(url).content.decode()
    assert 'name="user"' in admin_client.get(url).content.decode()

"""
When the English of an article changes, its Tamil is out of date until an editor updates or confirms
it: the Tamil page and the API say so, and neither claims the medical review for the Tamil text.
"""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from articles.models import ArticlePage
from tests.admin_forms import page_edit_data
from tests.factories import ArticlePageFactory, AuthorFactory, member

STALE_NOTE = "The English version of this article has been updated since this translation was written"
STALE_NOTE_TA = "இந்த மொழிபெயர்ப்பு எழுதப்பட்ட பிறகு இந்தக் கட்டுரையின் ஆங்கிலப் பதிப்பு புதுப்பிக்கப்பட்டுள்ளது"


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def blocks(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def json_ld_page(html):
    """The MedicalWebPage the article's JSON-LD describes."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    posting = next(graph for graph in map(json.loads, scripts) if graph["@type"] == "BlogPosting")
    return posting["mainEntityOfPage"]


@pytest.fixture
def article(blog_page):
    """A reviewed article in English and Tamil, both up to date."""
    return ArticlePageFactory(
        parent=blog_page,
        title="Sunscreen basics",
        title_ta="சன்ஸ்கிரீன் அடிப்படைகள்",
        intro="What SPF means.",
        intro_ta="SPF என்றால் என்ன.",
        body=blocks("Apply sunscreen every morning."),
        body_ta=blocks("ஒவ்வொரு காலையும் சன்ஸ்கிரீன் தடவுங்கள்."),
        reviewed_by=AuthorFactory(name="Dr. Meena Raghavan", name_ta="டாக்டர் மீனா ராகவன்"),
        last_reviewed=datetime.date(2026, 1, 5),
    )


def change_english(article, text="Apply sunscreen every morning and again at noon."):
    article.body_en = blocks(text)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def test_a_new_translation_is_up_to_date(article, client):
    html = client.get(url_in(article, "ta")).content.decode()

    assert not article.translation_is_stale("ta")
    assert STALE_NOTE_TA not in html
    assert "டாக்டர் மீனா ராகவன்" in html  # the review is claimed


def test_changing_the_english_body_makes_the_tamil_stale_on_the_page(article, client):
    article = change_english(article)

    tamil = client.get(url_in(article, "ta")).content.decode()
    english = client.get(url_in(article, "en")).content.decode()

    assert STALE_NOTE_TA in tamil
    assert f'href="{url_in(article, "en")}" hreflang="en"' in tamil
    assert "டாக்டர் மீனா ராகவன்" not in tamil and "பக்கம் கடைசியாகச் சரிபார்க்கப்பட்டது" not in tamil
    assert "reviewedBy" not in json_ld_page(tamil)
    # The English is what was changed: it keeps its review, and no note.
    assert STALE_NOTE not in english and "Medically reviewed by Dr. Meena Raghavan" in english
    assert json_ld_page(english)["reviewedBy"]["name"] == "Dr. Meena Raghavan"


def test_the_api_flags_the_stale_translation_per_item(article, client):
    change_english(article)
    fresh = ArticlePageFactory(parent=article.get_parent(), title="Other", title_ta="மற்றொன்று")

    items = client.get("/api/v3/articles/", {"lang": "ta"}).json()["items"]
    tamil = client.get(f"/api/v3/articles/{article.pk}/", {"lang": "ta"}).json()
    english = client.get(f"/api/v3/articles/{article.pk}/").json()

    stale = {item["id"]: item["meta"]["translation_stale"] for item in items}
    assert stale == {article.pk: True, fresh.pk: False}
    assert tamil["meta"]["translation_stale"] is True
    assert (
        tamil["reviewed_by"] is None and tamil["last_reviewed"] is None and tamil["next_review_due"] is None
    )
    assert english["meta"]["translation_stale"] is False
    assert english["reviewed_by"]["name"] == "Dr. Meena Raghavan"
    both = client.get(f"/api/v3/articles/{article.pk}/", {"lang": "*"}).json()
    assert both["meta"]["translation_stale"] == {"en": False, "ta": True}
    assert both["reviewed_by"]["name"] == {"en": "Dr. Meena Raghavan", "ta": "டாக்டர் மீனா ராகவன்"}


def test_a_change_of_markup_only_leaves_the_tamil_up_to_date(article):
    article = change_english(article, text="Apply <b>sunscreen</b>  every morning.")

    assert not article.translation_is_stale("ta")


def test_an_article_without_tamil_is_never_stale(blog_page, client):
    article = ArticlePageFactory(parent=blog_page, title="English only")
    article = change_english(article)

    assert article.translation_status == {"ta": "untranslated"}
    assert STALE_NOTE_TA not in client.get(url_in(article, "ta")).content.decode()


# The editor's side -------------------------------------------------------------------------------


@pytest.fixture
def reviewer(django_user_model, blog_page):
    """A reviewer (who may publish) linked to an author profile."""
    user = django_user_model.objects.create_user(username="reviewer", password="password")
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    AuthorFactory(name="Dr. Reviewer", user=user)
    return user


def publish_from_the_editor(client, user, article, **changes):
    client.force_login(user)
    data = page_edit_data(article, user, **changes, **{"action-publish": "Publish"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    return ArticlePage.objects.get(pk=article.pk)


def test_the_editor_is_told_the_tamil_is_out_of_date(article, reviewer, client):
    article = change_english(article)
    client.force_login(reviewer)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert "The Tamil text is up to date" in html
    assert "Out of date: the English text has changed since the Tamil was last updated." in html


def test_confirming_the_tamil_makes_it_up_to_date_again(article, reviewer, client):
    article = change_english(article)

    article = publish_from_the_editor(client, reviewer, article, translation_current_ta="on")

    assert not article.translation_is_stale("ta")
    assert STALE_NOTE_TA not in client.get(url_in(article, "ta")).content.decode()
    assert (
        client.get(f"/api/v3/articles/{article.pk}/", {"lang": "ta"}).json()["meta"]["translation_stale"]
        is False
    )


def test_updating_the_tamil_makes_it_up_to_date_again(article, reviewer, client):
    article = change_english(article)

    article = publish_from_the_editor(client, reviewer, article, title_ta="சன்ஸ்கிரீன்: அடிப்படைகள்")

    assert not article.translation_is_stale("ta")


def test_saving_the_english_without_confirming_keeps_the_tamil_stale(article, reviewer, client):
    article = publish_from_the_editor(client, reviewer, article, intro_en="What SPF and PA mean.")

    assert article.translation_is_stale("ta")
    # Saving it again, unchanged, does not confirm it either.
    assert publish_from_the_editor(client, reviewer, article).translation_is_stale("ta")


# Through the medical review ----------------------------------------------------------------------


@pytest.fixture
def editor(blog_page):
    return member("editor", "Editors")


def submit_english_change(client, editor, article, text, **changes):
    client.force_login(editor)
    data = page_edit_data(article, editor, **changes, **{"action-submit": "Submit to Medical review"})
    # The first paragraph's Draftail state, as the editor's rich text input posts it.
    state = {"blocks": [{"key": "a1b2c", "text": text, "type": "unstyled", "depth": 0}], "entityMap": {}}
    data["body_en-0-value"] = json.dumps(state)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response


def approve_from_the_dashboard(client, reviewer, article):
    client.force_login(reviewer)
    task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk])
    assert client.post(url, {"comment": ""}).status_code == 302


def approve_from_the_editor(client, reviewer, article):
    client.force_login(reviewer)
    article = ArticlePage.objects.get(pk=article.pk)  # with the submitted revision as its latest
    data = page_edit_data(
        article,
        reviewer,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": '{"comment": ""}',
        },
    )
    assert client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data).status_code == 302


@pytest.mark.parametrize("approve", [approve_from_the_dashboard, approve_from_the_editor])
def test_approving_a_change_to_the_english_leaves_the_tamil_stale(
    article, editor, reviewer, client, admin_client, approve
):
    submit_english_change(client, editor, article, "Apply sunscreen every morning and again at noon.")

    approve(client, reviewer, article)

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and not article.has_unpublished_changes
    assert "again at noon" in str(article.body_en)
    assert article.reviewed_by.name == "Dr. Reviewer"  # the English change was reviewed
    assert article.translation_is_stale("ta")
    client.logout()
    tamil = client.get(url_in(article, "ta")).content.decode()
    assert STALE_NOTE_TA in tamil
    assert "பக்கம் கடைசியாகச் சரிபார்க்கப்பட்டது" not in tamil  # no review date claimed for the Tamil
    items = client.get("/api/v3/articles/", {"lang": "ta"}).json()["items"]
    item = next(item for item in items if item["id"] == article.pk)
    detail = client.get(f"/api/v3/articles/{article.pk}/", {"lang": "ta"}).json()
    assert item["meta"]["translation_stale"] is True and detail["meta"]["translation_stale"] is True
    assert detail["last_reviewed"] is None and detail["reviewed_by"] is None
    report = admin_client.get(reverse("translation_status"), {"problem": "stale"}).content.decode()
    assert "Sunscreen basics" in report


@pytest.mark.parametrize(
    "tamil",
    [{"title_ta": "சன்ஸ்கிரீன்: அடிப்படைகள்"}, {"translation_current_ta": "on"}],
    ids=["updated", "confirmed"],
)
def test_approving_an_english_change_with_the_tamil_updated_or_confirmed_leaves_it_current(
    article, editor, reviewer, client, tamil
):
    submit_english_change(
        client, editor, article, "Apply sunscreen every morning and again at noon.", **tamil
    )

    approve_from_the_dashboard(client, reviewer, article)

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and "again at noon" in str(article.body_en)
    assert article.translation_status == {"ta": "current"}
    client.logout()
    tamil_page = client.get(url_in(article, "ta")).content.decode()
    assert STALE_NOTE_TA not in tamil_page and "பக்கம் கடைசியாகச் சரிபார்க்கப்பட்டது" in tamil_page

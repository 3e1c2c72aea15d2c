"""
Editors in the admin, in both languages: the slugs they end up with whatever the browser sends, the
preview in each language, the copy of a body from one language into the other, and placeholders and
block defaults in each field's own language.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from articles.blocks import PARAGRAPH_FEATURES
from articles.models import ArticlePage
from tests.factories import ArticleCategoryFactory, ArticlePageFactory, AuthorFactory

TAMIL_TITLE = "சருமத் துளைகளைக் குறைக்க உதவுமா?"
TAMIL_SLUG = "crumt-tulaiklaik-kuraikk-utvuma"  # anyascii's, as cms.slugs.ascii_slug writes it
with translation.override("ta"):
    FALLBACK_NOTICE_TA = gettext(
        "This page has not been translated into your language yet, so it is shown in English."
    )


def body(*paragraphs):
    return streamfield([("paragraph", rich_text(text, features=PARAGRAPH_FEATURES)) for text in paragraphs])


def admin_form_data(client, url, **fields):
    """
    What the browser sends from the admin form at `url`: its fields as rendered (a new page's
    defaults, or the page's values), with `fields` (nested, StreamFields as `body()` gives them)
    typed over them. StreamFields are drawn by script, so each must be given.
    """
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for name, value in nested_form_data(fields).items():
        data[name] = value
    return data


def add_article_url(blog):
    return reverse("wagtailadmin_pages:add", args=["articles", "articlepage", blog.pk])


def create_article(client, blog, **fields):
    """Save a new article as a draft from the admin's create view, as an editor does."""
    author, category = AuthorFactory(), ArticleCategoryFactory()
    fields = {
        "title_en": "Can pores shrink?",
        "intro_en": "What helps, and what does not.",
        "category": category.pk,
        "article_authors-0-author": author.pk,
        "body_en": body("<p>Pores are openings in the skin.</p>"),
        "body_ta": body(),
        **fields,
    }
    return client.post(add_article_url(blog), admin_form_data(client, add_article_url(blog), **fields))


@pytest.mark.parametrize(
    "sent_slug",
    [
        pytest.param("------", id="dashes, as Wagtail's script makes of Tamil"),
        pytest.param("", id="empty"),
        pytest.param(TAMIL_SLUG, id="the transliteration, as the project's script makes it"),
    ],
)
def test_a_tamil_title_gets_its_transliteration_as_slug_whatever_the_browser_sent(
    admin_client, blog_page, sent_slug
):
    response = create_article(admin_client, blog_page, title_ta=TAMIL_TITLE, slug_ta=sent_slug)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    article = ArticlePage.objects.get(title_ta=TAMIL_TITLE)
    assert article.slug_ta == TAMIL_SLUG


def test_a_tamil_script_slug_is_transliterated(admin_client, blog_page):
    response = create_article(admin_client, blog_page, title_ta=TAMIL_TITLE, slug_ta="சரும துளை")

    assert response.status_code == 302
    assert ArticlePage.objects.get(title_ta=TAMIL_TITLE).slug_ta == "crum-tulai"


@pytest.mark.parametrize("sent_slug", ["------", TAMIL_SLUG, TAMIL_TITLE])
def test_two_articles_with_one_tamil_title_get_distinct_readable_slugs(admin_client, blog_page, sent_slug):
    first = create_article(admin_client, blog_page, title_en="First", title_ta=TAMIL_TITLE, slug_ta=sent_slug)
    second = create_article(
        admin_client, blog_page, title_en="Second", title_ta=TAMIL_TITLE, slug_ta=sent_slug
    )

    assert (first.status_code, second.status_code) == (302, 302)
    slugs = {
        article.title_en: article.slug_ta for article in ArticlePage.objects.filter(title_ta=TAMIL_TITLE)
    }
    assert slugs == {"First": TAMIL_SLUG, "Second": f"{TAMIL_SLUG}-2"}


def test_a_slug_the_editor_chose_that_is_taken_is_an_error_on_that_field(admin_client, blog_page):
    ArticlePageFactory(parent=blog_page, title_ta="முகப்பரு", slug_ta="acne-care")

    response = create_article(admin_client, blog_page, title_ta=TAMIL_TITLE, slug_ta="acne-care")

    assert response.context["form"].errors["slug_ta"] == ["This slug is already in use"]
    assert not ArticlePage.objects.filter(title_ta=TAMIL_TITLE).exists()


def test_an_article_saved_with_a_dash_only_slug_gets_a_readable_one_when_edited(admin_client, blog_page):
    article = ArticlePageFactory(parent=blog_page, title_ta=TAMIL_TITLE)
    ArticlePage.objects.filter(pk=article.pk).update(slug_ta="------")  # as the admin's script left it
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])

    data = admin_form_data(admin_client, url, body_en=body("<p>Sun.</p>"), body_ta=body())
    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert article.get_latest_revision_as_object().slug_ta == TAMIL_SLUG


@pytest.mark.parametrize(("saved_slug", "slug"), [("------", TAMIL_SLUG), ("சரும துளை", "crum-tulai")])
def test_pages_saved_in_code_get_usable_slugs_too(blog_page, saved_slug, slug):
    article = ArticlePageFactory(parent=blog_page, title_ta=TAMIL_TITLE, slug_ta=saved_slug)
    assert article.slug_ta == slug


def preview(client, page, mode, **fields):
    """The admin's preview of `page` with `fields` changed in its form, in preview mode `mode`."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    posted = client.post(url, admin_form_data(client, edit_url, **fields))
    assert posted.json()["is_valid"], posted.json()
    return client.get(url, {"mode": mode})


def test_the_preview_offers_english_and_tamil(admin_client, demo):
    article = ArticlePage.objects.get(slug_en="is-micro-needling-effective-for-reducing-skin-pores")
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'value="en"' in html and ">English<" in html
    assert 'value="ta"' in html and ">Tamil<" in html


def test_the_tamil_preview_shows_the_draft_as_a_tamil_reader_gets_it(admin_client, demo):
    article = ArticlePage.objects.get(slug_en="is-micro-needling-effective-for-reducing-skin-pores")
    draft_title = "மைக்ரோ-நீட்லிங்: வரைவு"

    response = preview(
        admin_client,
        article,
        "ta",
        title_ta=draft_title,
        body_en=body("<p>Pores are openings.</p>"),
        body_ta=body("<p>துளைகள் சிறிய திறப்புகள்.</p>"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ta"' in html
    assert draft_title in html
    assert "துளைகள் சிறிய திறப்புகள்." in html
    assert 'href="/ta/vlaipptivu/"' in html  # the blog, in Tamil
    assert f'href="/en/blog/{article.slug_en}/"' in html  # the switcher's other language
    assert FALLBACK_NOTICE_TA not in html


def test_the_tamil_preview_of_an_untranslated_article_shows_the_fallback_notice(admin_client, demo):
    article = ArticlePage.objects.get(slug_en="understanding-hair-fall")

    response = preview(
        admin_client, article, "ta", body_en=body("<p>Hair grows in cycles.</p>"), body_ta=body()
    )

    html = response.content.decode()
    assert '<html lang="ta"' in html
    assert FALLBACK_NOTICE_TA in html
    assert "Hair grows in cycles." in html


def test_the_english_preview_stays_english(admin_client, demo):
    article = ArticlePage.objects.get(slug_en="is-micro-needling-effective-for-reducing-skin-pores")

    response = preview(admin_client, article, "en", body_en=body("<p>Draft pores.</p>"), body_ta=body())

    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Draft pores." in html
    assert 'href="/en/blog/"' in html


def copy_body(client, url, origin, target, paragraphs):
    data = nested_form_data({origin: body(*paragraphs)})
    serialized = [{"name": name, "value": value} for name, value in data.items()]
    return client.post(
        url,
        {
            "origin_field_name": origin,
            "target_field_name": target,
            "serializedOriginField": json.dumps(serialized),
        },
    )


def test_copy_content_from_english_fills_the_tamil_body(admin_client, blog_page):
    article = ArticlePageFactory(parent=blog_page)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk]) + "copy_translation_content/"

    response = copy_body(admin_client, url, "body_en", "body_ta", ["<p>Pores are openings.</p>"])

    assert response.status_code == 200
    editor = response.json()
    assert "Pores are openings." in editor
    assert "body_ta" in editor and "body_en" not in editor


def test_copy_content_works_on_a_new_page_too(admin_client, blog_page):
    url = add_article_url(blog_page) + "copy_translation_content/"

    response = copy_body(admin_client, url, "body_en", "body_ta", ["<p>Pores are openings.</p>"])

    assert response.status_code == 200
    assert "Pores are openings." in response.json()


@pytest.mark.parametrize(
    ("origin", "target"),
    [("_en", "_ta"), ("article_en", "article_authors"), ("intro_en", "intro_ta"), ("body_en", "body_en")],
)
def test_copy_content_of_anything_but_a_translated_body_is_refused_with_a_message(
    admin_client, blog_page, origin, target
):
    article = ArticlePageFactory(parent=blog_page)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk]) + "copy_translation_content/"

    response = copy_body(admin_client, url, origin, target, ["<p>x</p>"])

    assert response.status_code == 400
    assert "can be copied" in response.json()["error"]


def test_the_tamil_title_has_a_tamil_placeholder_not_page_title_star(admin_client, blog_page):
    page = BeautifulSoup(admin_client.get(add_article_url(blog_page)).content, "html.parser")
    tamil, english = page.find(id="id_title_ta"), page.find(id="id_title_en")
    assert tamil["placeholder"] == "பக்கத் தலைப்பு"
    assert tamil["lang"] == "ta"
    assert english["placeholder"] == "Page title*"


def test_a_callout_added_to_the_tamil_body_starts_with_a_tamil_title(admin_client, blog_page):
    html = admin_client.get(add_article_url(blog_page)).content.decode()

    tamil_default = json.dumps("முக்கியக் குறிப்பு")[1:-1]
    assert html.count(tamil_default) == 1  # in Body [ta]'s blocks
    assert html.count("Key takeaway") == 1  # in Body [en]'s

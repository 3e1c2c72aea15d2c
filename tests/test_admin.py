"""Editors can open the edit view of every page type, snippet and setting."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from articles.models import ArticleCategory, ArticlePage, Author, BlogIndexPage
from home.models import HomePage, OpeningHours


@pytest.mark.parametrize("model", [HomePage, BlogIndexPage, ArticlePage])
def test_page_edit_view(admin_client, demo, model):
    page = model.objects.first()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("model", [BlogIndexPage, ArticlePage])
def test_page_add_view(admin_client, demo, model):
    parent = model.allowed_parent_page_models()[0].objects.first()
    url = reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("model", [Author, ArticleCategory, OpeningHours])
def test_snippet_edit_and_list_views(admin_client, demo, model):
    obj = model.objects.first()
    namespace = f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}"
    assert admin_client.get(reverse(f"{namespace}:edit", args=[obj.pk])).status_code == 200
    assert admin_client.get(reverse(f"{namespace}:list")).status_code == 200


def test_clinic_details_setting_edit_view(admin_client, demo):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["home", "clinicdetails", site.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Dr. Janani&#x27;s Skin Clinic" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, demo):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[ArticlePage.objects.first().pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("url_name", "fields"),
    [
        ("article", ["title_en", "title_ta", "intro_en", "intro_ta", "body_en", "body_ta", "slug_ta"]),
        ("author", ["name_en", "name_ta", "credentials_ta", "bio_ta"]),
        ("clinic", ["clinic_name_en", "clinic_name_ta", "address_ta"]),
    ],
)
def test_editors_get_english_and_tamil_fields_side_by_side(admin_client, demo, url_name, fields):
    urls = {
        "article": lambda: reverse("wagtailadmin_pages:edit", args=[ArticlePage.objects.first().pk]),
        "author": lambda: reverse("wagtailsnippets_articles_author:edit", args=[Author.objects.first().pk]),
        "clinic": lambda: reverse(
            "wagtailsettings:edit", args=["home", "clinicdetails", Site.objects.get(is_default_site=True).pk]
        ),
    }
    html = admin_client.get(urls[url_name]()).content.decode()
    for field in fields:
        # Plain inputs carry the name; a StreamField is a panel rendered by script.
        assert f'name="{field}"' in html or f'"fieldName": "{field}"' in html, field

"""The admin's Blog menu opens the blog's articles and adds one, for those who may."""

import json
import re

from django.urls import reverse

from articles.models import ArticlePage, BlogIndexPage
from tests.factories import member


def blog_menu(client, user):
    """{label: url} of the links in the admin sidebar's Blog menu, as the user sees it."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    [main_menu] = [m for m in json.loads(props.group(1))["modules"] if m["_type"].endswith("MainMenuModule")]
    for item in main_menu["_args"][0]:
        if item["_args"][0]["name"] == "blog":
            return {link["_args"][0]["label"]: link["_args"][0]["url"] for link in item["_args"][1]}
    return {}


def expected_links(blog):
    return {
        "Articles": reverse("wagtailadmin_explore", args=[blog.pk]),
        "Add article": reverse("wagtailadmin_pages:add", args=["articles", "articlepage", blog.pk]),
    }


def test_a_superuser_finds_the_articles_and_adds_one_from_the_blog_menu(client, admin_user, demo):
    blog = BlogIndexPage.objects.get()
    links = blog_menu(client, admin_user)
    assert list(links)[:2] == ["Articles", "Add article"]
    assert {label: links[label] for label in ["Articles", "Add article"]} == expected_links(blog)
    assert "Authors" in links

    listing = client.get(links["Articles"])
    assert listing.status_code == 200
    assert ArticlePage.objects.child_of(blog).first().title in listing.content.decode()
    assert client.get(links["Add article"]).status_code == 200


def test_an_editor_sees_the_same_links(client, demo):
    editor = member("editor", "Editors")
    links = blog_menu(client, editor)
    assert links.items() >= expected_links(BlogIndexPage.objects.get()).items()
    assert client.get(links["Add article"]).status_code == 200


def test_clinic_staff_do_not_see_the_article_links(client, demo):
    staff = member("frontdesk", "Clinic staff")
    links = blog_menu(client, staff)
    assert "Articles" not in links and "Add article" not in links

"""
Wagtail's write endpoints with an editor's token, where `make fuzz` (which runs with one) found
500s: each answers a request it cannot carry out with a 4xx that says why.
"""

import pytest
from wagtail.models import Page, Site

from articles.models import ArticleCategory


@pytest.mark.parametrize("action", ["copy", "move", "create_alias"])
def test_the_root_page_cannot_be_copied_moved_or_aliased(client, editor_authorization, action):
    root = Page.get_first_root_node()
    home = root.get_children().first()
    response = client.post(
        f"/api/v3/pages/{root.pk}/actions/{action}/",
        {"destination_id": home.pk} if action == "move" else {},
        content_type="application/json",
        HTTP_AUTHORIZATION=editor_authorization,
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert Page.objects.count() == Page.objects.filter(alias_of=None).count()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v3/snippets/articles.Author/abc/"),
        ("patch", "/api/v3/snippets/articles.ArticleCategory/COM1/"),
        ("delete", "/api/v3/snippets/home.OpeningHours/)/actions/delete/"),
    ],
)
def test_a_snippet_key_its_type_cannot_have_is_a_404(client, editor_authorization, method, path):
    response = getattr(client, method)(
        path, {}, content_type="application/json", HTTP_AUTHORIZATION=editor_authorization
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_write_that_breaks_a_uniqueness_rule_is_a_409(client, editor_authorization):
    # Wagtail's form for a snippet holds only its writable API fields (none here), so the database
    # is what refuses a second category with the same (empty) slug, as it refuses a slug stored by
    # another request between a form's check and its save.
    ArticleCategory.objects.create(name="", slug="")
    response = client.post(
        "/api/v3/snippets/articles.ArticleCategory/",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=editor_authorization,
    )
    assert response.status_code == 409, response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert ArticleCategory.objects.filter(slug="").count() == 1


@pytest.mark.parametrize("filter_", ["child_of", "descendant_of"])
def test_listing_from_the_root_where_no_site_serves_the_host_is_a_404(client, editor_authorization, filter_):
    Site.objects.all().delete()  # as an editor may, over the API
    response = client.get("/api/v3/pages/", {filter_: "root"}, HTTP_AUTHORIZATION=editor_authorization)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("body", ["[null, null]", "3", '"text"'])
def test_a_json_body_that_is_not_an_object_is_a_400(client, editor_authorization, body):
    page = Page.get_first_root_node().get_children().first()
    response = client.patch(
        f"/api/v3/pages/{page.pk}/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=editor_authorization,
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The body must be a JSON object."

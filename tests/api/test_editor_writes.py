"""
Wagtail's write endpoints with an editor's token, where `make fuzz` (which runs with one) found
500s: each answers a request it cannot carry out with a 4xx that says why.
"""

import pytest
import wagtail_factories
from jsonschema import Draft202012Validator
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from articles.models import ArticleCategory, Author
from tests.factories import AuthorFactory


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
    # The database refuses what the form could not see coming: a slug stored by another request
    # between a form's check and its save (here, one already blank, which the form lets through).
    AuthorFactory(name="Dr. Anitha", slug="")
    response = post_snippet(client, editor_authorization, "articles.Author", {"name": "  "})
    assert response.status_code == 422  # a blank name is refused before anything is saved
    ArticleCategory.objects.create(name="Acne", slug="acne")
    response = post_snippet(
        client, editor_authorization, "articles.ArticleCategory", {"name": "Acne", "slug": "acne"}
    )
    assert response.status_code == 409, response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["loc"] == ["slug"]
    assert ArticleCategory.objects.filter(slug="acne").count() == 1


def post_snippet(client, authorization, type_, body, **query):
    return client.post(
        f"/api/v3/snippets/{type_}/"
        + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=authorization,
    )


@pytest.mark.parametrize(
    ("type_", "body"),
    [
        ("articles.ArticleCategory", {"name": "Hair care", "slug": "hair-care"}),
        ("articles.Author", {"name": "Dr. Meena", "role": "Consultant dermatologist"}),
    ],
)
def test_an_editor_creates_a_category_or_an_author_with_the_name_given(
    client, editor_authorization, type_, body
):
    response = post_snippet(client, editor_authorization, type_, body)
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == body["name"]
    model = ArticleCategory if type_ == "articles.ArticleCategory" else Author
    item = model.objects.get(pk=response.json()["id"])
    assert (item.name_en, item.slug) == (body["name"], body.get("slug", "dr-meena"))


def test_a_name_sent_with_lang_ta_is_the_tamil_name(client, editor_authorization):
    response = post_snippet(
        client, editor_authorization, "articles.ArticleCategory", {"name": "முடி", "slug": "mudi"}, lang="ta"
    )
    assert response.status_code == 201, response.json()
    assert ArticleCategory.objects.get(slug="mudi").name_ta == "முடி"


@pytest.mark.parametrize("type_", ["articles.ArticleCategory", "articles.Author"])
@pytest.mark.parametrize("name", ["", "   "])
def test_a_category_or_an_author_without_a_name_is_a_422_and_nothing_is_stored(
    client, editor_authorization, document, type_, name
):
    response = post_snippet(client, editor_authorization, type_, {"name": name, "slug": "no-name"})
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["loc"] == ["name"]
    assert not ArticleCategory.objects.filter(slug="no-name").exists()
    assert not Author.objects.filter(slug="no-name").exists()
    # and the document says so: the create schema's name may not be blank
    schema = document["components"]["schemas"][type_.split(".")[1] + "CreateSchema"]
    assert "name" in schema["required"]
    assert not Draft202012Validator(schema["properties"]["name"]).is_valid(name)


def test_a_category_without_a_slug_is_a_422(client, editor_authorization):
    response = post_snippet(client, editor_authorization, "articles.ArticleCategory", {"name": "Nails"})
    assert response.status_code == 422
    assert not ArticleCategory.objects.filter(name_en="Nails").exists()


@pytest.fixture
def document(client):
    return client.get("/api/v3/openapi.json").json()


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


@pytest.mark.parametrize("value", [2**31, -1])
def test_an_images_focal_point_beyond_its_column_is_a_422_and_nothing_is_saved(
    client, editor_authorization, value
):
    # SQLite would store 2**31; PostgreSQL's column (and the document) stop at 2**31-1.
    image = wagtail_factories.ImageFactory()
    path = f"/api/v3/images/{image.pk}/"
    response = patch_json(client, editor_authorization, path, {"focal_point_x": value})
    assert response.status_code == 422, response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["loc"] == ["body", "data", "focal_point_x"]
    image.refresh_from_db()
    assert image.focal_point_x is None
    # 5.0 is a whole number to JSON Schema too.
    taken = patch_json(client, editor_authorization, path, {"focal_point_x": 2**31 - 1, "focal_point_y": 5.0})
    assert taken.status_code == 200, taken.json()


@pytest.mark.parametrize(
    ("field", "value"), [("is_permanent", 0), ("is_permanent", "true"), ("site", True), ("site", "1")]
)
def test_a_redirect_with_a_value_not_of_its_declared_json_type_is_a_422(
    client, editor_authorization, field, value
):
    # Wagtail's schemas would take 0 for false and true for 1 (pydantic's lax mode); the document
    # says a JSON boolean, a JSON integer.
    site = Site.objects.get(is_default_site=True)
    redirect = Redirect.objects.create(old_path="/old", redirect_link="https://example.com/", site=site)
    body = {"old_path": "/old", "redirect_link": "https://example.com/", "site": site.pk}
    response = client.put(
        f"/api/v3/redirects/{redirect.pk}/",
        {**body, field: value},
        content_type="application/json",
        HTTP_AUTHORIZATION=editor_authorization,
    )
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["loc"] == ["body", "data", field]
    redirect.refresh_from_db()
    assert redirect.is_permanent
    taken = client.put(
        f"/api/v3/redirects/{redirect.pk}/",
        {**body, "is_permanent": False},
        content_type="application/json",
        HTTP_AUTHORIZATION=editor_authorization,
    )
    assert taken.status_code == 200, taken.json()
    redirect.refresh_from_db()
    assert not redirect.is_permanent


def patch_json(client, authorization, path, body):
    return client.patch(path, body, content_type="application/json", HTTP_AUTHORIZATION=authorization)

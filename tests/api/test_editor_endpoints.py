"""
Wagtail's redirects, images and documents endpoints are for editors: reading them takes a token whose
user may manage them in the admin, and the OpenAPI document says so.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import APIToken, PageViewRestriction

from tests.factories import ArticlePageFactory

ENDPOINTS = ["/api/v3/redirects/", "/api/v3/images/", "/api/v3/documents/"]


@pytest.fixture
def library(blog_page):
    """A redirect to an external link with a secret in its query string, one to a private page, an
    image and a document: what an anonymous client must not be able to list."""
    private = ArticlePageFactory(parent=blog_page, title="Staff only")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return {
        "/api/v3/redirects/": [
            Redirect.objects.create(old_path="/offer", redirect_link="https://example.org/?voucher=SECRET"),
            Redirect.objects.create(old_path="/old-staff-page", redirect_page=private),
        ],
        "/api/v3/images/": [
            get_image_model().objects.create(title="Before and after", file=get_test_image_file())
        ],
        "/api/v3/documents/": [
            get_document_model().objects.create(
                title="Price list", file=ContentFile(b"Consultation: 800", name="prices.txt")
            )
        ],
    }


def token_for(user):
    _token, plaintext = APIToken.create_token(user=user, name="integration")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def detail_url(endpoint, item):
    return f"{endpoint}{item.pk}/"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_clients_get_401(client, library, endpoint):
    for url in [endpoint, detail_url(endpoint, library[endpoint][0])]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["Content-Type"].startswith("application/problem+json")
        assert "manage them in the admin" in response.json()["detail"]
        assert "SECRET" not in response.content.decode()


def test_finding_a_redirect_by_path_needs_a_token_too(client, library):
    assert client.get("/api/v3/redirects/find/", {"html_path": "/offer"}).status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_token_without_the_admin_permission_gets_403(client, library, endpoint, django_user_model):
    reader = token_for(django_user_model.objects.create_user("kiosk", password="kiosk-password"))
    for url in [endpoint, detail_url(endpoint, library[endpoint][0])]:
        response = client.get(url, **reader)
        assert response.status_code == 403, url
        assert "SECRET" not in response.content.decode()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_editors_token_reads_them_privately(client, library, endpoint, admin_user):
    response = client.get(endpoint, **token_for(admin_user))
    assert response.status_code == 200
    assert {item["id"] for item in response.json()["items"]} == {item.pk for item in library[endpoint]}
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_openapi_document_says_which_need_a_token(client, db):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    for endpoint in ENDPOINTS:
        for path in [endpoint, f"{endpoint}{{{endpoint.split('/')[3][:-1]}_id}}/"]:
            read = paths[path]["get"]
            assert read["security"] == [{"EditorTokenAuth": []}], path
            assert {"401", "403"} <= set(read["responses"]), path
    assert "security" not in paths["/api/v3/articles/"]["get"]  # the clinic's reads stay public

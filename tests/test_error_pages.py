"""
The error pages a patient may meet: "page not found" in the site's layout and the page's language, and
"server error", a standalone page that needs neither the database nor anything else that may be down.
"""

import json

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def database_down(request):
    """What a page meets when the database server is gone."""
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


# The site's URLs, plus a page and an API path that fail (used through @pytest.mark.urls below).
urlpatterns = [
    path("api/v3/database-down/", database_down),
    *i18n_patterns(path("database-down/", database_down), prefix_default_language=True),
    *site_urlpatterns,
]

NOT_FOUND = {
    "en": ("Page not found", "Sorry, we could not find that page.", "Go to the home page"),
    "ta": (
        "பக்கம் கிடைக்கவில்லை",
        "மன்னிக்கவும், அந்தப் பக்கத்தைக் கண்டுபிடிக்க முடியவில்லை.",
        "முகப்புப் பக்கத்துக்குச் செல்லுங்கள்",
    ),
}
SERVER_ERROR = {
    "en": ("Something went wrong", "Please try again in a few minutes, or call the clinic."),
    "ta": (
        "ஏதோ தவறு நடந்துவிட்டது",
        "சில நிமிடங்கள் கழித்து மீண்டும் முயற்சி செய்யுங்கள், அல்லது கிளினிக்கை அழையுங்கள்.",
    ),
}


@pytest.mark.parametrize("language", ["en", "ta"])
def test_a_missing_page_is_a_404_in_its_language_with_the_layout_a_way_home_and_search(
    client, home_page, language
):
    heading, sorry, home_link = NOT_FOUND[language]

    response = client.get(f"/{language}/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert sorry in html
    assert f'<a href="/{language}/">{home_link}</a>' in html
    assert f'action="/{language}/search/"' in html
    # The base layout: header, footer and the site's stylesheet.
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "css/site.css" in html


def test_an_unprefixed_missing_page_redirects_to_the_english_404(client, home_page):
    response = client.get("/no-such-page/", follow=True)

    assert response.redirect_chain == [("/en/no-such-page/", 302)]
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


# No `db` fixture: pytest-django makes every database query fail, as when the server is down.
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", ["en", "ta"])
def test_a_server_error_shows_the_standalone_500_page_in_its_language_without_the_database(client, language):
    heading, advice = SERVER_ERROR[language]
    client.raise_request_exception = False

    response = client.get(f"/{language}/database-down/")

    html = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert advice in html
    assert f'href="/{language}/"' in html
    # Standalone: no stylesheet or script that the failing server would have to serve as well.
    assert "<link" not in html and "<script" not in html


@pytest.mark.urls(__name__)
def test_a_server_error_under_the_api_is_problem_json_not_the_html_page(client):
    client.raise_request_exception = False

    response = client.get("/api/v3/database-down/", headers={"Accept-Language": "ta"})

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/problem+json")
    assert json.loads(response.content)["status"] == 500

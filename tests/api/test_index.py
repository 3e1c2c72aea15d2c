"""The API's address, /api/v3/, as the README gives it: an index of the API, its languages and its links."""

from urllib.parse import urlsplit

from django.conf import settings

from tests.public_cache import read, read_twice

URL = "/api/v3/"


def test_the_api_address_answers_its_name_version_and_languages(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    index = response.json()
    assert index["name"] == "Skin clinic API"
    assert index["version"]
    assert [language["code"] for language in index["languages"]] == [
        code for code, _name in settings.LANGUAGES
    ]
    assert [language["code"] for language in index["languages"] if language["default"]] == ["en"]
    assert {language["code"]: language["name_local"] for language in index["languages"]}["ta"] == "தமிழ்"


def test_every_link_of_the_index_leads_to_a_documented_endpoint(client, demo):
    index = client.get(URL).json()
    document = client.get(path_of(index["openapi"])).json()
    docs = client.get(path_of(index["docs"]))

    assert document["openapi"].startswith("3.1")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    endpoints = index["endpoints"]
    for name in [
        "articles",
        "authors",
        "categories",
        "clinic",
        "opening-hours",
        "consultation-requests",
        "pages",
    ]:
        assert path_of(endpoints[name]) == f"{URL}{name}/"
    for name, url in endpoints.items():
        assert path_of(url) in document["paths"], name
        # Read without a token: public, or a 401 for Wagtail's token-only endpoints (a 405 for the
        # consultation requests, which are only ever sent).
        assert client.get(url).status_code in (200, 401, 405), name
    assert client.get(endpoints["articles"]).json()["count"] == 4


def test_the_index_is_cached_per_language_and_per_host(client, db):
    english = read_twice(client, URL).json()
    tamil = read(client, URL, headers={"Accept-Language": "ta"})
    other_host = read(client, URL, headers={"Host": "app.example.org"})

    assert {language["code"]: language["name"] for language in english["languages"]}["ta"] == "Tamil"
    assert not tamil.from_cache and tamil["Content-Language"] == "ta"
    assert {language["code"]: language["name"] for language in tamil.json()["languages"]}["ta"] == "தமிழ்"
    assert not other_host.from_cache
    assert other_host.json()["openapi"] == "http://app.example.org/api/v3/openapi.json"
    assert read(client, URL, {"lang": "ta"}).json() == tamil.json()


def path_of(url):
    return urlsplit(url).path

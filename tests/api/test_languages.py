"""
Every language in one call (`lang=*`) and missing translations as null (`fallback=none`), for apps
that keep both languages offline or show their own notice.
"""

import datetime

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import ClinicDetails
from tests.clinic_time import MONDAY, ist
from tests.factories import (
    ArticleCategoryFactory,
    ArticlePageFactory,
    AuthorFactory,
    OpeningExceptionFactory,
    OpeningHoursFactory,
)
from tests.public_cache import read_twice

TAMIL_TITLE = "சூரிய ஒளியிலிருந்து சருமப் பாதுகாப்பு"


@pytest.fixture
def author(db):
    return AuthorFactory(name="Dr. Meena Raman", name_ta="டாக்டர் மீனா ராமன்", role_ta="")


@pytest.fixture
def category(db):
    return ArticleCategoryFactory(name="Sun protection", name_ta="")


@pytest.fixture
def translated(blog_page, author, category):
    """An article with a Tamil title and body but no Tamil introduction."""
    return ArticlePageFactory(
        parent=blog_page,
        title="Protecting skin from the sun",
        title_ta=TAMIL_TITLE,
        intro="Why sunscreen matters every day.",
        body=[{"type": "paragraph", "value": "<p>Apply sunscreen daily.</p>"}],
        body_ta=[{"type": "paragraph", "value": "<p>தினமும் சன்ஸ்கிரீன் பூசுங்கள்.</p>"}],
        category=category,
        authors=[author],
    )


@pytest.fixture
def english_only(blog_page, author, category):
    """An article nobody has translated yet: no Tamil title, introduction or body."""
    return ArticlePageFactory(
        parent=blog_page,
        title="Only in English",
        date=datetime.date(2020, 1, 1),
        category=category,
        authors=[author],
    )


def test_every_language_comes_as_a_map_of_each_languages_own_text(client, translated):
    response = client.get(f"/api/v3/articles/{translated.pk}/", {"lang": "*"})
    data = response.json()

    assert response.status_code == 200
    assert data["title"] == {"en": "Protecting skin from the sun", "ta": TAMIL_TITLE}
    assert data["intro"] == {"en": "Why sunscreen matters every day.", "ta": None}
    assert data["body"]["en"][0]["value"] == "<p>Apply sunscreen daily.</p>"
    assert data["body"]["ta"][0]["value"] == "<p>தினமும் சன்ஸ்கிரீன் பூசுங்கள்.</p>"
    assert data["authors"][0]["name"] == {"en": "Dr. Meena Raman", "ta": "டாக்டர் மீனா ராமன்"}
    assert data["authors"][0]["role"] == {"en": "Consultant dermatologist", "ta": None}
    assert data["category"]["name"] == {"en": "Sun protection", "ta": None}
    assert set(data["urls"]) == {"en", "ta"}
    assert data["meta"]["language"] == "*"
    assert data["meta"]["fallback_fields"]["en"] == []
    assert "intro" in data["meta"]["fallback_fields"]["ta"]
    assert "title" not in data["meta"]["fallback_fields"]["ta"]
    assert response["Content-Language"] == "en, ta"


def test_an_untranslated_title_is_null_in_tamil_in_every_language_lists(client, english_only, translated):
    cards = client.get("/api/v3/articles/", {"lang": "*"}).json()["items"]
    card = next(card for card in cards if card["id"] == english_only.pk)

    assert card["title"] == {"en": "Only in English", "ta": None}
    assert card["intro"]["ta"] is None and card["intro"]["en"]
    assert set(card["reading_time"]) == {"en", "ta"}
    assert card["urls"]["ta"].startswith("http://testserver/ta/")
    assert set(card["meta"]["fallback_fields"]["ta"]) >= {"title", "intro"}


def test_rich_text_links_lead_to_the_page_in_the_texts_language(client, blog_page):
    target = ArticlePageFactory(parent=blog_page, title="Sunscreen basics")
    link = f'<p>See <a linktype="page" id="{target.pk}">this</a>.</p>'
    article = ArticlePageFactory(
        parent=blog_page,
        body=[{"type": "paragraph", "value": link}],
        body_ta=[{"type": "paragraph", "value": link.replace("See", "பாருங்கள்")}],
    )

    body = client.get(f"/api/v3/articles/{article.pk}/", {"lang": "*"}).json()["body"]

    assert f'href="http://testserver/en/blog/{target.slug}/"' in body["en"][0]["value"]
    assert f'href="http://testserver/ta/blog/{target.slug}/"' in body["ta"][0]["value"]


def test_fallback_none_gives_null_and_still_names_the_fields(client, english_only):
    url = f"/api/v3/articles/{english_only.pk}/"
    with_fallback = client.get(url, {"lang": "ta"}).json()
    without = client.get(url, {"lang": "ta", "fallback": "none"}).json()

    assert with_fallback["title"] == "Only in English"  # the default is unchanged: English, flagged
    assert without["title"] is None
    assert without["intro"] is None
    assert without["body"] is None
    assert without["meta"] == with_fallback["meta"]
    assert set(without["meta"]["fallback_fields"]) >= {"title", "intro", "body"}
    assert without["authors"][0]["name"] == "டாக்டர் மீனா ராமன்"  # translated text is untouched


def test_fallback_none_changes_nothing_in_the_default_language(client, english_only):
    url = f"/api/v3/articles/{english_only.pk}/"
    assert client.get(url, {"fallback": "none"}).json() == client.get(url).json()


def test_fallback_en_is_the_default_said_out_loud(client, english_only):
    url = f"/api/v3/articles/{english_only.pk}/"
    assert client.get(url, {"lang": "ta", "fallback": "en"}).json()["title"] == "Only in English"


def test_authors_and_categories_come_in_every_language_with_their_own_meta(client, translated):
    [author] = client.get("/api/v3/authors/", {"lang": "*"}).json()
    [category] = client.get("/api/v3/categories/", {"lang": "*"}).json()
    tamil_category = client.get("/api/v3/categories/", {"lang": "ta", "fallback": "none"}).json()[0]

    assert author["name"] == {"en": "Dr. Meena Raman", "ta": "டாக்டர் மீனா ராமன்"}
    assert author["meta"]["fallback_fields"] == {"en": [], "ta": ["credentials", "role"]}
    assert category["name"] == {"en": "Sun protection", "ta": None}
    assert category["meta"] == {"language": "*", "fallback_fields": {"en": [], "ta": ["name"]}}
    assert tamil_category["name"] is None
    assert tamil_category["meta"] == {"language": "ta", "fallback_fields": ["name"]}


@pytest.fixture
def clinic(db, settings):
    settings.TIME_ZONE = "UTC"
    hours = OpeningHoursFactory(note_ta="முன்பதிவின் பேரில் மட்டும்")
    OpeningExceptionFactory(hours=hours, date=MONDAY + datetime.timedelta(days=1), label="Pongal holiday")
    ClinicDetails.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"clinic_name": "Skin Clinic", "clinic_name_ta": "தோல் கிளினிக்", "opening_hours": hours},
    )
    return hours


def test_the_clinic_and_its_hours_come_in_every_language(client, clinic):
    details = client.get("/api/v3/clinic/", {"lang": "*"}).json()
    hours = client.get("/api/v3/opening-hours/", {"lang": "*", "at": ist(MONDAY, 11).isoformat()}).json()

    assert details["clinic_name"] == {"en": "Skin Clinic", "ta": "தோல் கிளினிக்"}
    assert details["phone"] == ClinicDetails.objects.get().phone  # not translated: as it is
    assert details["meta"]["language"] == "*"
    assert hours["note"] == {"en": "On appointments", "ta": "முன்பதிவின் பேரில் மட்டும்"}
    assert hours["weekly"][0]["name"] == {"en": "Monday", "ta": "திங்கள்"}
    assert hours["exceptions"][0]["label"] == {"en": "Pongal holiday", "ta": None}
    assert hours["status_text"]["en"].startswith("Open now")
    assert (
        hours["status_text"]["ta"]
        == client.get("/api/v3/opening-hours/", {"lang": "ta", "at": ist(MONDAY, 11).isoformat()}).json()[
            "status_text"
        ]
    )


def test_delta_sync_works_in_every_language(client, blog_page, django_capture_on_commit_callbacks):
    gone = ArticlePageFactory(parent=blog_page, title="Soon unpublished")
    since = client.get("/api/v3/articles/", {"lang": "*"}).json()["server_time"]
    with django_capture_on_commit_callbacks(execute=True):
        new = ArticlePageFactory(parent=blog_page, title="Brand new", title_ta="புதியது")
        gone.unpublish()

    delta = client.get("/api/v3/articles/", {"lang": "*", "updated_since": since}).json()

    assert [card["title"] for card in delta["items"]] == [{"en": "Brand new", "ta": "புதியது"}]
    assert delta["items"][0]["id"] == new.pk
    assert delta["removed_ids"] == [gone.pk]


def test_each_language_variant_is_cached_apart(client, english_only):
    url = f"/api/v3/articles/{english_only.pk}/"
    variants = [{}, {"lang": "ta"}, {"lang": "ta", "fallback": "none"}, {"lang": "*"}]
    # Each variant is rendered by its own first read (never served another's copy), then cached.
    titles = [read_twice(client, url, params).json()["title"] for params in variants]

    assert titles == ["Only in English", "Only in English", None, {"en": "Only in English", "ta": None}]
    again = read_twice(client, url, {"lang": "*"}, HTTP_ACCEPT_LANGUAGE="ta")  # another Vary key
    assert again.json()["title"] == {"en": "Only in English", "ta": None}


@pytest.mark.parametrize("path", ["/api/v3/articles/", "/api/v3/articles/{id}/"])
def test_every_language_costs_no_extra_query(client, translated, english_only, path):
    url = path.format(id=translated.pk)

    def queries(language):
        caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, {"lang": language}).status_code == 200
        return len(context)

    queries("en")  # the renditions are made once
    assert queries("*") == queries("en")


def test_messages_with_every_language_follow_accept_language(client, clinic):
    response = client.get("/api/v3/opening-hours/", {"lang": "*", "at": "garbage"}, HTTP_ACCEPT_LANGUAGE="ta")

    assert response.status_code == 400
    assert response.json()["detail"] == "சில மதிப்புகள் சரியானவை அல்ல: எவை என்பதை `errors` கூறுகிறது."
    assert response["Content-Language"] == "ta"


def test_wagtails_own_endpoints_answer_every_language_in_one_and_say_which(
    client, translated, editor_authorization
):
    # /pages/ is for editors' tools
    response = client.get("/api/v3/pages/", {"lang": "*"}, HTTP_AUTHORIZATION=editor_authorization)

    assert response.status_code == 200
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"lang": "fr"}, "lang"),
        ({"lang": "**"}, "lang"),
        ({"fallback": "xyz"}, "fallback"),
        ({"lang": "*", "fallback": "ta"}, "fallback"),
    ],
)
def test_unsupported_values_are_400_problems_saying_what_to_send(client, translated, params, parameter):
    response = client.get("/api/v3/articles/", params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["errors"][0]["loc"] == ["query", parameter]
    assert "Supported:" in body["detail"]


def test_the_openapi_document_declares_both_parameters(client, db):
    document = client.get("/api/v3/openapi.json").json()
    paths = document["paths"]

    for path in [
        "/api/v3/articles/",
        "/api/v3/articles/{article_id}/",
        "/api/v3/authors/",
        "/api/v3/clinic/",
    ]:
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"] if p.get("in") == "query"}
        assert parameters["lang"]["schema"]["enum"] == ["en", "ta", "*"], path
        assert parameters["fallback"]["schema"]["enum"] == ["en", "none"], path
        assert "null" in parameters["fallback"]["description"]
    by_language = document["components"]["schemas"]["TextByLanguage"]
    assert set(by_language["required"]) == {"en", "ta"}
    title = document["components"]["schemas"]["ArticleCard"]["properties"]["title"]
    assert {"$ref": "#/components/schemas/TextByLanguage"} in title["anyOf"]
    assert "lang=*" in title["description"]
    pages = paths["/api/v3/pages/"]["get"]["parameters"]
    assert "fallback" not in {p.get("name") for p in pages}  # Wagtail's own speak one language

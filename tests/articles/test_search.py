"""
What the site's search and the API's find, in Tamil and English, on SQLite and PostgreSQL alike
(`make test`, `make test-services`): each word of a query matches whole words and the words it
begins, never a word that merely shares its first letters; titles and introductions rank above
the body; articles only unless all pages are asked for.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticlePage
from tests.factories import ArticlePageFactory, AuthorFactory


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


# Five articles, in both languages. Their Tamil words that begin alike on purpose: பருக்கள் and
# பராமரிப்பு, காலையில் and குளிர்காலச், சருமத் and சருமப், துளைகள் and துளைகளை.
ARTICLES = {
    "pimples": {
        "title": "Why pimples appear",
        "title_ta": "பருக்கள் ஏன் வருகின்றன?",
        "intro": "Oil, bacteria and blocked pores.",
        "intro_ta": "எண்ணெய், பாக்டீரியா, அடைபட்ட துளைகள்.",
        "body": paragraph("Wash gently twice a day."),
        "body_ta": paragraph("நாளுக்கு இரு முறை மென்மையாகக் கழுவுங்கள்."),
    },
    "winter": {
        "title": "Skin care in winter",
        "title_ta": "குளிர்காலச் சருமப் பராமரிப்பு",
        "intro": "Dry air needs a richer moisturiser.",
        "intro_ta": "வறண்ட காற்றுக்குக் கூடுதல் ஈரப்பதமூட்டி தேவை.",
        "body": paragraph("Apply it every morning after a bath."),
        "body_ta": paragraph("குளித்த பின் ஈரப்பதமூட்டியைத் தடவுங்கள்."),
    },
    "pores": {
        "title": "Micro-needling for open pores",
        "title_ta": "திறந்த சருமத் துளைகளுக்கு மைக்ரோ-நீட்லிங்",
        "intro": "What the treatment can and cannot do.",
        "intro_ta": "இந்தச் சிகிச்சையால் என்ன பலன் கிடைக்கும்.",
        "body": paragraph("Collagen grows back over weeks. Wear sunscreen every morning."),
        "body_ta": paragraph("கொலாஜன் சில வாரங்களில் வளர்கிறது. காலையில் சன்ஸ்கிரீன் பூசுங்கள்."),
    },
    "oily": {
        "title": "Five habits for oily skin",
        "title_ta": "எண்ணெய்ச் சருமத்துக்கு ஐந்து பழக்கங்கள்",
        "intro": "Small habits make a difference.",
        "intro_ta": "சிறிய பழக்கங்கள் பெரிய மாற்றம் தரும்.",
        "body": paragraph("Oily skin clogs pores. Keep pores clean, and pores look smaller."),
        "body_ta": paragraph("எண்ணெய்ப் பசை துளைகளை அடைக்கிறது; துளைகளைச் சுத்தமாக வைத்திருங்கள்."),
    },
    "hair": {
        "title": "Understanding hair fall",
        "title_ta": "முடி உதிர்தலைப் புரிந்துகொள்ளுதல்",
        "intro": "When shedding is normal.",
        "intro_ta": "முடி கொட்டுவது எப்போது இயல்பானது.",
        "body": paragraph("See a dermatologist if it lasts three months."),
        "body_ta": paragraph("மூன்று மாதங்கள் நீடித்தால் தோல் மருத்துவரைச் சந்தியுங்கள்."),
    },
}

# (query, the articles found, best first where the order is given by a headline; those never found)
TAMIL_QUERIES = [
    ("பரு", ["pimples"], ["winter"]),  # பருக்கள், never பராமரிப்பு
    ("பருக்கள்", ["pimples"], ["winter"]),
    ("பராமரிப்பு", ["winter"], ["pimples"]),
    ("காலை", ["pores"], ["winter"]),  # காலையில், never குளிர்காலச்
    ("துளை", ["pores", "pimples", "oily"], ["winter", "hair"]),  # துளைகளுக்கு, துளைகள், துளைகளை
    ("சருமத்", ["pores", "oily"], ["winter"]),  # சருமத், சருமத்துக்கு, never சருமப்
    ("கொலாஜன்", ["pores"], ["oily"]),  # in the body only
    ("உதிர்", ["hair"], ["oily"]),
    ("மைக்ரோ-நீட்லிங்", ["pores"], ["oily"]),
    ("ஈரப்பதமூட்டி", ["winter"], ["pores"]),  # ஈரப்பதமூட்டி, ஈரப்பதமூட்டியைத்
    ("எண்ணெய்ச் சருமத்துக்கு", ["oily"], ["pimples"]),  # every word must match
    ("வியர்வை", [], list(ARTICLES)),
]
ENGLISH_QUERIES = [
    ("pores", ["pores", "pimples", "oily"], ["winter"]),  # title, intro, then the body's three
    ("pore", ["pores", "pimples", "oily"], ["winter"]),
    ("care", ["winter"], ["pimples"]),
    ("pimples", ["pimples"], ["pores"]),
    ("WASH", ["pimples"], ["winter"]),
    ("morning", ["winter", "pores"], ["oily"]),  # both in the body
    ("collagen", ["pores"], ["oily"]),
    ("micro-needling", ["pores"], ["oily"]),
    ("micro needling", ["pores"], ["oily"]),
    ("hair fall", ["hair"], ["oily"]),
    ("oily skin", ["oily"], ["winter"]),
    ("sweat", [], list(ARTICLES)),
]
ORDERED = {"pores", "pore", "துளை"}  # queries where a headline match must come before a body match


@pytest.fixture
def articles(blog_page, home_page):
    pages = {key: ArticlePageFactory(parent=blog_page, **fields) for key, fields in ARTICLES.items()}
    # Not an article: found only when every page is searched.
    home_page.add_child(
        instance=Page(title="Morning consultations", title_ta="காலை நேர ஆலோசனைகள்", slug="book")
    )
    return {page.pk: key for key, page in pages.items()}


def found(client, articles, query, language="en", **params):
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    return [articles.get(page.pk, page.title) for page in response.context["results"]]


@pytest.mark.parametrize(("query", "expected", "never"), TAMIL_QUERIES + ENGLISH_QUERIES)
def test_search_finds_whole_words_and_their_beginnings(client, articles, query, expected, never):
    results = found(client, articles, query)

    assert sorted(results) == sorted(expected)
    assert not set(results) & set(never)
    if query in ORDERED:
        assert results[-1] == "oily"  # the only article with the word in its body alone


@pytest.mark.parametrize(("query", "expected", "never"), TAMIL_QUERIES[:4] + ENGLISH_QUERIES[:4])
def test_the_api_finds_the_same_articles_best_first(client, articles, query, expected, never):
    response = client.get("/api/v3/articles/", {"search": query})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(expected)
    assert sorted(articles[item["id"]] for item in body["items"]) == sorted(expected)


def test_a_title_match_ranks_above_matches_in_the_body(client, articles):
    assert found(client, articles, "pores")[0] == "pores"
    assert found(client, articles, "pores", language="ta")[0] == "pores"
    assert found(client, articles, "துளை")[-1] == "oily"


def test_the_api_ranks_a_title_match_first(client, articles):
    items = client.get("/api/v3/articles/", {"search": "pores"}).json()["items"]
    assert [articles[item["id"]] for item in items] == found(client, articles, "pores")


def test_other_pages_are_found_only_when_asked_for(client, articles):
    assert "Morning consultations" not in found(client, articles, "காலை")
    assert "Morning consultations" not in found(client, articles, "morning")

    everything = found(client, articles, "காலை", scope="pages")

    assert "Morning consultations" in everything
    assert "pores" in everything


def test_hidden_articles_are_neither_found_nor_counted(client, blog_page):
    shown = ArticlePageFactory(parent=blog_page, title="Collagen basics")
    ArticlePageFactory(parent=blog_page, title="Collagen draft", live=False)
    ArticlePageFactory(
        parent=blog_page, title="Collagen expired", expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    private = ArticlePageFactory(parent=blog_page, title="Collagen private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    site = client.get("/en/search/", {"q": "collagen"})
    every_page = client.get("/en/search/", {"q": "collagen", "scope": "pages"})
    api = client.get("/api/v3/articles/", {"search": "collagen"}).json()

    assert [page.pk for page in site.context["results"]] == [shown.pk]
    assert "1 result for “collagen”" in site.content.decode()
    assert [page.pk for page in every_page.context["results"]] == [shown.pk]
    assert api["count"] == 1
    assert [item["id"] for item in api["items"]] == [shown.pk]


@pytest.mark.parametrize("query", ["collagen", "collagen basics", "collagen OR basics"])
def test_searching_among_no_pages_finds_none(blog_page, query):
    """Found by make fuzz: a search whose filters leave nothing (`pk__in=[]`) failed on both databases."""
    ArticlePageFactory(parent=blog_page, title="Collagen basics")
    nothing = ArticlePage.objects.live().filter(pk__in=[]).search(query)

    assert nothing.count() == 0
    assert list(nothing) == []


def test_results_come_ten_a_page_with_their_count(client, blog_page):
    for number in range(23):
        ArticlePageFactory(parent=blog_page, title=f"Sunscreen note {number}")

    first = client.get("/en/search/", {"q": "sunscreen"})
    last = client.get("/en/search/", {"q": "sunscreen", "page": 3})

    assert len(first.context["results"]) == 10
    assert len(last.context["results"]) == 3
    assert "23 results for “sunscreen”" in first.content.decode()
    assert "Page 3 of 3" in last.content.decode()


def test_pages_of_results_show_every_match_once_headlines_first(client, blog_page):
    titled = {ArticlePageFactory(parent=blog_page, title=f"Sunscreen note {n}").pk for n in range(7)}
    in_body = {
        ArticlePageFactory(parent=blog_page, title=f"Summer note {n}", body=paragraph("Wear sunscreen.")).pk
        for n in range(8)
    }

    first = [page.pk for page in client.get("/en/search/", {"q": "sunscreen"}).context["results"]]
    second = [page.pk for page in client.get("/en/search/", {"q": "sunscreen", "page": 2}).context["results"]]

    assert set(first[:7]) == titled
    assert set(first[7:] + second) == in_body
    assert len(first + second) == 15


def test_a_page_of_results_loads_only_that_page(client, blog_page, django_assert_max_num_queries):
    for number in range(30):
        ArticlePageFactory(parent=blog_page, title=f"Sunscreen note {number}")
    client.get("/en/search/", {"q": "sunscreen"})  # sessions, site, caches warmed

    with django_assert_max_num_queries(20) as queries:  # the base template takes most of them
        client.get("/en/search/", {"q": "sunscreen", "page": 2})

    article_rows = [
        query["sql"] for query in queries.captured_queries if '"articles_articlepage"."body"' in query["sql"]
    ]
    assert article_rows == []  # no body is loaded to show ten titles


@pytest.mark.parametrize(
    ("language", "query", "suggestion"),
    [
        ("en", "sweat", "try the word in Tamil"),
        ("en", "வியர்வை", "try the word in English"),
        ("ta", "sweat", "அந்தச் சொல்லைத் தமிழில் தேடிப் பாருங்கள்"),
        ("ta", "வியர்வை", "அந்தச் சொல்லை ஆங்கிலத்தில் தேடிப் பாருங்கள்"),
    ],
)
def test_no_results_suggests_the_other_language(client, articles, language, query, suggestion):
    response = client.get(f"/{language}/search/", {"q": query})

    assert response.status_code == 200
    assert suggestion in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tokenizer")
def test_sqlite_keeps_tamil_vowel_signs_inside_words(articles):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, wagtailsearch_indexentry_fts, row)"
        )
        cursor.execute("SELECT term FROM temp.search_terms")
        terms = {row[0] for row in cursor.fetchall()}
        cursor.execute("DROP TABLE temp.search_terms")
    assert {"பருக்கள்", "பராமரிப்பு", "காலையில்", "துளைகளைச்"} <= terms
    assert "ப" not in terms and "ர" not in terms


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search configuration")
def test_postgresql_keeps_tamil_vowel_signs_inside_words(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', %s)::text", ["பருக்கள் பராமரிப்பு காலையில்"])
        vector = cursor.fetchone()[0]
    assert vector == "'காலையில்':3 'பராமரிப்பு':2 'பருக்கள்':1"


def test_editors_can_search_snippet_listings(admin_client, db):
    AuthorFactory(name="Dr. Kavitha Raman")

    response = admin_client.get("/admin/snippets/articles/author/", {"q": "Kavitha"})

    assert response.status_code == 200
    assert "Dr. Kavitha Raman" in response.content.decode()

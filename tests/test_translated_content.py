"""Tamil content, the visible English fallback, Tamil dates, Tamil slugs and the UI catalog."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.factories import ArticlePageFactory

NOTICE_TA = "இந்தப் பக்கம் இன்னும் தமிழில் மொழிபெயர்க்கப்படவில்லை"
PO_FILE = Path(settings.BASE_DIR) / "locale" / "ta" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ["cms", "home", "articles", "consultations", "templates"]


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def tamil_url(page):
    return url_in(page, "ta")


def test_a_fully_translated_article_shows_no_notice(client, blog_page):
    article = ArticlePageFactory(
        parent=blog_page,
        title="Sunscreen basics",
        title_ta="சன்ஸ்கிரீன் அடிப்படைகள்",
        intro_ta="தினமும் சன்ஸ்கிரீன் ஏன்?",
        body_ta=[{"type": "paragraph", "value": "<p>தினமும் பயன்படுத்துங்கள்.</p>"}],
    )

    html = client.get(tamil_url(article)).content.decode()

    assert NOTICE_TA not in html
    assert "<h1>சன்ஸ்கிரீன் அடிப்படைகள்</h1>" in html
    assert '<div class="article__body">' in html


def test_an_article_with_an_empty_tamil_body_falls_back_to_english_visibly(client, blog_page):
    article = ArticlePageFactory(
        parent=blog_page,
        title="Sunscreen basics",
        title_ta="சன்ஸ்கிரீன் அடிப்படைகள்",
        intro_ta="தினமும் சன்ஸ்கிரீன் ஏன்?",
        body=[{"type": "paragraph", "value": "<p>Wear it every day.</p>"}],
    )

    html = client.get(tamil_url(article)).content.decode()

    assert NOTICE_TA in html
    assert '<div class="article__body" lang="en">' in html
    assert "Wear it every day." in html
    assert "<h1>சன்ஸ்கிரீன் அடிப்படைகள்</h1>" in html  # the translated title is not marked English


def test_an_empty_tamil_title_shows_the_english_title_marked_english(client, blog_page):
    article = ArticlePageFactory(parent=blog_page, title="Sunscreen basics")

    html = client.get(tamil_url(article)).content.decode()

    assert '<h1 lang="en">Sunscreen basics</h1>' in html
    assert NOTICE_TA in html


def test_the_english_page_never_shows_the_notice(client, blog_page):
    article = ArticlePageFactory(parent=blog_page, title="Sunscreen basics")
    html = client.get(url_in(article, "en")).content.decode()
    assert "not been translated" not in html
    assert "<h1>Sunscreen basics</h1>" in html  # English on the English page is not marked
    assert '<div class="article__body">' in html


def cards(html):
    """Each article card's HTML, in order."""
    return re.findall(r'<article class="card">(.*?)</article>', html, re.S)


def test_an_english_only_article_carries_an_english_badge_in_tamil_lists(client, blog_page):
    ArticlePageFactory(parent=blog_page, title="Sunscreen basics", date=datetime.date(2024, 1, 2))
    ArticlePageFactory(
        parent=blog_page,
        title="Acne care",
        title_ta="முகப்பரு பராமரிப்பு",
        intro_ta="தினசரி பழக்கங்கள்.",
        date=datetime.date(2024, 1, 1),
    )

    english_only, tamil = cards(client.get(tamil_url(blog_page)).content.decode())

    assert '<span class="badge">ஆங்கிலம்</span>' in english_only
    assert '<h3 class="card__title" lang="en"><a' in english_only and ">Sunscreen basics</a>" in english_only
    assert '<p class="card__intro" lang="en">' in english_only
    assert "badge" not in tamil
    assert (
        "badge" not in client.get(url_in(blog_page, "en")).content.decode()
    )  # English is no news in English


def test_tags_show_on_english_pages_and_not_among_tamil_words(client, blog_page):
    article = ArticlePageFactory(
        parent=blog_page,
        title="Sunscreen basics",
        title_ta="சன்ஸ்கிரீன் அடிப்படைகள்",
        intro_ta="தினமும் சன்ஸ்கிரீன் ஏன்?",
        body_ta=[{"type": "paragraph", "value": "<p>தினமும் பயன்படுத்துங்கள்.</p>"}],
        tags=["sunscreen", "pigmentation"],
    )

    english = client.get(url_in(article, "en")).content.decode()
    tamil = client.get(tamil_url(article)).content.decode()

    assert 'class="article__tags"' in english and ">pigmentation</a>" in english
    assert 'class="article__tags"' not in tamil and "pigmentation" not in tamil


def test_dates_are_written_in_tamil_on_tamil_pages(client, blog_page):
    article = ArticlePageFactory(parent=blog_page, date=datetime.date(2022, 8, 4))

    assert "4 ஆகஸ்ட் 2022" in client.get(tamil_url(article)).content.decode()
    assert "Aug. 4, 2022" in client.get(url_in(article, "en")).content.decode()


def test_weekdays_and_hours_are_in_tamil_on_tamil_pages(client, demo):
    html = client.get("/ta/").content.decode()
    assert "திங்கள்" in html and "ஞாயிறு" in html
    assert "முன்பதிவின் பேரில் மட்டும்" in html  # the hours note, translated as data
    assert "வேலை நேரம்" in html


def test_a_tamil_slug_is_derived_from_the_tamil_title_when_left_empty(blog_page):
    article = ArticlePageFactory(parent=blog_page, title="Micro-needling", title_ta="மைக்ரோ-நீட்லிங் சிகிச்சை")
    assert article.slug_ta == "maikro-nitlin-cikiccai"
    assert article.slug_en == "micro-needling"
    assert tamil_url(article).endswith("/maikro-nitlin-cikiccai/")


def test_an_editors_tamil_slug_is_kept(blog_page):
    article = ArticlePageFactory(parent=blog_page, title_ta="மைக்ரோ-நீட்லிங்", slug_ta="micro-needling-ta")
    assert article.slug_ta == "micro-needling-ta"


def test_two_tamil_titles_that_transliterate_alike_get_distinct_slugs(blog_page):
    first = ArticlePageFactory(parent=blog_page, title_ta="முகப்பரு")
    second = ArticlePageFactory(parent=blog_page, title_ta="முகப்பரு")
    assert first.slug_ta != second.slug_ta


def test_the_demo_command_adds_tamil_to_content_loaded_before_it_had_translations(demo):
    from articles.models import ArticlePage

    seed = ArticlePage.objects.get(slug_en="is-micro-needling-effective-for-reducing-skin-pores")
    seed.title_ta = None
    seed.intro_ta = ""
    seed.save_revision().publish()

    call_command("load_demo_content", verbosity=0)

    seed.refresh_from_db()
    assert seed.title_ta.startswith("மைக்ரோ-நீட்லிங்")
    assert seed.intro_ta


def test_every_ui_string_has_a_tamil_translation(tmp_path, settings, monkeypatch):
    """No entry of the Tamil catalog is empty or fuzzy, and the code has no string it lacks."""
    catalog = polib.pofile(str(PO_FILE))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []

    # Extract the strings afresh from a copy of the sources, so the committed catalog is untouched.
    for name in SOURCE_DIRS:
        shutil.copytree(settings.BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("static"))
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["ta"], verbosity=0)

    extracted = polib.pofile(str(tmp_path / "locale" / "ta" / "LC_MESSAGES" / "django.po"))
    committed = {(entry.msgctxt, entry.msgid) for entry in catalog}
    missing = [entry.msgid for entry in extracted if (entry.msgctxt, entry.msgid) not in committed]
    assert missing == [], "Run `manage.py makemessages -l ta --ignore=.venv --ignore=tests` and translate"


@pytest.mark.skipif(not Path("/usr/bin/msgfmt").exists(), reason="GNU gettext's msgfmt is not installed")
def test_the_tamil_catalog_compiles_cleanly():
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"fuzzy|untranslated", result.stderr), result.stderr

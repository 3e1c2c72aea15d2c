"""`load_demo_content` builds the clinic's demo site, and running it again changes nothing."""

from io import StringIO
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from articles.models import ArticleCategory, ArticlePage, Author
from consultations.models import BookingPage
from home.models import ClinicDetails, HomePage, OpeningHours, OpeningHoursPage, OpeningSession

SEED_PATH = "/en/blog/is-micro-needling-effective-for-reducing-skin-pores/"


def counts():
    return {
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "authors": Author.objects.count(),
        "categories": ArticleCategory.objects.count(),
        "images": get_image_model().objects.count(),
        "hours": OpeningHours.objects.count(),
        "sessions": OpeningSession.objects.count(),
        "clinic details": ClinicDetails.objects.count(),
        "sites": Site.objects.count(),
    }


def load_demo_content():
    """Run the command as `make run` does; what it printed."""
    out = StringIO()
    call_command("load_demo_content", verbosity=1, stdout=out)
    return out.getvalue()


def test_running_twice_leaves_the_same_counts(db):
    """From an empty site (this test does not ask for `demo`): one run builds it, a second adds nothing."""
    assert not HomePage.objects.exists()

    created = load_demo_content()
    first = counts()
    again = load_demo_content()

    assert "Demo content:" in created and "changes" in created
    assert again.strip() == "Demo content already present; nothing to do."
    assert counts() == first
    assert first["articles"] >= 3 and first["categories"] >= 3 and first["sessions"] == 12


def test_the_sessions_demo_content_is_what_the_command_leaves(demo):
    """What tests asking for `demo` get (loaded once per session) is complete: another run adds nothing."""
    first = counts()
    assert load_demo_content().strip() == "Demo content already present; nothing to do."
    assert counts() == first
    assert first["articles"] >= 3 and first["categories"] >= 3 and first["sessions"] == 12


def test_an_editors_change_survives_a_second_run(demo):
    article = ArticlePage.objects.get(slug="is-micro-needling-effective-for-reducing-skin-pores")
    article.intro = "Edited by the clinic."
    article.save_revision().publish()

    call_command("load_demo_content", verbosity=0)

    article.refresh_from_db()
    assert article.intro == "Edited by the clinic."


def test_the_demo_site_root_is_the_clinic_home_page(demo):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.get_children().count() >= 1


def test_home_page_shows_the_call_to_action_latest_articles_and_hours(client, demo):
    response = client.get("/en/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Book a Consultation" in html
    assert "Is Micro-Needling Effective for Reducing Skin Pores?" in html
    assert html.count('<article class="card">') == 3
    assert '<a href="/en/blog/">All articles</a>' in html
    assert "On appointments" in html
    assert "10:00 AM – 1:00 PM" in html and "4:00 PM – 7:00 PM" in html
    assert "tel:+914440001234" in html


def test_blog_index_lists_the_seed_article(client, demo):
    response = client.get("/en/blog/")
    assert response.status_code == 200
    assert "Is Micro-Needling Effective for Reducing Skin Pores?" in response.content.decode()


def test_seed_article_shows_its_title_author_date_and_section_heading(client, demo):
    response = client.get(SEED_PATH)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Is Micro-Needling Effective for Reducing Skin Pores?</h1>" in html
    assert "Dr. Janani Palanivel" in html
    assert 'datetime="2022-08-04"' in html and "Aug. 4, 2022" in html
    assert "<h2>Need for Micro-Needling</h2>" in html
    assert "Health and beauty tips" in html


def test_seed_article_has_the_seed_metadata(demo):
    article = ArticlePage.objects.get(slug="is-micro-needling-effective-for-reducing-skin-pores")
    assert article.date.isoformat() == "2022-08-04"
    assert article.category.name == "Health and beauty tips"
    assert [author.name for author in article.authors] == ["Dr. Janani Palanivel"]
    assert article.live and article.hero_image and article.hero_image_alt


def test_seed_articles_fills_the_blog_with_copies_readers_can_open(client, demo):
    call_command("seed_articles", 11, skip_index=True, stdout=StringIO())

    articles = ArticlePage.objects.live().order_by("path")
    assert articles.count() == 11
    assert Page.find_problems() == ([], [], [], [], [])  # the tree's paths and child counts hold
    copy = articles.last()
    assert client.get(copy.url).status_code == 200
    tamil_copy = articles.filter(slug_ta__isnull=False).last()
    with translation.override("ta"):
        tamil_url = tamil_copy.get_url()
    assert tamil_url.startswith("/ta/")
    assert "மைக்ரோ-நீட்லிங்" in client.get(tamil_url).content.decode()
    assert '<article class="card">' in client.get("/en/blog/?page=2").content.decode()


EARLIER = yaml.safe_load((Path(settings.BASE_DIR) / "demo" / "superseded.yaml").read_text(encoding="utf-8"))
CONTENT = yaml.safe_load((Path(settings.BASE_DIR) / "demo" / "content.yaml").read_text(encoding="utf-8"))
OLD_CLINIC = "மருத்துவமனை"  # the word for "clinic" that locale/ta/GLOSSARY.md forbids, in every earlier text


def test_a_site_made_by_an_earlier_demo_gets_todays_tamil_wording_but_keeps_an_editors(
    client, demo, django_capture_on_commit_callbacks
):
    """
    A database from an earlier `make run` holds the demo's earlier Tamil texts: the next run replaces
    those still word for word the demo's, and leaves a field an editor changed, or a page with a draft.
    """
    seed = CONTENT["articles"][0]
    details = ClinicDetails.for_site(Site.objects.get(is_default_site=True))
    details.clinic_name_ta = EARLIER["clinic"]["clinic_name"]["ta"][0]
    details.save()
    author = Author.objects.get(slug="janani-palanivel")
    author.role_ta = EARLIER["authors"]["janani-palanivel"]["role"]["ta"][0]
    author.bio_ta = EARLIER["authors"]["janani-palanivel"]["bio"]["ta"][0]
    author.save()
    home = HomePage.objects.get()
    home.hero_intro_ta = EARLIER["home"]["hero_intro"]["ta"][0]
    home.save_revision().publish()
    article = ArticlePage.objects.get(slug=seed["slug"])
    article.body_ta = EARLIER["articles"][seed["slug"]]["body"]["ta"][0]
    article.save_revision().publish()
    booking = BookingPage.objects.get()  # an editor's own words, with the old term in them
    edited_intro = EARLIER["booking"]["intro"]["ta"][0].replace(
        "</p>", " சனிக்கிழமையும் திறந்திருக்கிறோம்.</p>", 1
    )
    booking.intro_ta = edited_intro
    booking.save_revision().publish()
    hours_page = OpeningHoursPage.objects.get()  # the demo's earlier text, and an editor's draft pending
    hours_page.intro_ta = EARLIER["hours_page"]["intro"]["ta"][0]
    hours_page.save_revision().publish()
    hours_page.title_en = "Hours (draft)"
    hours_page.save_revision()
    with translation.override("ta"):
        article_url = article.get_url()
    assert OLD_CLINIC in client.get("/ta/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # committed, as `make run` does
        printed = load_demo_content()

    home_html = client.get("/ta/").content.decode()
    article_html = client.get(article_url).content.decode()
    assert OLD_CLINIC not in home_html and OLD_CLINIC not in article_html
    assert CONTENT["clinic"]["clinic_name"]["ta"] in home_html
    assert CONTENT["home"]["hero_intro"]["ta"].strip() in home_html
    assert CONTENT["authors"][0]["role"]["ta"] in article_html
    author.refresh_from_db()
    assert author.bio_ta == CONTENT["authors"][0]["bio"]["ta"].strip()
    assert seed["body"]["ta"][7]["value"].strip() in article_html
    assert BookingPage.objects.get().intro_ta == edited_intro
    assert OpeningHoursPage.objects.get().intro_ta == EARLIER["hours_page"]["intro"]["ta"][0].strip()
    assert "home page: filled hero_intro_ta" in printed
    assert load_demo_content().strip() == "Demo content already present; nothing to do."


def test_the_earlier_demo_texts_are_not_todays():
    """demo/superseded.yaml lists only texts content.yaml has replaced (else a run would undo nothing)."""
    assert EARLIER["clinic"]["clinic_name"]["ta"] != [CONTENT["clinic"]["clinic_name"]["ta"]]
    for key in ("intro", "privacy_notice", "thank_you_text"):
        assert CONTENT["booking"][key]["ta"].strip() not in [
            text.strip() for text in EARLIER["booking"][key]["ta"]
        ]

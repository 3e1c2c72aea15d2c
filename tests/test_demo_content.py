"""`load_demo_content` builds the clinic's demo site, and running it again changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from articles.models import ArticleCategory, ArticlePage, Author
from home.models import ClinicDetails, HomePage, OpeningHours, OpeningSession

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

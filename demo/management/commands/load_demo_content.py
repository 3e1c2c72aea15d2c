"""Load the clinic's demo content from demo/content.yaml without ever overwriting an editor's work."""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from articles.models import ArticleAuthor, ArticleCategory, ArticlePage, Author, BlogIndexPage
from cms.i18n import is_empty, translated_fields
from consultations.models import BookingPage
from home.models import (
    ClinicDetails,
    HomePage,
    OpeningException,
    OpeningHours,
    OpeningHoursPage,
    OpeningSession,
)

DEMO_DIR = Path(__file__).resolve().parents[2]


def field_values(model, data, field_names):
    """
    The values to store for `field_names`, keyed by the attribute to set.

    A translated field gives `<name>_<lang>` for each language in the data (a plain string is
    English); other fields give `<name>` itself.
    """
    translated = set(translated_fields(model))
    values = {}
    for name in field_names:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if name not in translated:
            values[name] = value
            continue
        per_language = value if isinstance(value, dict) else {settings.LANGUAGE_CODE: value}
        for language, text in per_language.items():
            values[f"{name}_{language}"] = text.strip() if isinstance(text, str) else text
    return values


def superseded_values(model, superseded):
    """
    The earlier texts of the demo content (demo/superseded.yaml) for a model's fields, keyed by the
    attribute as `field_values` keys them: {`<name>_<lang>`: [text, ...]}.
    """
    values = {}
    for name, per_language in (superseded or {}).items():
        values.update(field_values(model, {name: per_language}, [name]))
    return values


def blocks(stream):
    """A StreamField value as (type, value) pairs, without the ids that differ between two copies."""
    return [(child.block_type, child.block.get_prep_value(child.value)) for child in stream]


def still_holds(current, earlier):
    """Whether a field's value is exactly one of its `earlier` demo texts."""
    for text in earlier:
        if isinstance(current, StreamValue):
            if blocks(current) == blocks(current.stream_block.to_python(text)):
                return True
        elif current == (text.strip() if isinstance(text, str) else text):
            return True
    return False


def fill(instance, values, superseded=None):
    """
    Set only the fields that are still empty, or that still hold an earlier demo text (`superseded`,
    from `superseded_values`) word for word; return the names that were set.
    """
    superseded = superseded or {}
    filled = []
    for name, value in values.items():
        current = getattr(instance, name, None)
        outdated = still_holds(current, superseded.get(name, [])) and current != value
        if (is_empty(current) or outdated) and not is_empty(value):
            setattr(instance, name, value)
            filled.append(name)
    return filled


def parse_time(text):
    return datetime.time.fromisoformat(str(text))


def session_order(session):
    return (session.weekday, session.opens, session.closes)


class Command(BaseCommand):
    help = (
        "Create the demo clinic (home, blog, articles, booking page, opening hours page, author, "
        "categories, opening hours, clinic details) from demo/content.yaml. Idempotent: what "
        "exists is kept, and only fields that are still empty (say, a translation added to the data "
        "since) are filled in, or that still hold word for word a text the demo has replaced since "
        "(demo/superseded.yaml)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(DEMO_DIR / "content.yaml"), help="The YAML file to load.")

    def handle(self, *args, **options):
        path = Path(options["data"])
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        earlier = path.parent / "superseded.yaml"
        self.superseded = yaml.safe_load(earlier.read_text(encoding="utf-8")) if earlier.exists() else {}
        self.image_dir = path.parent / "images"
        self.changes = []
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            images = self.load_images(data.get("images", []))
            categories = self.load_categories(data.get("categories", []))
            authors = self.load_authors(data.get("authors", []), images)
            hours = self.load_opening_hours(data["opening_hours"])
            home, site = self.load_home(data["home"])
            self.load_clinic_details(data["clinic"], site, hours)
            blog = self.load_blog(data["blog"], home)
            for article in data.get("articles", []):
                self.load_article(article, blog, categories, authors, images)
            if data.get("booking"):
                self.load_booking(data["booking"], home)
            if data.get("hours_page"):
                self.load_hours_page(data["hours_page"], home)
        if options["verbosity"] == 0:
            return
        if self.changes:
            self.stdout.write(self.style.SUCCESS(f"Demo content: {len(self.changes)} changes"))
            for label in self.changes:
                self.stdout.write(f"  + {label}")
        else:
            self.stdout.write("Demo content already present; nothing to do.")

    def note(self, label):
        self.changes.append(label)

    def earlier(self, model, *keys):
        """The earlier demo texts of a model's fields, at `keys` in demo/superseded.yaml."""
        entry = self.superseded
        for key in keys:
            entry = (entry or {}).get(key)
        return superseded_values(model, entry)

    def save_snippet(self, instance, values, label, superseded=None):
        """Create the snippet, or fill its empty (or still earlier demo) fields; say what happened."""
        created = instance.pk is None
        filled = fill(instance, values, superseded)
        if created or filled:
            instance.save()
            self.note(f"{label}" if created else f"{label}: filled {', '.join(filled)}")

    def save_page(self, page, values, parent, label, superseded=None):
        """
        Create and publish the page, or fill its empty (or still earlier demo) fields unless an
        editor has a draft pending.
        """
        if page.pk is None:
            fill(page, values)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.note(label)
            return page
        if page.has_unpublished_changes:
            return page
        filled = fill(page, values, superseded)
        if filled:
            page.save_revision().publish()
            self.note(f"{label}: filled {', '.join(filled)}")
        return page

    def load_images(self, entries):
        Image = get_image_model()
        images = {}
        for entry in entries:
            image = Image.objects.filter(title=entry["title"]).first()
            if image is None:
                # Through the storage API, so that a remote media storage works too.
                with open(self.image_dir / entry["file"], "rb") as handle:
                    image = Image(title=entry["title"])
                    image.file.save(entry["file"], File(handle), save=False)
                    image.save()
                self.note(f"image {entry['title']}")
            images[entry["file"]] = image
        return images

    def load_categories(self, entries):
        categories = {}
        for entry in entries:
            category = ArticleCategory.objects.filter(slug=entry["slug"]).first() or ArticleCategory(
                slug=entry["slug"]
            )
            values = field_values(ArticleCategory, entry, ["name"])
            self.save_snippet(category, values, f"category {entry['slug']}")
            categories[entry["slug"]] = category
        return categories

    def load_authors(self, entries, images):
        authors = {}
        for entry in entries:
            author = Author.objects.filter(slug=entry["slug"]).first() or Author(slug=entry["slug"])
            values = field_values(Author, entry, ["name", "credentials", "role", "bio"])
            values["photo"] = images.get(entry.get("photo"))
            earlier = self.earlier(Author, "authors", entry["slug"])
            self.save_snippet(author, values, f"author {entry['slug']}", earlier)
            authors[entry["slug"]] = author
        return authors

    def load_opening_hours(self, entry):
        hours = OpeningHours.objects.filter(name=entry["name"]).first()
        if hours is not None:
            self.save_snippet(hours, field_values(OpeningHours, entry, ["note"]), f"opening hours {hours}")
            self.sort_sessions(hours)
            return hours
        hours = OpeningHours(name=entry["name"], timezone=entry.get("timezone", "Asia/Kolkata"))
        fill(hours, field_values(OpeningHours, entry, ["note"]))
        sessions = [
            OpeningSession(weekday=weekday, opens=parse_time(s["opens"]), closes=parse_time(s["closes"]))
            for s in entry.get("sessions", [])
            for weekday in s["weekdays"]
        ]
        # The content lists a session for several days at once; the admin lists the rows in
        # sort_order, which should read day by day: Monday 10:00, Monday 16:00, Tuesday 10:00, ...
        hours.sessions = sorted(sessions, key=session_order)
        exceptions = []
        for e in entry.get("exceptions", []):
            exception = OpeningException(
                date=e["date"],
                closed=e.get("closed", True),
                opens=parse_time(e["opens"]) if e.get("opens") else None,
                closes=parse_time(e["closes"]) if e.get("closes") else None,
            )
            fill(exception, field_values(OpeningException, e, ["label"]))
            exceptions.append(exception)
        hours.exceptions = exceptions
        hours.full_clean()
        hours.save()
        self.note(f"opening hours {hours.name}")
        return hours

    def sort_sessions(self, hours):
        """Put the weekly sessions of hours loaded before in day-then-time order, once."""
        sessions = list(hours.sessions.order_by("sort_order", "pk"))
        in_order = sorted(sessions, key=session_order)
        if sessions == in_order:
            return
        for position, session in enumerate(in_order):
            session.sort_order = position
        OpeningSession.objects.bulk_update(in_order, ["sort_order"])
        self.note(f"opening hours {hours.name}: sessions in day order")

    def load_home(self, entry):
        home = HomePage.objects.first()
        root = Page.get_first_root_node()
        if home is None:
            # Wagtail's migrations leave a "Welcome to Wagtail" page as the site root; replace it.
            plain_pages = root.get_children().filter(
                content_type__app_label="wagtailcore", content_type__model="page"
            )
            for welcome in plain_pages:
                if not welcome.get_children().exists():
                    welcome.delete()
            home = HomePage(slug=entry["slug"])
        values = field_values(HomePage, entry, ["title", "hero_heading", "hero_intro", "cta_label"])
        self.save_page(home, values, root, "home page", self.earlier(HomePage, "home"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
            self.note("default site")
        return home, site

    def load_clinic_details(self, entry, site, hours):
        details = ClinicDetails.for_site(site)
        fields = ["clinic_name", "phone", "whatsapp", "email", "address", "map_url"]
        values = field_values(ClinicDetails, entry, fields)
        values["opening_hours"] = hours
        filled = fill(details, values, self.earlier(ClinicDetails, "clinic"))
        if filled:
            details.save()
            self.note(f"clinic details: filled {', '.join(filled)}")

    def load_blog(self, entry, home):
        blog = BlogIndexPage.objects.child_of(home).filter(slug=entry["slug"]).first()
        blog = blog or BlogIndexPage(slug=entry["slug"])
        self.save_page(blog, field_values(BlogIndexPage, entry, ["title", "intro"]), home, "blog")
        return blog

    def load_booking(self, entry, home):
        # There is one booking page (max_count = 1): an editor's, wherever it is, is kept.
        page = BookingPage.objects.first() or BookingPage(slug=entry["slug"])
        fields = ["title", "intro", "privacy_notice", "thank_you_heading", "thank_you_text"]
        values = field_values(BookingPage, entry, fields)
        self.save_page(page, values, home, "booking page", self.earlier(BookingPage, "booking"))

    def load_hours_page(self, entry, home):
        # One per site, under Home: an editor's (whatever its slug) is kept.
        page = OpeningHoursPage.objects.child_of(home).first() or OpeningHoursPage()
        values = field_values(OpeningHoursPage, entry, ["title", "slug", "intro"])
        self.save_page(page, values, home, "opening hours page", self.earlier(OpeningHoursPage, "hours_page"))

    def load_article(self, entry, blog, categories, authors, images):
        article = ArticlePage.objects.child_of(blog).filter(slug=entry["slug"]).first()
        if article is None:
            article = ArticlePage(
                slug=entry["slug"],
                date=entry["date"],
                category=categories[entry["category"]],
                hero_image=images.get(entry.get("hero_image")),
            )
            article.article_authors = [ArticleAuthor(author=authors[slug]) for slug in entry["authors"]]
            article.tags.set(entry.get("tags", []))
        values = field_values(ArticlePage, entry, ["title", "intro", "hero_image_alt", "body"])
        # The medical review goes in whole, and only where the article has none yet.
        if entry.get("reviewed_by") and not article.reviewed_by_id:
            values["reviewed_by"] = authors[entry["reviewed_by"]]
            values["last_reviewed"] = entry["last_reviewed"]
            values["next_review_due"] = entry.get("next_review_due")
        earlier = self.earlier(ArticlePage, "articles", entry["slug"])
        self.save_page(article, values, blog, f"article {entry['slug']}", earlier)

"""Load the clinic's demo content from home/demo/content.yaml: create what is missing, change nothing else."""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from articles.models import ArticleAuthor, ArticleCategory, ArticlePage, Author, BlogIndexPage
from home.models import ClinicDetails, HomePage, OpeningException, OpeningHours, OpeningSession

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def localized(value, language):
    """A field's text in one language from either a plain string (English) or a {lang: text} mapping."""
    if isinstance(value, dict):
        return value.get(language)
    return value if language == settings.LANGUAGE_CODE else None


def translated_fields(instance, data, field_names):
    """Field values for the default language plus `<field>_<lang>` where the model has translations."""
    values = {}
    for name in field_names:
        if name not in data:
            continue
        values[name] = localized(data[name], settings.LANGUAGE_CODE)
        if isinstance(data[name], dict):
            for language, text in data[name].items():
                localized_name = f"{name}_{language}"
                if language != settings.LANGUAGE_CODE and hasattr(instance, localized_name):
                    values[localized_name] = text
    return values


def parse_time(text):
    return datetime.time.fromisoformat(str(text))


class Command(BaseCommand):
    help = (
        "Create the demo clinic (home, blog, articles, author, categories, opening hours, clinic "
        "details) from home/demo/content.yaml. Idempotent: existing objects are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(DEMO_DIR / "content.yaml"), help="The YAML file to load.")

    def handle(self, *args, **options):
        path = Path(options["data"])
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.image_dir = path.parent / "images"
        self.created = []
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
        if self.created:
            self.stdout.write(self.style.SUCCESS(f"Created {len(self.created)} demo objects:"))
            for label in self.created:
                self.stdout.write(f"  + {label}")
        else:
            self.stdout.write("Demo content already present; nothing to do.")

    def note(self, label):
        self.created.append(label)

    def load_images(self, entries):
        Image = get_image_model()
        images = {}
        for entry in entries:
            image = Image.objects.filter(title=entry["title"]).first()
            if image is None:
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
            category = ArticleCategory.objects.filter(slug=entry["slug"]).first()
            if category is None:
                category = ArticleCategory(slug=entry["slug"])
                for name, value in translated_fields(category, entry, ["name"]).items():
                    setattr(category, name, value)
                category.save()
                self.note(f"category {category.name}")
            categories[entry["slug"]] = category
        return categories

    def load_authors(self, entries, images):
        authors = {}
        for entry in entries:
            author = Author.objects.filter(slug=entry["slug"]).first()
            if author is None:
                author = Author(slug=entry["slug"], photo=images.get(entry.get("photo")))
                fields = translated_fields(author, entry, ["name", "credentials", "role", "bio"])
                for name, value in fields.items():
                    setattr(author, name, value)
                author.save()
                self.note(f"author {author.name}")
            authors[entry["slug"]] = author
        return authors

    def load_opening_hours(self, entry):
        hours = OpeningHours.objects.filter(name=entry["name"]).first()
        if hours is not None:
            return hours
        hours = OpeningHours(timezone=entry.get("timezone", "Asia/Kolkata"))
        for name, value in translated_fields(hours, entry, ["name", "note"]).items():
            setattr(hours, name, value)
        hours.sessions = [
            OpeningSession(weekday=weekday, opens=parse_time(s["opens"]), closes=parse_time(s["closes"]))
            for s in entry.get("sessions", [])
            for weekday in s["weekdays"]
        ]
        exceptions = []
        for e in entry.get("exceptions", []):
            exception = OpeningException(
                date=e["date"],
                closed=e.get("closed", True),
                opens=parse_time(e["opens"]) if e.get("opens") else None,
                closes=parse_time(e["closes"]) if e.get("closes") else None,
            )
            for name, value in translated_fields(exception, e, ["label"]).items():
                setattr(exception, name, value)
            exceptions.append(exception)
        hours.exceptions = exceptions
        hours.full_clean()
        hours.save()
        self.note(f"opening hours {hours.name}")
        return hours

    def load_home(self, entry):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's migrations leave a "Welcome to Wagtail" page as the site root; replace it.
            plain_pages = root.get_children().filter(
                content_type__app_label="wagtailcore", content_type__model="page"
            )
            for welcome in plain_pages:
                if not welcome.get_children().exists():
                    welcome.delete()
            home = HomePage(slug=entry["slug"])
            fields = translated_fields(home, entry, ["title", "hero_heading", "hero_intro", "cta_label"])
            for name, value in fields.items():
                setattr(home, name, value)
            root.add_child(instance=home)
            home.save_revision().publish()
            self.note(f"home page {home.title}")
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
        if details.clinic_name:
            return
        fields = ["clinic_name", "phone", "whatsapp", "email", "address", "map_url"]
        for name, value in translated_fields(details, entry, fields).items():
            setattr(details, name, value.strip() if isinstance(value, str) else value)
        details.opening_hours = details.opening_hours or hours
        details.save()
        self.note(f"clinic details {details.clinic_name}")

    def load_blog(self, entry, home):
        blog = BlogIndexPage.objects.child_of(home).filter(slug=entry["slug"]).first()
        if blog is None:
            blog = BlogIndexPage(slug=entry["slug"])
            for name, value in translated_fields(blog, entry, ["title", "intro"]).items():
                setattr(blog, name, value)
            home.add_child(instance=blog)
            blog.save_revision().publish()
            self.note(f"blog {blog.title}")
        return blog

    def load_article(self, entry, blog, categories, authors, images):
        if ArticlePage.objects.child_of(blog).filter(slug=entry["slug"]).exists():
            return
        article = ArticlePage(
            slug=entry["slug"],
            date=entry["date"],
            category=categories[entry["category"]],
            hero_image=images.get(entry.get("hero_image")),
            reviewed_by=authors.get(entry.get("reviewed_by")),
            last_reviewed=entry.get("last_reviewed"),
        )
        fields = translated_fields(article, entry, ["title", "intro", "hero_image_alt", "body"])
        for name, value in fields.items():
            setattr(article, name, value)
        article.article_authors = [ArticleAuthor(author=authors[slug]) for slug in entry["authors"]]
        article.tags.set(entry.get("tags", []))
        blog.add_child(instance=article)
        article.save_revision().publish()
        self.note(f"article {article.title}")

"""Factories for the clinic's pages and snippets, so each test builds only what it needs."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from articles.models import ArticleAuthor, ArticleCategory, ArticlePage, Author, BlogIndexPage
from consultations.models import BookingPage, ConsultationRequest
from home.models import HomePage, OpeningException, OpeningHours, OpeningHoursPage, OpeningSession


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    hero_heading = "Healthy skin, explained by dermatologists"

    class Meta:
        model = HomePage


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    title = "Blog"
    slug = "blog"

    class Meta:
        model = BlogIndexPage


class AuthorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Dr. Author {n}")
    credentials = "MBBS, MD (Dermatology)"
    role = "Consultant dermatologist"

    class Meta:
        model = Author


class ArticleCategoryFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    class Meta:
        model = ArticleCategory


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article with one author; pass `authors=[...]` for others, `tags=[...]` for tags."""

    title = factory.Sequence(lambda n: f"Article {n}")
    intro = "A short introduction for the card."
    date = factory.Sequence(lambda n: datetime.date(2023, 1, 1) + datetime.timedelta(days=n))
    category = factory.SubFactory(ArticleCategoryFactory)
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>Sun, skin and sense.</p>"}])

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        authors = extracted if extracted is not None else [AuthorFactory()]
        obj.article_authors = [ArticleAuthor(author=author) for author in authors]
        if create:
            obj.save()

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if extracted:
            obj.tags.set(extracted)
            if create:
                obj.save()


CLINIC_SESSIONS = [(datetime.time(10), datetime.time(13)), (datetime.time(16), datetime.time(19))]


class OpeningHoursFactory(DjangoModelFactory):
    """The clinic's real hours: Monday–Saturday 10:00–13:00 and 16:00–19:00, Sunday closed."""

    name = "Clinic hours"
    note = "On appointments"
    timezone = "Asia/Kolkata"

    class Meta:
        model = OpeningHours
        skip_postgeneration_save = True

    @factory.post_generation
    def sessions(obj, create, extracted, **kwargs):
        spans = (
            extracted
            if extracted is not None
            else [
                (day, opens, closes)
                for day in range(6)
                for opens, closes in (
                    (datetime.time(10), datetime.time(13)),
                    (datetime.time(16), datetime.time(19)),
                )
            ]
        )
        obj.sessions = [OpeningSession(weekday=d, opens=o, closes=c) for d, o, c in spans]
        if create:
            obj.save()


class OpeningExceptionFactory(DjangoModelFactory):
    hours = factory.SubFactory(OpeningHoursFactory)
    label = "Holiday"
    closed = True

    class Meta:
        model = OpeningException


class BookingPageFactory(wagtail_factories.PageFactory):
    title = "Book a Consultation"
    title_ta = "ஆலோசனைக்கு முன்பதிவு"
    slug = "book"
    intro = "<p>Tell us when you would like to come.</p>"
    intro_ta = "<p>எப்போது வர விரும்புகிறீர்கள் என்று சொல்லுங்கள்.</p>"
    privacy_notice = "<p>We use your details only to arrange your consultation.</p>"
    privacy_notice_ta = "<p>உங்கள் விவரங்களை ஆலோசனைக்கு மட்டுமே பயன்படுத்துகிறோம்.</p>"
    thank_you_heading = "Thank you for your request"
    thank_you_heading_ta = "உங்கள் கோரிக்கைக்கு நன்றி"
    thank_you_text = "<p>We will call you within one working day.</p>"
    thank_you_text_ta = "<p>ஒரு வேலை நாளுக்குள் உங்களை அழைப்போம்.</p>"

    class Meta:
        model = BookingPage


class OpeningHoursPageFactory(wagtail_factories.PageFactory):
    title = "Opening hours & visiting"
    title_ta = "வேலை நேரமும் வருகை விவரமும்"
    slug = "opening-hours"
    intro = "When the doctors see patients, and how to reach the clinic."
    intro_ta = "மருத்துவர்கள் நோயாளிகளைப் பார்க்கும் நேரமும் கிளினிக்குக்கு வரும் வழியும்."

    class Meta:
        model = OpeningHoursPage


class ConsultationRequestFactory(DjangoModelFactory):
    """A stored request for next Monday's morning session (the date need not be valid today)."""

    name = factory.Sequence(lambda n: f"Patient {n}")
    phone = "+919876543210"
    email = ""
    preferred_date = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())
    )
    preferred_session = datetime.time(10)
    reason = "Acne on the cheeks."
    language = "en"
    consent = True

    class Meta:
        model = ConsultationRequest


def member(username, group):
    """An admin user in the group named `group` (the groups the data migrations create)."""
    user = get_user_model().objects.create_user(username=username, password="password")
    user.groups.add(Group.objects.get(name=group))
    return user

"""The site root and the clinic-wide content every page shows: opening hours and contact details."""

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import is_naive, now
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from cms.i18n import fallback_fields
from cms.pages import LinkedFromEveryPageMixin, TranslatedSlugMixin, find_site
from cms.seo import SCHEMA_ORG, StructuredDataMixin, page_url
from cms.shared_data import remember

from .clock import format_clock
from .forms import OpeningHoursForm

DEFAULT_CLINIC_TIMEZONE = "Asia/Kolkata"

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

TIMEZONE_CHOICES = [(name, name) for name in sorted(available_timezones())]

# How far ahead next_opening() looks before concluding the clinic never opens again.
NEXT_OPENING_HORIZON_DAYS = 400
# How far ahead holidays and special hours are announced: the one horizon of the opening hours
# page, the API's `exceptions` and the clinic's JSON-LD.
UPCOMING_EXCEPTIONS_DAYS = 60


class OpeningStatusMixin:
    """
    A page that says whether the clinic is open now ("Open now · until 1:00 PM"): its context has the
    clinic, its hours and their status as of the moment it is served, and the response is cached no
    longer than that status holds, since the public cache (cms/cache.py) takes a response's max-age as
    its timeout: "Open now" is never served from a copy made before closing time.
    """

    def get_context(self, request, *args, at=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # for_request() shares the instance (and its hours) with the footer's `settings` tag.
        clinic = ClinicDetails.for_request(request)
        hours = clinic.hours if clinic is not None else None
        context.update(clinic=clinic, hours=hours, status=hours.status(at) if hours else None)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, at=now(), **kwargs)
        status = response.context_data["status"]
        if status is not None:
            status.cache_until_change(response)
        return response


class HomePage(OpeningStatusMixin, TranslatedSlugMixin, Page):
    """The site root: a welcome, the call to book, the newest articles, this week's hours and contacts."""

    hero_heading = models.CharField(
        _("hero heading"),
        max_length=120,
        help_text=_("The large heading at the top of the home page."),
    )
    hero_intro = models.TextField(
        _("hero introduction"),
        max_length=500,
        blank=True,
        help_text=_("One or two sentences under the heading."),
    )
    cta_label = models.CharField(
        _("call to action label"),
        max_length=60,
        blank=True,
        help_text=_("The text of the main button. Left empty, it reads “Book a Consultation”."),
    )
    cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call to action page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Where the button leads. Left empty, it leads to the Book a Consultation page, "
            "or calls the clinic's phone number when there is none."
        ),
    )
    body = RichTextField(
        _("about the clinic"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Optional text shown below the latest articles."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_intro"),
                FieldRowPanel([FieldPanel("cta_label"), PageChooserPanel("cta_page")]),
            ],
            heading=_("Welcome"),
        ),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("hero_heading"),
        index.SearchField("hero_intro"),
        index.SearchField("body"),
    ]

    api_fields = [
        APIField("hero_heading"),
        APIField("hero_intro"),
        APIField("cta_label"),
        APIField("cta_page"),
        APIField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.BlogIndexPage", "consultations.BookingPage", "home.OpeningHoursPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


@dataclass(frozen=True)
class OpeningStatus:
    """
    What the opening hours say at one moment, for a line such as "Open now · until 1:00 PM" or
    "Closed · opens tomorrow at 10:00 AM". Every datetime is in the clinic's timezone.
    """

    at: datetime.datetime
    is_open: bool
    # Open: the end of the session under way. Closed: the next opening (None: none in sight).
    closes_at: datetime.datetime | None
    opens_at: datetime.datetime | None
    # Today's exception (holiday or special hours), and whether it closes the whole day.
    today_exception: "OpeningException | None"
    closed_today: bool
    # The exception on the day of the next opening, e.g. special hours on a Sunday.
    opening_exception: "OpeningException | None"
    # When this status (or the day it speaks of) next changes: a session's end or start, or midnight.
    changes_at: datetime.datetime

    @property
    def opens_in_days(self):
        """0 when the next opening is today, 1 tomorrow, and so on; None when there is none."""
        return (self.opens_at.date() - self.at.date()).days if self.opens_at else None

    @property
    def opening_weekday(self):
        return dict(WEEKDAY_CHOICES)[self.opens_at.weekday()] if self.opens_at else ""

    def cache_until_change(self, response):
        """Let `response` be cached (publicly, and by the public cache) no longer than this status holds."""
        max_age = min(settings.CACHE_MIDDLEWARE_SECONDS, self.seconds_until_change())
        patch_cache_control(response, public=True, max_age=max_age)

    def seconds_until_change(self):
        """Whole seconds from `at` until the status changes (at least 1), whatever the DST rules."""
        delta = self.changes_at.astimezone(datetime.UTC) - self.at.astimezone(datetime.UTC)
        return max(1, math.ceil(delta.total_seconds()))

    def sentence_parts(self):
        """
        The status sentence in the active language, in parts: the state ("Open now", "Closed today"),
        when it changes ("until 1:00 PM", "opens tomorrow at 10:00 AM") and any special hours today,
        each with the label of the exception it speaks of. `sentence()` joins them for the API; the
        hours page sets the state in bold and marks a label not yet translated with its language.
        """
        if self.is_open:
            state = gettext("Open now")
        elif self.closed_today:
            state = gettext("Closed today")
        else:
            state = pgettext("opening status", "Closed")
        parts = [StatusPart.about(state, self.today_exception if self.closed_today else None)]
        if self.is_open:
            parts.append(StatusPart.about(gettext("until %(time)s") % {"time": format_clock(self.closes_at)}))
        elif self.opens_at:
            later_day = self.opens_in_days > 0
            parts.append(
                StatusPart.about(self._opening_text(), self.opening_exception if later_day else None)
            )
        if self.today_exception is not None and not self.closed_today:
            parts.append(StatusPart.about(gettext("Special hours today"), self.today_exception))
        return parts

    def sentence(self):
        """The status as text in the active language: "Closed today (Pongal) · opens tomorrow at 10:00 AM"."""
        return " · ".join(
            f"{part.text} ({part.label})" if part.label else part.text for part in self.sentence_parts()
        )

    def _opening_text(self):
        time = format_clock(self.opens_at)
        if self.opens_in_days == 0:
            return gettext("opens today at %(time)s") % {"time": time}
        if self.opens_in_days == 1:
            return gettext("opens tomorrow at %(time)s") % {"time": time}
        if self.opens_in_days < 7:
            return gettext("opens %(day)s at %(time)s") % {"day": self.opening_weekday, "time": time}
        return gettext("opens on %(date)s at %(time)s") % {
            "date": date_format(self.opens_at.date(), "DATE_FORMAT"),
            "time": time,
        }


@dataclass(frozen=True)
class StatusPart:
    """A part of the status sentence, and the label of the holiday or special hours it speaks of."""

    text: str
    label: str = ""
    # The label's language when it is shown untranslated, in the default language; else "".
    label_language: str = ""

    @classmethod
    def about(cls, text, exception=None):
        if exception is None or not exception.label:
            return cls(text)
        untranslated = fallback_fields(exception, fields=["label"])
        return cls(text, exception.label, settings.LANGUAGE_CODE if untranslated else "")


class OpeningHours(index.Indexed, ClusterableModel):
    """
    When the clinic sees patients: weekly sessions, dated exceptions and a note.

    All times are wall-clock times in the clinic's own timezone, whatever the server's
    timezone is, so `is_open()` and `next_opening()` convert the moment asked about first.
    """

    name = models.CharField(
        _("name"),
        max_length=100,
        default="Clinic hours",
        help_text=_("For editors, e.g. “Clinic hours”. Not shown to patients."),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Shown with the hours, e.g. “On appointments”."),
    )
    timezone = models.CharField(
        _("timezone"),
        max_length=64,
        choices=TIMEZONE_CHOICES,
        default=DEFAULT_CLINIC_TIMEZONE,
        help_text=_("The clinic's local timezone: every time below is a local time there."),
    )

    base_form_class = OpeningHoursForm

    panels = [
        FieldPanel("name"),
        FieldPanel("note"),
        FieldPanel("timezone"),
        InlinePanel(
            "sessions",
            heading=_("Weekly sessions"),
            label=_("Session"),
            help_text=_("Add one row per session; a day without sessions is closed."),
        ),
        InlinePanel(
            "exceptions",
            heading=_("Exceptions"),
            label=_("Exception"),
            help_text=_(
                "Holidays and special hours. On a date listed here the weekly sessions do not apply."
            ),
        ),
    ]

    search_fields = [index.SearchField("name"), index.SearchField("note")]

    api_fields = [
        APIField("name"),
        APIField("note"),
        APIField("timezone"),
        APIField("sessions"),
        APIField("exceptions"),
    ]

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return ZoneInfo(self.timezone)

    def local_now(self, at=None):
        """`at` (default: now) as a wall-clock time in the clinic's timezone."""
        at = at or now()
        if is_naive(at):
            raise ValueError("OpeningHours needs an aware datetime, not a naive one.")
        return at.astimezone(self.tzinfo)

    def day_ends(self, at=None):
        """When the clinic's day of `at` (default: now) ends: its next midnight, aware."""
        tomorrow = self.local_now(at).date() + datetime.timedelta(days=1)
        return datetime.datetime.combine(tomorrow, datetime.time(), self.tzinfo)

    @cached_property
    def _weekly(self):
        weekly = {day: [] for day, _label in WEEKDAY_CHOICES}
        for session in self.sessions.all():
            weekly[session.weekday].append((session.opens, session.closes))
        return {day: sorted(times) for day, times in weekly.items()}

    @cached_property
    def _exceptions(self):
        by_date = {}
        for exception in self.exceptions.all():
            by_date.setdefault(exception.date, []).append(exception)
        return by_date

    def sessions_on(self, date):
        """The (opens, closes) local times for a date, exceptions taking precedence."""
        exceptions = self._exceptions.get(date)
        if exceptions is not None:
            return sorted((e.opens, e.closes) for e in exceptions if not e.closed)
        return self._weekly[date.weekday()]

    def exception_on(self, date):
        """The first exception on a date, or None: templates use its label."""
        exceptions = self._exceptions.get(date)
        return exceptions[0] if exceptions else None

    def weekly_sessions(self, weekday):
        """The regular (opens, closes) sessions of a weekday (0 = Monday), ignoring exceptions."""
        return self._weekly[weekday]

    def exception_dates(self, start, end):
        """The dates from `start` to `end` (inclusive) that have an exception, in order."""
        return sorted(date for date in self._exceptions if start <= date <= end)

    def upcoming_exceptions(self, at=None, days=UPCOMING_EXCEPTIONS_DAYS):
        """
        The dated exceptions from `at`'s day (clinic time) for `days` days, in order, for display:
        each a dict of the date, its label, the `exception` that gives it (the day's first with a
        label, else its first) and its sessions (none: closed that day).
        """
        today = self.local_now(at).date()
        upcoming = []
        for date in self.exception_dates(today, today + datetime.timedelta(days=days)):
            exceptions = self._exceptions[date]
            labelled = next((e for e in exceptions if e.label), exceptions[0])
            sessions = self.sessions_on(date)
            upcoming.append(
                {"date": date, "label": labelled.label, "exception": labelled, "sessions": sessions}
            )
        return upcoming

    def current_session(self, at=None):
        """
        The (opens, closes) local times of the session under way at `at` (default now), or None.
        Sessions that meet (10:00–13:00, 13:00–16:00) count as one: the clinic does not close between.
        """
        local = self.local_now(at)
        time = local.time().replace(tzinfo=None)
        sessions = self.sessions_on(local.date())
        for opens, closes in sessions:
            if opens <= time < closes:
                for later_opens, later_closes in sessions:  # sorted by opening time
                    if later_opens <= closes < later_closes:
                        closes = later_closes
                return opens, closes
        return None

    def is_open(self, at=None):
        """True when `at` (an aware datetime, default now) falls inside a session."""
        return self.current_session(at) is not None

    def status(self, at=None):
        """What the hours say at `at` (default now): see OpeningStatus."""
        local = self.local_now(at)
        today = local.date()
        midnight = datetime.datetime.combine(
            today + datetime.timedelta(days=1), datetime.time(0), self.tzinfo
        )
        exception = self.exception_on(today)
        closed_today = exception is not None and not self.sessions_on(today)
        session = self.current_session(local)
        if session is not None:
            closes_at = datetime.datetime.combine(today, session[1], self.tzinfo)
            return OpeningStatus(
                at=local,
                is_open=True,
                closes_at=closes_at,
                opens_at=None,
                today_exception=exception,
                closed_today=False,
                opening_exception=None,
                changes_at=min(closes_at, midnight),
            )
        opens_at = self.next_opening(local)
        return OpeningStatus(
            at=local,
            is_open=False,
            closes_at=None,
            opens_at=opens_at,
            today_exception=exception,
            closed_today=closed_today,
            opening_exception=self.exception_on(opens_at.date()) if opens_at else None,
            # "opens tomorrow" becomes "opens today" at midnight, and today's row in the week moves.
            changes_at=min(opens_at, midnight) if opens_at else midnight,
        )

    def next_opening(self, at=None):
        """The next moment after `at` that a session starts, in the clinic's timezone, or None."""
        local = self.local_now(at)
        for offset in range(NEXT_OPENING_HORIZON_DAYS):
            date = local.date() + datetime.timedelta(days=offset)
            for opens, _closes in self.sessions_on(date):
                start = datetime.datetime.combine(date, opens, tzinfo=self.tzinfo)
                if start > local:
                    return start
        return None

    def week(self, at=None):
        """The seven days from Monday of `at`'s week, each with its sessions, for display."""
        today = self.local_now(at).date()
        monday = today - datetime.timedelta(days=today.weekday())
        labels = dict(WEEKDAY_CHOICES)
        days = []
        for offset in range(7):
            date = monday + datetime.timedelta(days=offset)
            exception = self.exception_on(date)
            days.append(
                {
                    "date": date,
                    "weekday": labels[date.weekday()],
                    "sessions": self.sessions_on(date),
                    "exception": exception.label if exception else "",
                    "is_today": date == today,
                }
            )
        return days


class OpeningSession(Orderable):
    """One weekly session, e.g. Monday 10:00–13:00. A day may have several."""

    hours = ParentalKey(OpeningHours, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAY_CHOICES)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    api_fields = [APIField("weekday"), APIField("opens"), APIField("closes")]

    class Meta(Orderable.Meta):
        verbose_name = _("session")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        validate_session_times(self.opens, self.closes)


class OpeningException(Orderable):
    """A dated exception: closed for a holiday, or open at special times that day."""

    hours = ParentalKey(OpeningHours, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("e.g. “Pongal holiday”."))
    closed = models.BooleanField(
        _("closed all day"),
        default=True,
        help_text=_("Untick to give special opening times for this date instead."),
    )
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("label")]),
        FieldRowPanel([FieldPanel("closed"), FieldPanel("opens"), FieldPanel("closes")]),
    ]

    api_fields = [
        APIField("date"),
        APIField("label"),
        APIField("closed"),
        APIField("opens"),
        APIField("closes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("exception")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.label}".strip()

    def clean(self):
        super().clean()
        if self.closed:
            if self.opens is not None or self.closes is not None:
                raise ValidationError(
                    {"opens": _("A day marked closed has no opening times; untick “closed all day”.")}
                )
            return
        errors = {}
        if self.opens is None:
            errors["opens"] = _("Give the opening time, or tick “closed all day”.")
        if self.closes is None:
            errors["closes"] = _("Give the closing time, or tick “closed all day”.")
        if errors:
            raise ValidationError(errors)
        validate_session_times(self.opens, self.closes)


def validate_session_times(opens, closes):
    if opens is not None and closes is not None and closes <= opens:
        raise ValidationError(
            {"closes": _("A session must close after it opens (sessions cannot run past midnight).")}
        )


@register_setting(icon="home")
class ClinicDetails(BaseSiteSetting):
    """The clinic's name and contacts, shown in every page's footer and given to the API."""

    clinic_name = models.CharField(_("clinic name"), max_length=120)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("With country code, e.g. +91 44 1234 5678.")
    )
    whatsapp = models.CharField(
        _("WhatsApp number"),
        max_length=20,
        blank=True,
        help_text=_("With country code, e.g. +91 98765 43210."),
    )
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("postal address"), blank=True)
    map_url = models.URLField(_("map link"), blank=True, help_text=_("A link to the clinic on a map."))
    opening_hours = models.ForeignKey(
        OpeningHours,
        verbose_name=_("opening hours"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The hours shown on the site."),
    )

    panels = [
        FieldPanel("clinic_name"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("phone"), FieldPanel("whatsapp")]),
                FieldPanel("email"),
                FieldPanel("address"),
                FieldPanel("map_url"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("opening_hours"),
    ]

    api_fields = [
        APIField("clinic_name"),
        APIField("phone"),
        APIField("whatsapp"),
        APIField("email"),
        APIField("address"),
        APIField("map_url"),
        APIField("opening_hours"),
    ]

    # Wagtail's for_site() reads the chosen hours with the details.
    select_related = ["opening_hours"]

    class Meta:
        verbose_name = _("clinic details")
        verbose_name_plural = _("clinic details")

    def __str__(self):
        return self.clinic_name

    @classmethod
    def for_request(cls, request):
        """
        The clinic a request is about: the Clinic details of the request's site (Wagtail falls back
        to the default site for an unknown host), or of the default site outside a request; None
        when there is no site at all. Every part of the site and the API asks this, and then the
        details' `hours`, so none can show another site's details or hours. Looked up once per
        request, so the footer's `settings` tag and the page share one instance and its hours.
        """
        if request is None:
            site = Site.objects.filter(is_default_site=True).first()
            return cls.for_site(site) if site is not None else None
        site = find_site(request)
        if site is None:
            return None
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            # Kept between requests with its hours (cms/shared_data.py): saving either empties it.
            clinic = remember(request, f"clinic:{site.pk}", lambda: cls._with_hours(site))
            clinic._request = request  # as Wagtail's for_request() leaves it, for page URLs
            setattr(request, attr_name, clinic)
        return getattr(request, attr_name)

    def remember_for_the_day(self, request, key, compute):
        """
        `compute()`'s value for what every page of the clinic's site shows alike on the clinic's day
        (the week with today marked, the coming special hours), kept with what pages share
        (cms/shared_data.py) under `key` and that day until it ends.
        """
        hours = self.hours
        if hours is None:
            return remember(request, key, compute)
        today = hours.local_now().date()
        return remember(request, f"{key}:{today}", compute, until=lambda _value: hours.day_ends())

    @classmethod
    def _with_hours(cls, site):
        clinic = cls.for_site(site)
        clinic.hours  # noqa: B018 (computed now, so that it is kept with the details)
        return clinic

    @cached_property
    def hours(self):
        """
        The opening hours this clinic keeps: those chosen here, else the first Opening hours snippet
        (a clinic with one set of hours need not choose it); None when there are none. Sessions and
        exceptions come prefetched, so the week, the status and the booking form's checks cost no
        further queries.
        """
        if self.opening_hours_id:
            chosen = self.opening_hours  # read with the details (`select_related`)
            models.prefetch_related_objects([chosen], "sessions", "exceptions")
            return chosen
        return OpeningHours.objects.prefetch_related("sessions", "exceptions").order_by("pk").first()

    @property
    def phone_link(self):
        """The phone number as a `tel:` URI (digits and a leading +)."""
        return "tel:" + _dial_digits(self.phone) if self.phone else ""

    @property
    def whatsapp_link(self):
        return "https://wa.me/" + _dial_digits(self.whatsapp).lstrip("+") if self.whatsapp else ""


def _dial_digits(number):
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


class OpeningHoursPage(
    OpeningStatusMixin, LinkedFromEveryPageMixin, StructuredDataMixin, TranslatedSlugMixin, Page
):
    """
    "Opening hours & visiting": whether the clinic is open now, this week's sessions, the coming
    holidays and special hours, and how to reach the clinic. One per site, under Home.

    The hours shown are the ones chosen in Settings → Clinic details, so editors keep them in a
    single place (the Opening hours snippet); the page itself only holds its title and introduction.
    """

    intro = models.TextField(
        _("introduction"),
        max_length=500,
        blank=True,
        help_text=_(
            "A sentence or two under the heading, e.g. that the doctors see patients on appointment."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("opening hours page")

    def structured_data(self, request, context, clinic):
        """A WebPage about the clinic (whose own graph carries the hours)."""
        url = page_url(request, self)
        return [
            {
                "@context": SCHEMA_ORG,
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": self.title,
                "inLanguage": translation.get_language(),
                "about": {"@id": clinic["@id"]},
            }
        ]

    def get_context(self, request, *args, at=None, **kwargs):
        """The status (OpeningStatusMixin), this week and the coming exceptions, as of `at` (default now)."""
        context = super().get_context(request, *args, at=at, **kwargs)
        hours = context["hours"]
        context.update(
            week=hours.week(at) if hours else [],
            upcoming_exceptions=hours.upcoming_exceptions(at) if hours else [],
        )
        return context

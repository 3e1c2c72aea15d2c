"""The clinic part of the public API: contact details, and opening hours with whether the clinic is open."""

import datetime
from functools import partial
from typing import Annotated

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cms.i18n import content_languages
from cms.problems import documented_errors, reject_unknown_parameters
from cms.schemas import IsoDateTime, ItemMeta, TranslatedText, in_years, item_meta, per_language

from .models import UPCOMING_EXCEPTIONS_DAYS, WEEKDAY_CHOICES, ClinicDetails

router = Router(tags=["clinic"])

# The moments `at` may ask about: wide enough for any app, narrow enough to stay in the calendar.
AT_EARLIEST, AT_LATEST = 2000, 2100
AtMoment = in_years(IsoDateTime, AT_EARLIEST, AT_LATEST)

AT_DESCRIPTION = (
    "A moment to ask about instead of now: ISO 8601 with an offset, "
    "e.g. 2024-01-08T10:30:00+05:30 or 2024-01-08T05:00:00Z."
)
IN_CLINIC_TIME = "ISO 8601, in the clinic's timezone (`timezone`) whatever offset `at` was given in"


class Session(Schema):
    opens: str = Field(pattern=r"^\d\d:\d\d$", description="Local time in the clinic, 24-hour HH:MM.")
    closes: str = Field(pattern=r"^\d\d:\d\d$", description="Local time in the clinic, 24-hour HH:MM.")

    @staticmethod
    def of(sessions):
        return [Session(opens=f"{opens:%H:%M}", closes=f"{closes:%H:%M}") for opens, closes in sessions]


class WeekDay(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday.")
    name: per_language()
    sessions: list[Session] = Field(description="Empty when the clinic is closed that day.")


class ExceptionDay(Schema):
    date: datetime.date
    label: TranslatedText
    closed: bool
    sessions: list[Session]


class OpeningHoursOut(Schema):
    note: TranslatedText
    timezone: str = Field(description="The clinic's IANA timezone; every time and moment here is in it.")
    weekly: list[WeekDay]
    exceptions: list[ExceptionDay] = Field(
        description=f"Dated exceptions from `at`'s day (clinic time) for {UPCOMING_EXCEPTIONS_DAYS} days."
    )
    at: datetime.datetime = Field(
        description=f"The moment the status refers to: now, or the `at` asked about; {IN_CLINIC_TIME}."
    )
    open_now: bool
    open_until: datetime.datetime | None = Field(
        description=f"When the session under way at `at` ends; null when closed. {IN_CLINIC_TIME}."
    )
    next_opening: datetime.datetime | None = Field(
        description=f"The next start of a session after `at`; null when none within a year. {IN_CLINIC_TIME}."
    )
    status_text: per_language(
        "The status as a sentence, as the site shows it, e.g. “Open now · until 1:00 PM”."
    )
    meta: ItemMeta


class ClinicOut(Schema):
    clinic_name: TranslatedText
    phone: str
    phone_link: str
    whatsapp: str
    whatsapp_link: str
    email: str
    address: TranslatedText
    map_url: str
    meta: ItemMeta


CLINIC_FIELDS = tuple(name for name in ClinicOut.model_fields if name != "meta")


def clinic_for_request(request):
    clinic = ClinicDetails.for_request(request)
    if clinic is None:
        raise Http404("No site.")
    return clinic


@router.get(
    "/clinic/",
    response=ClinicOut,
    summary="Clinic details",
    operation_id="clinic_detail",
    openapi_extra=documented_errors(400, 404),
)
def get_clinic(request: HttpRequest):
    reject_unknown_parameters(request)
    clinic = clinic_for_request(request)
    languages = content_languages(request)
    return {**languages.values(clinic, CLINIC_FIELDS), "meta": item_meta(clinic, languages)}


@router.get(
    "/opening-hours/",
    response=OpeningHoursOut,
    summary="Opening hours, and whether the clinic is open",
    operation_id="opening_hours_detail",
    openapi_extra=documented_errors(400, 404, 422),
)
def get_opening_hours(
    request: HttpRequest,
    response: HttpResponse,
    at: Annotated[
        in_years(IsoDateTime, AT_EARLIEST, AT_LATEST) | None, Query(description=AT_DESCRIPTION)
    ] = None,
):
    """
    The weekly sessions, the coming exceptions and the status now, or at the moment `at` asks
    about. Every moment in the answer (`at`, `open_until`, `next_opening`) is given in the clinic's
    timezone, whatever offset `at` used. The answer for now is cached only until the status
    changes (`Cache-Control: max-age`); the answer for an `at` never changes.
    """
    reject_unknown_parameters(request, {"at"})
    if at is not None and timezone.is_naive(at):
        raise HttpError(400, "at needs a timezone, e.g. 2024-01-08T10:30:00+05:30.")
    hours = clinic_for_request(request).hours
    if hours is None:
        raise Http404("The clinic has no opening hours yet.")
    status = hours.status(at)
    if at is None:
        status.cache_until_change(response)
    languages = content_languages(request)
    return OpeningHoursOut(
        note=languages.value(hours, "note"),
        timezone=hours.timezone,
        weekly=[
            WeekDay(
                weekday=day,
                name=languages.each(partial(str, name)),
                sessions=Session.of(hours.weekly_sessions(day)),
            )
            for day, name in WEEKDAY_CHOICES
        ],
        exceptions=[
            ExceptionDay(
                date=exception["date"],
                label=languages.value(exception["exception"], "label"),
                closed=not exception["sessions"],
                sessions=Session.of(exception["sessions"]),
            )
            for exception in hours.upcoming_exceptions(status.at)
        ],
        at=status.at,
        open_now=status.is_open,
        open_until=status.closes_at,
        next_opening=hours.next_opening(status.at),
        status_text=languages.each(status.sentence),
        meta=item_meta(hours, languages),
    )

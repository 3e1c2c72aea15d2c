"""The clinic part of the public API: contact details and opening hours (open now, next opening)."""

import datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from wagtail.models import Site

from cms.problems import documented_errors, reject_unknown_parameters
from cms.schemas import ItemMeta, item_meta

from .models import WEEKDAY_CHOICES, ClinicDetails, OpeningHours

router = Router(tags=["clinic"])

# How far ahead the exceptions list looks.
EXCEPTIONS_HORIZON_DAYS = 90
# The moments `at` may ask about: wide enough for any app, narrow enough to stay in the calendar.
AT_EARLIEST, AT_LATEST = 2000, 2100


class Session(Schema):
    opens: str = Field(pattern=r"^\d\d:\d\d$", description="Local time in the clinic, 24-hour HH:MM.")
    closes: str = Field(pattern=r"^\d\d:\d\d$", description="Local time in the clinic, 24-hour HH:MM.")


def sessions_data(sessions):
    return [{"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"} for opens, closes in sessions]


class WeekDay(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday.")
    name: str
    sessions: list[Session] = Field(description="Empty when the clinic is closed that day.")


class ExceptionDay(Schema):
    date: datetime.date
    label: str
    closed: bool
    sessions: list[Session]


class OpeningHoursOut(Schema):
    note: str
    timezone: str
    weekly: list[WeekDay]
    exceptions: list[ExceptionDay] = Field(
        description=f"Dated exceptions from today (clinic time) for {EXCEPTIONS_HORIZON_DAYS} days."
    )
    at: datetime.datetime = Field(description="The moment `open_now` and `next_opening` refer to.")
    open_now: bool
    next_opening: datetime.datetime | None = Field(description="In the clinic's timezone.")
    meta: ItemMeta


class ClinicOut(Schema):
    clinic_name: str
    phone: str
    phone_link: str
    whatsapp: str
    whatsapp_link: str
    email: str
    address: str
    map_url: str
    meta: ItemMeta


def clinic_details(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site.")
    return ClinicDetails.for_site(site)


def clinic_hours(request):
    hours = clinic_details(request).opening_hours or OpeningHours.objects.first()
    if hours is None:
        raise Http404("The clinic has no opening hours yet.")
    return hours


@router.get(
    "/clinic/",
    response=ClinicOut,
    summary="Clinic details",
    operation_id="clinic_detail",
    openapi_extra=documented_errors(400, 404),
)
def get_clinic(request: HttpRequest):
    reject_unknown_parameters(request)
    details = clinic_details(request)
    return {
        "clinic_name": details.clinic_name,
        "phone": details.phone,
        "phone_link": details.phone_link,
        "whatsapp": details.whatsapp,
        "whatsapp_link": details.whatsapp_link,
        "email": details.email,
        "address": details.address,
        "map_url": details.map_url,
        "meta": item_meta(details),
    }


@router.get(
    "/opening-hours/",
    response=OpeningHoursOut,
    summary="Opening hours, and whether the clinic is open",
    operation_id="opening_hours_detail",
    openapi_extra=documented_errors(400, 404, 422),
)
def get_opening_hours(request: HttpRequest, at: datetime.datetime | None = None):
    """`at` (ISO 8601 with a timezone) asks about another moment than now."""
    reject_unknown_parameters(request, {"at"})
    if at is not None and timezone.is_naive(at):
        raise HttpError(400, "at needs a timezone, e.g. 2024-01-08T10:30:00+05:30.")
    if at is not None and not (AT_EARLIEST <= at.year <= AT_LATEST):
        raise HttpError(400, f"at must fall between the years {AT_EARLIEST} and {AT_LATEST}.")
    hours = clinic_hours(request)
    moment = at or timezone.now()
    local_today = hours.local_now(moment).date()
    weekday_names = dict(WEEKDAY_CHOICES)
    weekly = [
        {
            "weekday": day,
            "name": str(weekday_names[day]),
            "sessions": sessions_data(hours.weekly_sessions(day)),
        }
        for day, _name in WEEKDAY_CHOICES
    ]
    horizon = local_today + datetime.timedelta(days=EXCEPTIONS_HORIZON_DAYS)
    exceptions = [
        {
            "date": date,
            "label": hours.exception_on(date).label,
            "closed": not hours.sessions_on(date),
            "sessions": sessions_data(hours.sessions_on(date)),
        }
        for date in hours.exception_dates(local_today, horizon)
    ]
    next_opening = hours.next_opening(moment)
    return {
        "note": hours.note,
        "timezone": hours.timezone,
        "weekly": weekly,
        "exceptions": exceptions,
        "at": moment,
        "open_now": hours.is_open(moment),
        "next_opening": next_opening,
        "meta": item_meta(hours),
    }

"""The clinic as search engines read it: a schema.org MedicalClinic with its contacts and hours."""

import datetime

from cms.seo import SCHEMA_ORG, page_url
from home.models import UPCOMING_EXCEPTIONS_DAYS

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Holidays and special hours announced to search engines this many days ahead (as the hours page does).
SPECIAL_HOURS_AHEAD_DAYS = UPCOMING_EXCEPTIONS_DAYS


def clinic_id(request, home):
    """The clinic's JSON-LD node id, so an article's publisher can refer to it."""
    return f"{page_url(request, home)}#clinic"


def clinic_graph(request, clinic, home, at=None):
    """The clinic as a schema.org MedicalClinic: contacts, weekly hours, upcoming exceptions, map."""
    graph = {
        "@context": SCHEMA_ORG,
        "@type": "MedicalClinic",
        "@id": clinic_id(request, home),
        "name": clinic.clinic_name,
        "url": page_url(request, home),
        "medicalSpecialty": "Dermatology",
    }
    if clinic.phone:
        graph["telephone"] = clinic.phone
    if clinic.email:
        graph["email"] = clinic.email
    if clinic.address.strip():
        # The address is free text; splitting it into locality, postcode… would be guesswork,
        # so it is given as text (schema.org's `address` accepts Text), one line.
        graph["address"] = ", ".join(line.strip() for line in clinic.address.splitlines() if line.strip())
    if clinic.map_url:
        graph["hasMap"] = clinic.map_url
    hours = clinic.hours
    if hours is not None:
        graph["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"{SCHEMA_ORG}/{day}",
                "opens": f"{opens:%H:%M}",
                "closes": f"{closes:%H:%M}",
            }
            for weekday, day in enumerate(SCHEMA_DAYS)
            for opens, closes in hours.weekly_sessions(weekday)
        ]
        special = special_hours(hours, at)
        if special:
            graph["specialOpeningHoursSpecification"] = special
    return graph


def special_hours(hours, at=None):
    """The coming dated exceptions: special sessions, or 00:00–00:00 (schema.org's "closed")."""
    today = hours.local_now(at).date()
    specs = []
    for date in hours.exception_dates(today, today + datetime.timedelta(days=SPECIAL_HOURS_AHEAD_DAYS)):
        sessions = hours.sessions_on(date) or [(datetime.time(0), datetime.time(0))]
        specs += [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": date.isoformat(),
                "validThrough": date.isoformat(),
                "opens": f"{opens:%H:%M}",
                "closes": f"{closes:%H:%M}",
            }
            for opens, closes in sessions
        ]
    return specs


def clinic_reference(request, clinic, home):
    """The clinic as other graphs refer to it (an article's publisher, what a page is about)."""
    return {"@type": "MedicalClinic", "@id": clinic_id(request, home), "name": clinic.clinic_name}

import datetime

import pytest
from django.utils import translation
from wagtail.models import Site

from home.models import ClinicDetails
from tests.factories import BookingPageFactory, OpeningHoursFactory

CLINIC_EMAIL = "appointments@clinic.example"


@pytest.fixture
def clinic_hours(db):
    """The clinic's hours (Monday–Saturday 10–13 and 16–19), linked from the default site's details."""
    hours = OpeningHoursFactory()
    site = Site.objects.get(is_default_site=True)
    ClinicDetails.objects.update_or_create(
        site=site,
        defaults={
            "clinic_name": "Skin Clinic",
            "phone": "+91 44 4000 1234",
            "email": CLINIC_EMAIL,
            "opening_hours": hours,
        },
    )
    return hours


@pytest.fixture
def clinic(clinic_hours):
    """The default site's Clinic details, as ClinicDetails.for_request() gives them for its requests."""
    return ClinicDetails.objects.get(site__is_default_site=True)


@pytest.fixture
def booking_page(home_page, clinic_hours):
    return BookingPageFactory(parent=home_page)


@pytest.fixture
def next_monday(clinic_hours):
    """A Monday one to seven days ahead in the clinic's timezone: open, and neither past nor too far."""
    today = clinic_hours.local_now().date()
    return today + datetime.timedelta(days=7 - today.weekday())


@pytest.fixture
def valid_data(next_monday):
    return {
        "name": "Kavya Raman",
        "phone": "98765 43210",
        "email": "kavya@example.com",
        "preferred_date": next_monday.isoformat(),
        "preferred_session": "10:00",
        "reason": "Acne on my cheeks for a few months.",
        "language": "ta",
        "consent": "on",
        "website": "",
    }


def url_in(page, language, suffix=""):
    with translation.override(language):
        return page.get_url() + suffix

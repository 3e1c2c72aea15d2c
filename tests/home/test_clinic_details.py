"""
One answer to "whose details and which hours": ClinicDetails.for_request(request) and its `hours`.

Two clinics on two sites, and a stray Opening hours snippet created before both: every place that
shows or checks the hours (the hours page, the footer, the API, the booking form, the e-mail to
the clinic) must use the request's own clinic, and the first snippet only when that clinic has
chosen none.
"""

import datetime

import pytest
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.models import Page, Site

from consultations.models import ConsultationRequest
from home.models import ClinicDetails
from tests.factories import BookingPageFactory, HomePageFactory, OpeningHoursFactory, OpeningHoursPageFactory

BRANCH = "branch.example"
EVERY_DAY = range(7)


def hours_from(opens, closes, name):
    return OpeningHoursFactory(
        name=name, sessions=[(day, datetime.time(opens), datetime.time(closes)) for day in EVERY_DAY]
    )


@pytest.fixture
def clinics(home_page, settings):
    """The main clinic (Monday–Saturday 10–13 and 16–19) and a branch open daily 8–11, each with its pages."""
    settings.CONSULTATION_RATE_LIMIT = None
    stray = hours_from(14, 15, name="Old timetable")  # the first snippet: shown only as a fallback
    main = ClinicDetails.for_site(Site.objects.get(is_default_site=True))
    main.clinic_name, main.email, main.opening_hours = (
        "Main clinic",
        "main@clinic.example",
        OpeningHoursFactory(),
    )
    main.save()
    OpeningHoursPageFactory(parent=home_page)
    BookingPageFactory(parent=home_page)

    branch_home = HomePageFactory(parent=Page.get_first_root_node(), title="Branch", slug="branch-home")
    site = Site.objects.create(hostname=BRANCH, port=80, root_page=branch_home, site_name="Branch")
    branch = ClinicDetails.for_site(site)
    branch.clinic_name, branch.email = "Branch clinic", "branch@clinic.example"
    branch.opening_hours = hours_from(8, 11, name="Branch hours")
    branch.save()
    OpeningHoursPageFactory(parent=branch_home)
    BookingPageFactory(parent=branch_home)
    return {"main": main, "branch": branch, "stray": stray}


def at_branch(client, path, **kwargs):
    return client.get(path, HTTP_HOST=BRANCH, **kwargs)


def choose_no_hours(clinic):
    clinic.opening_hours = None
    clinic.save()


BRANCH_SESSION, MAIN_SESSION, STRAY_SESSION = "8:00 AM – 11:00 AM", "10:00 AM – 1:00 PM", "2:00 PM – 3:00 PM"


def test_each_site_gets_its_own_details_and_hours(clinics, rf):
    branch = ClinicDetails.for_request(rf.get("/", HTTP_HOST=BRANCH))
    main = ClinicDetails.for_request(rf.get("/"))

    assert (branch.clinic_name, branch.hours) == ("Branch clinic", clinics["branch"].opening_hours)
    assert (main.clinic_name, main.hours) == ("Main clinic", clinics["main"].opening_hours)
    assert ClinicDetails.for_request(None) == clinics["main"]  # outside a request: the default site's


def test_a_clinic_that_chose_no_hours_keeps_the_first_snippet(clinics, rf):
    choose_no_hours(clinics["branch"])
    assert ClinicDetails.for_request(rf.get("/", HTTP_HOST=BRANCH)).hours == clinics["stray"]


def test_no_site_means_no_clinic(db, rf):
    Site.objects.all().delete()
    assert ClinicDetails.for_request(rf.get("/")) is None
    assert ClinicDetails.for_request(None) is None


def test_the_hours_come_with_the_clinic_sessions_and_exceptions_included(
    clinics, rf, django_assert_num_queries
):
    clinic = ClinicDetails.for_request(rf.get("/", HTTP_HOST=BRANCH))
    with django_assert_num_queries(0):
        assert clinic.hours.week()
        clinic.hours.upcoming_exceptions()


@pytest.mark.parametrize("chosen", [True, False], ids=["its own", "none chosen"])
def test_the_hours_page_and_the_footer_show_the_sites_hours(client, clinics, chosen):
    if not chosen:
        choose_no_hours(clinics["branch"])
    expected = BRANCH_SESSION if chosen else STRAY_SESSION

    html = at_branch(client, "/en/opening-hours/").content.decode()
    page, footer = html.split('class="site-footer"')

    assert expected in strip_tags(page.split('class="hours-table"')[1])
    assert expected in footer
    assert MAIN_SESSION not in html


@pytest.mark.parametrize("chosen", [True, False], ids=["its own", "none chosen"])
def test_the_api_gives_the_hosts_hours(client, clinics, chosen):
    if not chosen:
        choose_no_hours(clinics["branch"])
    data = at_branch(client, "/api/v3/opening-hours/").json()

    expected = {"opens": "08:00", "closes": "11:00"} if chosen else {"opens": "14:00", "closes": "15:00"}
    assert data["weekly"][6]["sessions"] == [expected]
    assert at_branch(client, "/api/v3/clinic/").json()["clinic_name"] == "Branch clinic"


@pytest.mark.parametrize("chosen", [True, False], ids=["its own", "none chosen"])
def test_the_booking_form_offers_and_accepts_the_sites_sessions(client, clinics, chosen):
    today = clinics["branch"].opening_hours.local_now().date()
    if not chosen:
        choose_no_hours(clinics["branch"])
    start = "08:00" if chosen else "14:00"
    sunday = today + datetime.timedelta(days=(6 - today.weekday()) or 7)  # the next Sunday, not today

    form = at_branch(client, "/en/book/").context["form"]
    assert [value for value, _label in form.fields["preferred_session"].choices] == [start]

    response = client.post(
        "/en/book/",
        {
            "name": "Kavya Raman",
            "phone": "98765 43210",
            "preferred_date": sunday.isoformat(),  # the main clinic is closed on Sundays
            "preferred_session": start,
            "language": "en",
            "consent": "on",
        },
        HTTP_HOST=BRANCH,
    )
    assert response.status_code == 303, response.context["form"].errors
    assert ConsultationRequest.objects.get().preferred_session == datetime.time.fromisoformat(start)


def test_the_api_checks_a_request_against_the_hosts_hours_and_emails_that_clinic(
    client, clinics, mailoutbox, django_capture_on_commit_callbacks
):
    hours = clinics["branch"].opening_hours
    tomorrow = hours.local_now().date() + datetime.timedelta(days=1)
    body = {
        "name": "Kavya Raman",
        "phone": "98765 43210",
        "preferred_date": tomorrow.isoformat(),
        "preferred_session": "08:00",  # no such session at the main clinic
        "consent": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v3/consultation-requests/", body, content_type="application/json", HTTP_HOST=BRANCH
        )

    assert response.status_code == 201, response.json()
    [message] = mailoutbox
    assert message.to == ["branch@clinic.example"]


def test_the_booking_page_emails_its_own_clinic(
    client, clinics, mailoutbox, django_capture_on_commit_callbacks
):
    hours = clinics["branch"].opening_hours
    tomorrow = hours.local_now().date() + datetime.timedelta(days=1)
    data = {
        "name": "Kavya Raman",
        "phone": "98765 43210",
        "preferred_date": tomorrow.isoformat(),
        "preferred_session": "08:00",
        "language": "ta",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        assert client.post("/en/book/", data, HTTP_HOST=BRANCH).status_code == 303

    assert [message.to for message in mailoutbox] == [["branch@clinic.example"]]

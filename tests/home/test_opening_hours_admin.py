"""Editors get a clear form error for impossible opening hours, and nothing is saved."""

import re

from django.core.management import call_command
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from home.models import OpeningHours, OpeningSession

ADD_URL = "wagtailsnippets_home_openinghours:add"
EDIT_URL = "wagtailsnippets_home_openinghours:edit"


def hours_form(sessions, exceptions=()):
    return nested_form_data(
        {
            "name": "Clinic hours",
            "note": "On appointments",
            "timezone": "Asia/Kolkata",
            "sessions": inline_formset(list(sessions)),
            "exceptions": inline_formset(list(exceptions)),
        }
    )


def test_valid_hours_are_saved(admin_client):
    response = admin_client.post(
        reverse(ADD_URL),
        hours_form(
            [
                {"weekday": 0, "opens": "10:00", "closes": "13:00"},
                {"weekday": 0, "opens": "16:00", "closes": "19:00"},
            ]
        ),
    )
    assert response.status_code == 302
    hours = OpeningHours.objects.get()
    assert hours.sessions.count() == 2


def test_a_session_closing_before_it_opens_is_a_form_error(admin_client):
    response = admin_client.post(
        reverse(ADD_URL), hours_form([{"weekday": 0, "opens": "13:00", "closes": "10:00"}])
    )
    assert response.status_code == 200
    assert "A session must close after it opens" in response.content.decode()
    assert not OpeningHours.objects.exists()


def test_overlapping_sessions_on_one_day_are_a_form_error(admin_client):
    response = admin_client.post(
        reverse(ADD_URL),
        hours_form(
            [
                {"weekday": 2, "opens": "10:00", "closes": "13:00"},
                {"weekday": 2, "opens": "12:30", "closes": "15:00"},
            ]
        ),
    )
    assert response.status_code == 200
    assert "overlaps another session on the same day" in response.content.decode()
    assert not OpeningHours.objects.exists()


def test_the_same_times_on_different_days_do_not_overlap(admin_client):
    response = admin_client.post(
        reverse(ADD_URL),
        hours_form(
            [
                {"weekday": 0, "opens": "10:00", "closes": "13:00"},
                {"weekday": 1, "opens": "10:00", "closes": "13:00"},
            ]
        ),
    )
    assert response.status_code == 302


def test_a_closed_exception_with_times_is_a_form_error(admin_client):
    response = admin_client.post(
        reverse(ADD_URL),
        hours_form(
            [{"weekday": 0, "opens": "10:00", "closes": "13:00"}],
            [{"date": "2024-01-15", "label": "Pongal", "closed": "on", "opens": "10:00", "closes": ""}],
        ),
    )
    assert response.status_code == 200
    assert "A day marked closed has no opening times" in response.content.decode()
    assert not OpeningHours.objects.exists()


def test_special_hours_need_both_times(admin_client):
    response = admin_client.post(
        reverse(ADD_URL),
        hours_form([], [{"date": "2024-01-14", "label": "Skin camp", "opens": "09:00", "closes": ""}]),
    )
    assert response.status_code == 200
    assert "Give the closing time" in response.content.decode()
    assert not OpeningHours.objects.exists()


def listed_sessions(html):
    """(weekday, opens) of each session row, in the order the edit form lists them."""
    rows = re.findall(
        r'name="sessions-(\d+)-weekday".*?<option value="(\d)" selected'
        r'.*?name="sessions-\1-opens"[^>]*value="([\d:]+)"',
        html,
        re.S,
    )
    return [(int(weekday), opens[:5]) for _, weekday, opens in rows]


def test_the_edit_form_lists_the_demo_sessions_day_by_day(admin_client, demo):
    hours = OpeningHours.objects.get()
    response = admin_client.get(reverse(EDIT_URL, args=[hours.pk]))
    assert response.status_code == 200
    listed = listed_sessions(response.content.decode())
    assert len(listed) == hours.sessions.count() == 12
    assert listed[:3] == [(0, "10:00"), (0, "16:00"), (1, "10:00")]
    assert listed == sorted(listed)


def test_a_second_demo_load_puts_sessions_loaded_out_of_order_in_day_order(admin_client, demo):
    hours = OpeningHours.objects.get()
    for position, session in enumerate(hours.sessions.order_by("opens", "weekday")):
        OpeningSession.objects.filter(pk=session.pk).update(sort_order=position)

    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_content", verbosity=0)

    response = admin_client.get(reverse(EDIT_URL, args=[hours.pk]))
    listed = listed_sessions(response.content.decode())
    assert len(listed) == 12
    assert listed == sorted(listed)

"""Clinic details and opening hours over the API, with open-now computed on the server."""

import pytest


def test_clinic_details_in_both_languages(client, demo):
    english = client.get("/api/v3/clinic/").json()
    tamil = client.get("/api/v3/clinic/", {"lang": "ta"}).json()

    assert english["clinic_name"] == "Dr. Janani's Skin Clinic"
    assert english["phone_link"] == "tel:+914440001234"
    assert tamil["clinic_name"] == "டாக்டர் ஜனனியின் தோல் மருத்துவமனை"
    assert tamil["meta"]["fallback_fields"] == []


@pytest.mark.parametrize(
    ("at", "open_now", "next_opening"),
    [
        ("2024-01-08T12:59:00+05:30", True, "2024-01-08T16:00:00+05:30"),
        ("2024-01-08T15:59:00+05:30", False, "2024-01-08T16:00:00+05:30"),
        ("2024-01-13T19:00:00+05:30", False, "2024-01-15T10:00:00+05:30"),
        ("2024-01-08T04:45:00Z", True, "2024-01-08T16:00:00+05:30"),
    ],
)
def test_open_now_and_next_opening_at_a_given_moment(client, demo, at, open_now, next_opening):
    data = client.get("/api/v3/opening-hours/", {"at": at}).json()

    assert data["open_now"] is open_now
    assert data["next_opening"] == next_opening
    assert data["timezone"] == "Asia/Kolkata"
    assert data["note"] == "On appointments"


def test_weekly_sessions_and_tamil_names(client, demo):
    data = client.get("/api/v3/opening-hours/", {"lang": "ta"}).json()

    monday, sunday = data["weekly"][0], data["weekly"][6]
    assert monday["name"] == "திங்கள்"
    assert monday["sessions"] == [
        {"opens": "10:00", "closes": "13:00"},
        {"opens": "16:00", "closes": "19:00"},
    ]
    assert sunday["sessions"] == []
    assert data["note"] == "முன்பதிவின் பேரில் மட்டும்"


@pytest.mark.parametrize("at", ["2024-01-08T10:00:00", "not-a-date"])
def test_a_moment_without_timezone_or_malformed_is_a_4xx(client, demo, at):
    response = client.get("/api/v3/opening-hours/", {"at": at})
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")


def test_categories_with_article_counts_and_authors(client, demo):
    categories = {c["slug"]: c for c in client.get("/api/v3/categories/").json()}
    assert categories["health-and-beauty-tips"]["article_count"] == 1
    assert categories["health-and-beauty-tips"]["id"]

    tamil = {c["slug"]: c["name"] for c in client.get("/api/v3/categories/", {"lang": "ta"}).json()}
    assert tamil["acne-care"] == "முகப்பரு பராமரிப்பு"

    authors = client.get("/api/v3/authors/").json()
    assert authors[0]["slug"] == "janani-palanivel" and authors[0]["article_count"] == 4
    assert client.get("/api/v3/authors/janani-palanivel/", {"lang": "ta"}).json()["name"] == (
        "டாக்டர் ஜனனி பழனிவேல்"
    )
    assert client.get("/api/v3/authors/nobody/").status_code == 404

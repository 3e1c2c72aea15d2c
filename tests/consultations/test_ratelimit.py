"""The per-address limit the site and the API share: allowed or not, and for how long."""

import pytest
from django.test import RequestFactory

from consultations.ratelimit import check_rate_limit, client_ip


def test_requests_are_allowed_until_the_limit_is_reached(settings):
    settings.CONSULTATION_RATE_LIMIT = "2/h"
    for _ in range(2):
        assert check_rate_limit("192.0.2.1").allowed
        check_rate_limit("192.0.2.1", count=True)

    status = check_rate_limit("192.0.2.1")

    assert status.allowed is False
    assert 0 < status.retry_after <= 3600


def test_counting_says_whether_the_counted_request_was_within_the_limit(settings):
    settings.CONSULTATION_RATE_LIMIT = "1/m"
    assert check_rate_limit("192.0.2.1", count=True).allowed is True
    second = check_rate_limit("192.0.2.1", count=True)
    assert second.allowed is False and 0 < second.retry_after <= 60


def test_reading_the_limit_does_not_use_it_up(settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    for _ in range(5):
        assert check_rate_limit("192.0.2.1").allowed


def test_other_addresses_have_their_own_count(settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    check_rate_limit("192.0.2.1", count=True)
    assert check_rate_limit("192.0.2.1").allowed is False
    assert check_rate_limit("192.0.2.2").allowed is True


@pytest.mark.parametrize("rate", [None, ""])
def test_an_empty_rate_turns_the_limit_off(settings, rate):
    settings.CONSULTATION_RATE_LIMIT = rate
    for _ in range(10):
        check_rate_limit("192.0.2.1", count=True)
    status = check_rate_limit("192.0.2.1")
    assert status.allowed is True and status.retry_after == 0


def test_a_cache_outage_lets_patients_through(settings, monkeypatch):
    settings.CONSULTATION_RATE_LIMIT = "1/h"

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("consultations.ratelimit.get_usage", broken)
    assert check_rate_limit("192.0.2.1", count=True).allowed is True


@pytest.mark.parametrize(
    ("meta", "header", "expected"),
    [
        ({"REMOTE_ADDR": "192.0.2.7"}, "", "192.0.2.7"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "", "127.0.0.1"),
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.1.1.1, 203.0.113.9"},
            "X-Forwarded-For",
            "203.0.113.9",
        ),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "", "2001:db8:1:2::"),
        ({"REMOTE_ADDR": "not an address"}, "", "unknown"),
    ],
)
def test_the_client_address_is_the_connections_or_the_trusted_proxys(settings, meta, header, expected):
    settings.CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected

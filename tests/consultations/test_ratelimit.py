"""The per-address limit the site and the API share: allowed or not, for how long, and under concurrency."""

import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from consultations.ratelimit import take_place

ADDRESS = "192.0.2.1"


def test_requests_are_allowed_until_the_limit_is_reached(settings):
    settings.CONSULTATION_RATE_LIMIT = "2/h"
    assert take_place(ADDRESS).allowed
    assert take_place(ADDRESS).allowed

    refused = take_place(ADDRESS)

    assert refused.allowed is False
    assert 0 < refused.retry_after <= 3600


def test_a_place_given_back_is_free_again(settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    place = take_place(ADDRESS)
    place.give_back()
    place.give_back()  # only the first call counts

    assert take_place(ADDRESS).allowed
    assert take_place(ADDRESS).allowed is False


def test_refused_attempts_do_not_use_up_the_limit(settings):
    settings.CONSULTATION_RATE_LIMIT = "1/m"
    accepted = take_place(ADDRESS)
    for _ in range(5):
        assert take_place(ADDRESS).allowed is False

    accepted.give_back()  # say the accepted one turned out invalid after all

    assert take_place(ADDRESS).allowed


def test_other_addresses_have_their_own_count(settings):
    settings.CONSULTATION_RATE_LIMIT = "1/h"
    take_place(ADDRESS)
    assert take_place(ADDRESS).allowed is False
    assert take_place("192.0.2.2").allowed is True


@pytest.mark.parametrize("rate", [None, ""])
def test_an_empty_rate_turns_the_limit_off(settings, rate):
    settings.CONSULTATION_RATE_LIMIT = rate
    places = [take_place(ADDRESS) for _ in range(10)]
    assert all(place.allowed and place.retry_after == 0 for place in places)


@pytest.mark.parametrize("rate", ["5", "5/w", "five/h", "5/h/2"])
def test_a_malformed_rate_is_a_configuration_error(settings, rate):
    settings.CONSULTATION_RATE_LIMIT = rate
    with pytest.raises(ImproperlyConfigured):
        take_place(ADDRESS)


def test_a_cache_outage_lets_patients_through(settings, monkeypatch):
    settings.CONSULTATION_RATE_LIMIT = "1/h"

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", broken)
    assert take_place(ADDRESS).allowed is True
    assert take_place(ADDRESS).allowed is True


def test_thirty_attempts_at_once_take_exactly_five_places(settings):
    """Counting comes first, atomically: with `make test-services` this runs against Redis."""
    settings.CONSULTATION_RATE_LIMIT = "5/h"
    start = threading.Barrier(30)
    places = []

    def attempt():
        start.wait()
        places.append(take_place(ADDRESS))

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(places) == 30
    assert sum(place.allowed for place in places) == 5

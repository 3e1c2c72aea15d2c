"""
The per-address limit on consultation requests, shared by the site and the API.

Each attempt first takes a place: one atomic increment of a counter per address and time window
in the default cache (Redis in production, so every server process shares it; local memory in
one process), and only the count that increment returns decides. So thirty requests at once from
one address against "5/h" let exactly five through, however the server runs them. An attempt
that is not accepted in the end (refused by the limit, or its fields are wrong) gives its place
back, so only accepted requests use up the limit. The windows are fixed (for "5/h", the clock
hour), so a client that spreads its requests over two windows can send up to twice the limit in
an hour.
"""

import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
KEY_PREFIX = "consultations:rate"


def parse_rate(rate):
    """ "5/h" → (5, 3600); "10/2m" → (10, 120)."""
    match = RATE.match(rate.strip())
    if not match:
        raise ImproperlyConfigured(
            f"CONSULTATION_RATE_LIMIT must read count/period, e.g. 5/h (period s, m, h or d), not {rate!r}."
        )
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * PERIODS[unit]


@dataclass
class Place:
    """One attempt's place in its address's count: allowed or not, and what to give back."""

    allowed: bool
    retry_after: int = 0
    """Seconds until a request from this address would be allowed again (0 when allowed)."""
    counter: str | None = None
    """The cache key this attempt was counted in (None when nothing was counted)."""

    def give_back(self):
        """Uncount this attempt: it was not accepted. Only the first call counts."""
        counter, self.counter = self.counter, None
        if counter is None:
            return
        try:
            cache.decr(counter)
        except ValueError:
            pass  # the window has ended and its counter expired: nothing left to give back
        except Exception:
            logger.exception("Consultation rate limit: the cache could not be reached to give a place back.")


def take_place(client_address):
    """
    Count one consultation request from `client_address` now, and say whether it is within
    settings.CONSULTATION_RATE_LIMIT. An attempt that is refused here has already given its place
    back; one that is allowed must give it back (Place.give_back()) if it is not accepted in the
    end. Always allowed when the limit is off, and when the cache cannot be reached (a cache outage
    must not stop patients from booking).
    """
    rate = settings.CONSULTATION_RATE_LIMIT
    if not rate:
        return Place(allowed=True)
    limit, period = parse_rate(rate)
    now = int(time.time())
    window_start = now - now % period
    counter = f"{KEY_PREFIX}:{period}:{window_start}:{client_address}"
    try:
        count = _increment(counter, timeout=period + 5)
    except Exception:
        logger.exception("Consultation rate limit: the cache could not be reached; allowing the request.")
        return Place(allowed=True)
    place = Place(allowed=True, counter=counter)
    if count <= limit:
        return place
    place.give_back()
    return Place(allowed=False, retry_after=max(1, window_start + period - now))


def _increment(counter, timeout):
    """Add one to `counter` (created at 0 when missing) and return the new count, atomically."""
    for _attempt in range(2):
        cache.add(counter, 0, timeout)  # only where it is missing; atomic, like incr
        try:
            return cache.incr(counter)
        except ValueError:
            continue  # it expired between add and incr: make it again
    raise RuntimeError(f"Could not count {counter}.")

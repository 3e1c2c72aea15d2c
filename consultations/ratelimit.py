"""
The per-IP limit on consultation requests, shared by the site and the API.

Counting is django-ratelimit's (a counter per client address and time window in the default
cache); this module only decides what is counted and answers with a `RateLimitStatus` that says
whether a request is allowed and, if not, in how many seconds it would be (for Retry-After).
The windows are fixed (e.g. the clock hour, shifted by a per-address offset), so a client that
spreads its requests over two windows can send up to twice the limit in an hour.
"""

import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

RATE_LIMIT_GROUP = "consultations.request"


@dataclass(frozen=True)
class RateLimitStatus:
    allowed: bool
    retry_after: int = 0
    """Seconds until a request from this address would be allowed again (0 when allowed)."""


ALLOWED = RateLimitStatus(allowed=True)


def client_ip(request):
    """
    The visitor's address: the connection's, or the last address in settings.CLIENT_IP_HEADER
    (the one the trusted reverse proxy saw). IPv6 addresses are grouped by /64, the block one
    household or phone usually has.
    """
    raw = ""
    if settings.CLIENT_IP_HEADER:
        meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        raw = request.META.get(meta_key, "").split(",")[-1].strip()
    raw = raw or request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def check_rate_limit(client_address, *, count=False):
    """
    Whether one more consultation request from `client_address` is allowed now.

    With `count=True` the request is also counted (call it once a request is accepted); without,
    the counter is only read. Always allowed when settings.CONSULTATION_RATE_LIMIT is empty, and
    when the cache cannot be reached (a cache outage must not stop patients from booking).
    """
    rate = settings.CONSULTATION_RATE_LIMIT
    if not rate:
        return ALLOWED
    try:
        usage = get_usage(
            None,  # the counter is keyed by the address given, not read from a request
            group=RATE_LIMIT_GROUP,
            key=lambda _group, _request: client_address,
            rate=rate,
            increment=count,
        )
    except Exception:
        logger.exception("Consultation rate limit: the cache could not be reached; allowing the request.")
        return ALLOWED
    if usage is None:
        return ALLOWED
    # Counting turns the n-th request into count n; reading leaves it at n - 1.
    over = usage["count"] > usage["limit"] if count else usage["count"] >= usage["limit"]
    if not over:
        return ALLOWED
    return RateLimitStatus(allowed=False, retry_after=max(1, usage["time_left"]))

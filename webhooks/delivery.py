"""Sending one event to one endpoint: a signed POST with a short timeout; its outcome is never an error."""

from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils import timezone

from .models import RESPONSE_EXCERPT_LENGTH
from .signing import SIGNATURE_HEADER, signature_header

USER_AGENT = "SkinClinicCMS-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What an attempt came to: the receiver's status and the start of its answer, or why there was none."""

    status_code: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def delivered(self):
        return self.status_code is not None and 200 <= self.status_code < 300


def post_event(delivery):
    """POST the delivery's event to its endpoint, signed; any status but 2xx, or no answer, is a failure."""
    event, endpoint = delivery.event, delivery.endpoint
    body = event.body()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(endpoint.secret, timestamp, body),
        "Clinic-Event": event.type,
        "Clinic-Event-Id": str(event.pk),
        "Clinic-Delivery": str(delivery.pk),
    }
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    try:
        # Not following redirects: a receiver that moved must be given its new URL.
        with requests.post(
            endpoint.url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True
        ) as response:
            excerpt = response.raw.read(RESPONSE_EXCERPT_LENGTH, decode_content=True)
            return Outcome(status_code=response.status_code, excerpt=excerpt.decode("utf-8", "replace"))
    except requests.Timeout:
        return Outcome(error=f"No answer within {timeout:g} seconds.")
    except requests.ConnectionError as error:
        return Outcome(error=f"Could not connect: {_reason(error)}")
    except (requests.RequestException, OSError) as error:
        return Outcome(error=f"Request failed: {_reason(error)}")


def _reason(error):
    """The innermost cause of a requests error, the part a person can act on ("Connection refused")."""
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        inner = getattr(error, "reason", None) or error.__cause__ or (error.args[0] if error.args else None)
        if not isinstance(inner, BaseException):
            break
        error = inner
    return str(error)[:200] or type(error).__name__

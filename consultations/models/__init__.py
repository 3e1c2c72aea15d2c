"""
Book a Consultation: the patients' requests (requests.py), the keys that make sending one safe to
repeat (idempotency.py) and the page where they make them (pages.py). The form and the service need
only the first two, and the page uses both, so forms.py and services.py import `.models.requests`
and `.models.idempotency`, never this package's pages.
"""

from .idempotency import IdempotencyKey
from .pages import BookingPage
from .requests import ConsultationRequest

__all__ = ["BookingPage", "ConsultationRequest", "IdempotencyKey"]

"""
Book a Consultation: the patients' requests (requests.py) and the page where they make them
(pages.py). The form and the service need only the request model, and the page uses both, so
forms.py and services.py import `.models.requests`, never this package's pages.
"""

from .pages import BookingPage
from .requests import ConsultationRequest

__all__ = ["BookingPage", "ConsultationRequest"]

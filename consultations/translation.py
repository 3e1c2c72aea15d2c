"""Which fields of the consultations app exist in every language (django-modeltranslation).

Consultation requests are not translated: they are stored as the patient wrote them.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import BookingPage


@register(BookingPage)
class BookingPageTR(TranslationOptions):
    fields = ("intro", "privacy_notice", "thank_you_heading", "thank_you_text")

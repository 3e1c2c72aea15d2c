"""modeltranslation registrations for the home app.

Every Page subclass must be registered, even with no fields of its own, so that it inherits
Page's translated title, slug and SEO fields correctly.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import HomePage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ()

"""Which fields of the home app exist in every language (django-modeltranslation).

Every Page subclass must be registered, even one with no fields of its own, so that it inherits
Page's translated title, slug and SEO fields (registered by wagtail-modeltranslation).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import ClinicDetails, HomePage, OpeningException, OpeningHours, OpeningHoursPage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("hero_heading", "hero_intro", "cta_label", "body")


@register(OpeningHoursPage)
class OpeningHoursPageTR(TranslationOptions):
    fields = ("intro",)


@register(OpeningHours)
class OpeningHoursTR(TranslationOptions):
    fields = ("note",)


@register(OpeningException)
class OpeningExceptionTR(TranslationOptions):
    fields = ("label",)


@register(ClinicDetails)
class ClinicDetailsTR(TranslationOptions):
    fields = ("clinic_name", "address")

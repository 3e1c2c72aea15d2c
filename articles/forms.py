"""The article editor's form, and the form a medical reviewer fills in to approve an article."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput
from wagtail.forms import TaskStateCommentForm

from cms.editing import TranslatedPageForm
from cms.i18n import translated_languages


def confirmation_field(language):
    """The name of the editor's "… text is up to date" box for `language`."""
    return f"translation_current_{language}"


class BaseArticlePageForm(TranslatedPageForm):
    """
    The page form of every page type (slugs, languages), which for articles also records, per
    translated language, which English text the translation matches (see ArticlePage): when the
    editor changes that language's text, or ticks its "… text is up to date" box.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        self.initial_text = {code: page.source_fingerprint(code) for code in translated_languages()}
        for code in translated_languages():
            field = self.fields.get(confirmation_field(code))
            if field is None:
                continue
            language = get_language_info(code)["name_translated"]
            field.label = _("The %(language)s text is up to date") % {"language": language}
            if page.translation_is_stale(code):
                field.help_text = _(
                    "Out of date: the English text has changed since the %(language)s was last updated. "
                    "Update the %(language)s, or tick this box once you have checked that it still says "
                    "what the English says."
                ) % {"language": language}
            else:
                field.help_text = _(
                    "Changing the %(language)s text marks it up to date. After changing the English, "
                    "tick this box only if the %(language)s needs no change."
                ) % {"language": language}

    def save(self, commit=True):
        page = self.instance
        for code in translated_languages():
            edited = page.source_fingerprint(code) != self.initial_text[code]
            if edited or self.cleaned_data.get(confirmation_field(code)):
                page.confirm_translation(code)
        return super().save(commit=commit)


# One box per translated language, declared on the class (through the form's own metaclass) so that
# Wagtail's panels can name them.
ArticlePageForm = type(BaseArticlePageForm)(
    "ArticlePageForm",
    (BaseArticlePageForm,),
    {
        "__module__": __name__,
        **{confirmation_field(code): forms.BooleanField(required=False) for code in translated_languages()},
    },
)


class MedicalReviewApprovalForm(TaskStateCommentForm):
    """What a reviewer may add when approving: a comment, and when the article is due its next review."""

    next_review_due = forms.DateField(
        label=_("Next review due"),
        required=False,
        widget=AdminDateInput,
        help_text=_("Left empty, two years from today."),
    )

    def clean_next_review_due(self):
        due = self.cleaned_data["next_review_due"]
        if due is not None and due <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return due


def parse_review_date(value):
    """The approval form's date, as a date: the editor's page sends the cleaned data back as JSON."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))

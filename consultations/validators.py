"""Indian phone numbers as patients write them, checked and stored in one form: +91 and ten digits."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Spaces, dashes, dots and brackets are how people group digits; nothing else is accepted.
_SEPARATORS = re.compile(r"[\s\-.()]")
_DIGITS_WITH_OPTIONAL_PLUS = re.compile(r"\+?[0-9]+")  # ASCII digits only

INVALID_PHONE_MESSAGE = _(
    "Enter an Indian phone number: a 10-digit mobile number, with or without +91, "
    "or a landline number with its STD code."
)

# What is stored: +91 and the ten-digit national number, which never starts with 0.
normalised_phone_validator = RegexValidator(
    r"^\+91[1-9][0-9]{9}$", message=INVALID_PHONE_MESSAGE, code="invalid_phone"
)


def normalise_indian_phone(value):
    """
    The number as +91XXXXXXXXXX, or ValidationError.

    Accepted: a mobile number (ten digits starting 6–9) written bare or after +91, 0091, 91 or 0;
    and a landline number with its STD code, written after 0 or +91 (e.g. 044 4000 1234), since a
    bare ten-digit number starting 1–5 is more likely a typing mistake than a landline.
    """
    compact = _SEPARATORS.sub("", str(value or ""))
    if not _DIGITS_WITH_OPTIONAL_PLUS.fullmatch(compact):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    if compact.startswith("+"):
        national = compact[3:] if compact.startswith("+91") else ""
        any_first_digit = True
    elif compact.startswith("0091"):
        national, any_first_digit = compact[4:], True
    elif len(compact) == 12 and compact.startswith("91"):
        national, any_first_digit = compact[2:], True
    elif len(compact) == 11 and compact.startswith("0"):
        national, any_first_digit = compact[1:], True
    else:
        national, any_first_digit = compact, False
    first_digits = "123456789" if any_first_digit else "6789"
    if len(national) != 10 or national[0] not in first_digits:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return "+91" + national

"""Fixtures the API tests share."""

import pytest
from wagtail.models import APIToken


@pytest.fixture
def editor_token(demo, django_user_model):
    """An API token of an editor (a superuser), as Wagtail's own endpoints and previews need."""
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    _token, plaintext = APIToken.create_token(user=editor, name="tools")
    return plaintext


@pytest.fixture
def editor_authorization(editor_token):
    """The Authorization header's value for `editor_token`."""
    return f"Bearer {editor_token}"

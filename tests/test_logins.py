"""
Guessing passwords is slowed down: failed sign-ins to the admin and to password-protected pages
are counted per address and per account, a lock refuses even the right password with a clear
message, an administrator can lift it, and weak passwords are refused in the first place.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from tests.factories import BlogIndexPageFactory

PASSWORD = "a-long-and-private-passphrase"
LOGIN_URL = "/admin/login/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, username, password, address="192.0.2.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_five_wrong_passwords_lock_the_admin_even_against_the_right_one(db, editor):
    client = Client()
    for _ in range(4):
        wrong = sign_in(client, "editor", "guess")
        assert wrong.status_code == 200
        assert "Your username and password didn" in wrong.content.decode()

    locked = sign_in(client, "editor", "guess")
    right = sign_in(client, "editor", PASSWORD)

    for response in (locked, right):
        html = response.content.decode()
        assert response.status_code == 429
        assert int(response["Retry-After"]) == 15 * 60
        assert "Too many failed attempts: signing in here is paused for 15 minutes." in html
        assert "ask an administrator to lift the lock" in html
        assert 'name="password"' in html  # the sign-in form itself, with the lock as its error
        assert "Your username and password didn" not in html
    assert not signed_in(right)


def test_an_account_is_locked_whatever_addresses_the_guesses_come_from(db, editor):
    for n in range(5):
        sign_in(Client(), "editor", f"guess-{n}", address=f"198.51.100.{n}")

    response = sign_in(Client(), "editor", PASSWORD, address="203.0.113.50")

    assert response.status_code == 429


def test_an_address_is_locked_whatever_accounts_it_guesses(db, editor):
    for n in range(5):
        sign_in(Client(), f"user-{n}", "guess", address="198.51.100.9")

    from_there = sign_in(Client(), "editor", PASSWORD, address="198.51.100.9")
    elsewhere = sign_in(Client(), "editor", PASSWORD, address="203.0.113.50")

    assert from_there.status_code == 429
    assert signed_in(elsewhere)


def test_a_failure_or_two_then_the_right_password_signs_in_and_starts_again(db, editor):
    client = Client()
    sign_in(client, "editor", "guess")
    sign_in(client, "editor", "guess")

    assert signed_in(sign_in(client, "editor", PASSWORD))
    assert not AccessAttempt.objects.exists()


def test_an_administrator_lifts_a_lock_in_the_admin(db, editor, django_user_model):
    for _ in range(5):
        sign_in(Client(), "editor", "guess")
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD))

    listing = admin.get(reverse("sign_in_lockouts:index"))
    assert listing.status_code == 200
    assert "editor" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="editor")
    assert admin.post(reverse("sign_in_lockouts:delete", args=[attempt.pk])).status_code == 302

    assert signed_in(sign_in(Client(), "editor", PASSWORD))


def test_staff_without_the_permission_see_no_lockouts(db, django_user_model):
    staff = django_user_model.objects.create_user("staff", password=PASSWORD, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("sign_in_lockouts:index")).status_code in (302, 403)


@pytest.fixture
def protected_page(home_page):
    page = BlogIndexPageFactory(parent=home_page, title="Staff notes", slug="staff-notes")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame-please"
    )
    return page, restriction


def enter_page_password(page, restriction, password, language="en", address="192.0.2.1"):
    with translation.override(language):
        url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
        return_url = page.get_url()
    return Client().post(url, {"password": password, "return_url": return_url}, REMOTE_ADDR=address)


def test_five_wrong_page_passwords_lock_the_page_even_against_the_right_one(protected_page):
    page, restriction = protected_page
    for _ in range(4):
        wrong = enter_page_password(page, restriction, "guess")
        assert wrong.status_code == 200
        assert "The password you have entered is not correct." in wrong.content.decode()

    locked = enter_page_password(page, restriction, "guess")
    right = enter_page_password(page, restriction, "open-sesame-please", address="203.0.113.50")

    for response in (locked, right):
        assert response.status_code == 429
        assert "Too many failed attempts" in response.content.decode()
        assert 'name="password"' in response.content.decode()
    assert AccessAttempt.objects.filter(username=f"page-password:{restriction.pk}").exists()


def test_the_right_page_password_still_opens_the_page(protected_page):
    page, restriction = protected_page
    enter_page_password(page, restriction, "guess")

    response = enter_page_password(page, restriction, "open-sesame-please")

    assert response.status_code == 302


def test_the_page_lock_is_explained_in_the_pages_language(protected_page):
    page, restriction = protected_page
    for _ in range(5):
        response = enter_page_password(page, restriction, "guess", language="ta")
    assert response.status_code == 429
    assert "பல தோல்வியுற்ற முயற்சிகள்" in response.content.decode()


@pytest.mark.parametrize("password", ["clinic123", "skinclinic", "password1234", "123456789012"])
def test_short_common_or_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_private_passphrase_is_accepted():
    validate_password(PASSWORD)


def test_the_demo_admin_meets_the_policy_signs_in_and_is_unlocked_by_the_command(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    call_command("ensure_demo_admin")
    for _ in range(5):
        sign_in(Client(), "admin", "guess")
    assert sign_in(Client(), "admin", "clinic-demo-admin").status_code == 429

    call_command("ensure_demo_admin")

    assert signed_in(sign_in(Client(), "admin", "clinic-demo-admin"))


def test_the_demo_admin_command_refuses_a_weak_password(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "clinic123")
    with pytest.raises(CommandError, match="password is refused"):
        call_command("ensure_demo_admin")

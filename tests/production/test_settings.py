"""
The production settings with the documented environment (.env.example): Django's deployment checks
pass, nothing host-specific falls back to a development default, and absolute URLs come from the
request (its Host, its scheme), not from WAGTAILADMIN_BASE_URL.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from wagtail.models import APIToken, Site

from cms.serve import read_environment

BASE_DIR = Path(settings.BASE_DIR)
EXAMPLE = BASE_DIR / ".env.example"


def production_environment(**changes):
    """The process environment with only .env.example's variables (a real SECRET_KEY), and `changes`."""
    documented = read_environment(EXAMPLE.read_text())
    commented = set(re.findall(r"^#\s*([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in documented and name not in commented and not name.startswith("DJANGO_")
    }
    env |= documented | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    }
    env |= changes
    return {name: value for name, value in env.items() if value is not None}


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_finds_nothing_with_the_example_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("name", ["SECRET_KEY", "WAGTAILADMIN_BASE_URL"])
def test_production_refuses_to_start_without(name):
    result = run_python(
        "from django.conf import settings; settings.DEBUG", production_environment(**{name: None})
    )

    assert result.returncode != 0
    assert f"{name} must be set in the environment in production" in result.stderr


def test_admin_base_url_comes_from_the_environment_never_the_development_default():
    result = run_python(
        "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)",
        production_environment(WAGTAILADMIN_BASE_URL="https://admin.clinic.example.org/"),
    )

    assert result.stdout.strip() == "https://admin.clinic.example.org"


def test_https_settings_follow_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    default = run_python(code, production_environment())
    behind_a_redirecting_proxy = run_python(
        code, production_environment(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="3600")
    )
    nonsense = run_python(code, production_environment(SECURE_SSL_REDIRECT="maybe"))

    assert default.stdout.split() == ["True", "31536000", "True", "True"]
    assert behind_a_redirecting_proxy.stdout.split() == ["False", "3600", "True", "True"]
    assert "SECURE_SSL_REDIRECT must be true or false" in nonsense.stderr


PRODUCTION_LIKE = {
    "ALLOWED_HOSTS": ["clinic.example.org"],
    "WAGTAILADMIN_BASE_URL": "https://admin-only.example.net",
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}
BEHIND_TLS_PROXY = {"HTTP_HOST": "clinic.example.org", "HTTP_X_FORWARDED_PROTO": "https"}


@override_settings(**PRODUCTION_LIKE)
@pytest.mark.parametrize(
    "path",
    ["/api/v3/", "/api/v3/articles/?limit=2", "/sitemap.xml", "/robots.txt", "/en/blog/feed/"],
)
def test_absolute_urls_come_from_the_request_host_and_scheme(client, demo, path):
    response = client.get(path, **BEHIND_TLS_PROXY)
    body = response.content.decode()

    assert response.status_code == 200
    assert "https://clinic.example.org/" in body
    assert "127.0.0.1" not in body
    assert "admin-only.example.net" not in body
    assert "http://clinic.example.org" not in body


@override_settings(**PRODUCTION_LIKE)
def test_wagtail_detail_urls_come_from_the_site_record(client, demo, admin_user):
    # Wagtail's own endpoints take the host of the request's Site (Settings → Sites in the admin), as
    # the README's Production section says to set it; never the admin's base URL.
    Site.objects.filter(is_default_site=True).update(hostname="clinic.example.org", port=443)
    _token, plaintext = APIToken.create_token(user=admin_user, name="production-test")

    response = client.get(
        "/api/v3/pages/?limit=3", HTTP_AUTHORIZATION=f"Bearer {plaintext}", **BEHIND_TLS_PROXY
    )

    assert response.status_code == 200
    for item in response.json()["items"]:
        assert item["meta"]["detail_url"].startswith("https://clinic.example.org/api/v3/pages/")
    assert "admin-only.example.net" not in response.content.decode()


def production_table():
    """The variable names in the tables of the README's Production section."""
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    table = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", "".join(table)))


def test_the_readme_documents_every_variable_of_the_example_and_the_settings():
    example = EXAMPLE.read_text()
    in_example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    read_by_code = {
        name
        for path in [*(BASE_DIR / "cms" / "settings").glob("*.py"), BASE_DIR / "cms" / "serve.py"]
        for name in re.findall(
            r"(?:environ\.get|environ\[|env_list|env_flag|required)\(?\s*\"([A-Z][A-Z0-9_]+)\"",
            path.read_text(),
        )
    } - {"DJANGO_SETTINGS_MODULE"}

    assert in_example - production_table() == set()
    assert read_by_code - production_table() == set()

"""
The security headers a visitor's browser receives: Content-Security-Policy (strict for the site and
the API, the admin's looser one), Permissions-Policy, Referrer-Policy, frame and type protection; and
an admin that calls no third party.
"""

import base64
import hashlib
import re

import pytest
from django.urls import path

from tests.public_cache import read


def directives(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def test_public_pages_allow_only_their_own_scripts_styles_and_fonts(client, demo):
    response = client.get("/en/")
    policy = directives(response)

    assert response.status_code == 200
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in policy["style-src"][1:])
    assert policy["font-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_page_answered_from_the_public_cache_keeps_its_security_headers(client, demo):
    first = read(client, "/ta/")
    again = read(client, "/ta/")

    assert again.status_code == 200
    assert again.from_cache
    for header in ("Content-Security-Policy", "Permissions-Policy", "Referrer-Policy", "X-Frame-Options"):
        assert again[header] == first[header]


@pytest.mark.parametrize("path", ["/en/", "/api/v3/articles/", "/api/v3/docs/", "/healthz", "/admin/login/"])
def test_every_response_denies_features_framing_and_cross_site_referrers(client, demo, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_the_admin_may_run_inline_scripts_and_styles_and_frame_its_own_preview_only(client, db):
    policy = directives(client.get("/admin/login/"))

    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in str(policy)


def test_the_admin_dashboard_calls_no_third_party(admin_client):
    html = admin_client.get("/admin/").content.decode()

    assert "gravatar.com" not in html
    assert 'data-controller="w-upgrade' not in html  # the release check (releases.wagtail.org)


def database_down(request):
    raise RuntimeError("the database is down")


urlpatterns = [path("en/broken/", database_down)]


@pytest.mark.urls(__name__)
def test_the_server_error_page_may_use_its_own_inline_style_and_no_other(client, db):
    client.raise_request_exception = False

    response = client.get("/en/broken/")

    assert response.status_code == 500
    styles = re.findall(r"<style>(.*?)</style>", response.content.decode(), re.DOTALL)
    hashes = [base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() for style in styles]
    assert styles
    assert sorted(f"'sha256-{digest}'" for digest in hashes) == directives(response)["style-src"][1:]


def test_the_site_and_the_admin_each_keep_their_policy_whichever_comes_first(client, demo):
    # Each part's header is built once and reused (cms.middleware.ContentSecurityPolicyMiddleware).
    site, admin = [], []
    for _ in range(2):
        site.append(directives(client.get("/en/")))
        admin.append(directives(client.get("/admin/login/")))
        site.append(directives(client.get("/api/v3/articles/")))
    assert all(policy == site[0] for policy in site)
    assert all(policy == admin[0] for policy in admin)
    assert site[0]["script-src"] == ["'self'"] and admin[0]["script-src"] == ["'self'", "'unsafe-inline'"]


def test_a_changed_policy_is_sent_from_the_next_response(client, demo, settings):
    assert "https://maps.example" not in client.get("/en/")["Content-Security-Policy"]
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "frame-src": ["https://maps.example"]},
    }
    assert directives(client.get("/en/"))["frame-src"] == ["https://maps.example"]


def test_a_policy_that_leaves_paths_out_is_followed_path_by_path(client, demo, settings):
    client.get("/en/")  # the site's header, built and kept
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/api/"]}
    assert "Content-Security-Policy" not in client.get("/api/v3/articles/")
    assert "Content-Security-Policy" in client.get("/en/")

"""
Static files as production serves them: collectstatic with production's storage (whitenoise's compressed
manifest storage) into a temporary STATIC_ROOT, pages that link the hashed names, and whitenoise serving
those compressed and cached for good. tests/test_budgets.py measures the same files.
"""

import atexit
import functools
import importlib
import os
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.staticfiles.finders import AppDirectoriesFinder
from django.core.management import call_command
from django.test import override_settings

# What whitenoise sends for a file whose name carries its content's hash (ten years, never revalidated).
IMMUTABLE = "max-age=315360000, public, immutable"
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def production_settings():
    """The cms.settings.production module, as deployed (it refuses to load without its required variables)."""
    with mock.patch.dict(
        os.environ, {"SECRET_KEY": "test-only", "WAGTAILADMIN_BASE_URL": "https://clinic.example.org"}
    ):
        return importlib.import_module("cms.settings.production")


def production_storages():
    return {"staticfiles": production_settings().STORAGES["staticfiles"]}


# The apps whose static files the site's pages use; Wagtail's (its admin's thousands of files) are left out.
PROJECT_APPS = ["home", "articles", "consultations"]


class ProjectAppDirectoriesFinder(AppDirectoriesFinder):
    """The static/ folders of the project's own apps only."""

    def __init__(self, app_names=None, *args, **kwargs):
        super().__init__(PROJECT_APPS, *args, **kwargs)


@functools.cache
def collected_static_root():
    """
    A STATIC_ROOT filled by collectstatic with production's storage, once per test process: the
    project's own static files (STATICFILES_DIRS and its apps'), all the pages link.
    """
    root = Path(tempfile.mkdtemp(prefix="clinic-test-static-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    finders = [
        "django.contrib.staticfiles.finders.FileSystemFinder",
        f"{__name__}.ProjectAppDirectoriesFinder",
    ]
    with override_settings(STORAGES=production_storages(), STATIC_ROOT=root, STATICFILES_FINDERS=finders):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def serve_static_as_in_production(settings):
    """
    Switch the test settings (`settings`, pytest-django's fixture) to production's static files:
    its storage, a collected STATIC_ROOT, and whitenoise reading that root rather than the finders.
    Clients created afterwards get a whitenoise configured that way. Returns the root.
    """
    root = collected_static_root()
    settings.STORAGES = {**settings.STORAGES, **production_storages()}
    settings.STATIC_ROOT = root
    # Production sets neither: with DEBUG off, whitenoise indexes STATIC_ROOT once at start-up.
    del settings.WHITENOISE_AUTOREFRESH
    del settings.WHITENOISE_USE_FINDERS
    return root


class StaticReferences(HTMLParser):
    """The static files a page's <head> makes a browser fetch: stylesheets, scripts, preloads and icons."""

    def __init__(self):
        super().__init__()
        self.urls = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and {"stylesheet", "preload", "icon"} & set(rel):
            kind = attrs.get("as", "font") if "preload" in rel else rel[-1]
            self.urls[attrs["href"]] = kind
        elif tag == "script" and attrs.get("src"):
            self.urls[attrs["src"]] = "script"

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return parser.urls


def fetch(client, url, **headers):
    """A GET through whitenoise, with its (streamed) body read."""
    response = client.get(url, headers=headers)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


@pytest.fixture
def production_static(settings):
    return serve_static_as_in_production(settings)


def test_production_keeps_static_files_compressed_under_hashed_names():
    production = production_settings()

    assert production.DEBUG is False
    assert production.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in production.MIDDLEWARE
    # With DEBUG off whitenoise's defaults are right: no finders, no autorefresh.
    assert not hasattr(production, "WHITENOISE_USE_FINDERS")
    assert not hasattr(production, "WHITENOISE_AUTOREFRESH")


@pytest.mark.parametrize("language", ["en", "ta"])
def test_pages_link_hashed_static_files_that_whitenoise_serves_cached_for_good(
    client, home_page, production_static, language
):
    html = client.get(f"/{language}/").content.decode()
    references = StaticReferences.of(html)

    kinds = sorted(references.values())
    assert kinds == (["font", "icon", "stylesheet"] if language == "ta" else ["icon", "stylesheet"])
    for url in references:
        assert HASHED_NAME.search(url), f"{url} is not a hashed name"
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == IMMUTABLE, url
        assert response.body == (production_static / url.removeprefix("/static/")).read_bytes()


def test_the_stylesheet_is_served_compressed_and_its_unhashed_name_only_briefly_cached(
    client, home_page, production_static
):
    (css_url,) = [
        url
        for url, kind in StaticReferences.of(client.get("/en/").content.decode()).items()
        if kind == "stylesheet"
    ]
    name = css_url.removeprefix("/static/")
    assert (production_static / f"{name}.gz").exists()

    gzipped = fetch(client, css_url, accept_encoding="gzip")
    plain = fetch(client, css_url)
    unhashed = fetch(client, "/static/css/site.css")

    assert gzipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in gzipped["Vary"]
    assert len(gzipped.body) < len(plain.body) / 2
    assert "Content-Encoding" not in plain
    assert unhashed.status_code == 200
    assert unhashed["Cache-Control"] == "max-age=60, public"


def test_brotli_variants_exist_when_brotli_is_installed(production_static):
    pytest.importorskip("brotli", reason="whitenoise writes .br files only with the Brotli package")
    assert list(production_static.glob("css/site.*.css.br"))


def test_fonts_are_served_as_they_are_since_woff2_is_already_compressed(production_static):
    fonts = list(production_static.glob("fonts/*.woff2"))

    assert fonts
    assert not list(production_static.glob("fonts/*.woff2.*"))


def test_favicon_ico_leads_to_the_hashed_svg_icon(client, production_static):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert HASHED_NAME.search(response["Location"]), response["Location"]
    icon = fetch(client, response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert icon["Cache-Control"] == IMMUTABLE

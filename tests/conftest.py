import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Page, Site

from tests.factories import BlogIndexPageFactory, HomePageFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is brought up to date the way deployments do it (manage.py migrate_site)."""
    with django_db_blocker.unblock():
        call_command("migrate_site", verbosity=0)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English; a request to a /ta/ page leaves Tamil active in its thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_caches():
    """Cached responses must not leak between tests (ids are reused after each rollback)."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def forget_cached_pages():
    """Call it before measuring a view: a repeated anonymous GET is otherwise answered by the page cache."""
    return caches[settings.CACHE_MIDDLEWARE_ALIAS].clear


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def home_page(db):
    """A HomePage as the default site's root, replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="clinic-home")
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home


@pytest.fixture
def blog_page(home_page):
    return BlogIndexPageFactory(parent=home_page)


@pytest.fixture
def demo(db):
    """The clinic's demo content, in English and Tamil, as `make run` loads it."""
    call_command("load_demo_content", verbosity=0)

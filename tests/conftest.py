"""
Fixtures for the whole suite.

The test database is migrated and the clinic's demo content loaded into it once per session (once per
xdist worker, each of which has a database of its own). Tests that ask for `demo` read it inside their
own transaction. Every other test starts from the database as Wagtail's migrations leave it, and its
factories build only what it needs: the demo content is removed once, in a transaction around those
tests, and comes back when that is rolled back (see DemoContentSwitch).
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation
from taggit.models import Tag
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from articles.models import ArticleCategory, Author
from cms.settings.base import redis_url_with_db
from home.models import ClinicDetails, HomePage, OpeningHours
from tests.factories import BlogIndexPageFactory, HomePageFactory
from tests.task_queue import TaskQueue


def worker_number():
    """0 without xdist, else the xdist worker's number (gw0, gw1, ...)."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def redis_databases_per_worker(caches_setting, worker):
    """
    The CACHES setting with each Redis cache moved to a database of this worker's own.

    Workers share the Redis server, and clearing a cache (every test does, and so does every publish)
    empties its whole database: worker N uses the configured numbers minus 2N (13 and 14 by default
    for worker 0, 11 and 12 for worker 1, ...), so no worker clears another's.
    """
    moved = {}
    for alias, config in caches_setting.items():
        location = config.get("LOCATION", "")
        if "redis" not in config["BACKEND"].lower() or not worker:
            moved[alias] = config
            continue
        database = int(location.rstrip("/").rsplit("/", 1)[-1] or 0) - 2 * worker
        if database < 2:
            raise pytest.UsageError(f"Too many xdist workers for the Redis databases below {location}")
        moved[alias] = {**config, "LOCATION": redis_url_with_db(location, database)}
    return moved


def pytest_configure(config):
    # Django's live test servers listen with a backlog of 10 connections: on a busy machine, the
    # test sending fifty requests at once saw some of them reset before the server accepted them.
    WSGIServer.request_queue_size = 64
    worker = worker_number()
    if worker:
        override_settings(CACHES=redis_databases_per_worker(settings.CACHES, worker)).enable()


def pytest_unconfigure(config):
    """Remove this process's media folder (each process, xdist's controller too, makes one)."""
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """
    The test database brought up to date the way deployments do it (manage.py migrate_site), with the
    demo content loaded once, as `make run` loads it.
    """
    with django_db_blocker.unblock():
        call_command("migrate_site", verbosity=0)
        call_command("load_demo_content", verbosity=0)


def restore_wagtail_roots():
    """
    Create what Wagtail's own migrations put in the database, where it is missing: the default locale,
    the root collection, the root page, and the default site on a welcome page. A transactional test
    empties every table when it ends.
    """
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        welcome = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
        call_command("set_translation_url_paths", verbosity=0)


def remove_demo_content():
    """
    Put the database back as Wagtail's migrations leave it: the demo's pages, snippets, images, tags and
    clinic details gone, and a plain welcome page the default site's root again.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:  # a transactional test has emptied the database: make what Wagtail's migrations make
        restore_wagtail_roots()
        welcome = Page.get_first_root_node().add_child(
            instance=Page(title="Welcome to your new Wagtail site!", slug="home")
        )
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
        return
    root = Page.get_first_root_node()
    site.root_page = root  # for now: deleting the site's root page would delete the site
    site.save()
    Page.objects.filter(depth=2).delete()  # and every page below them
    site.root_page = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    site.save()
    for model in (ClinicDetails, OpeningHours, Author, ArticleCategory, get_image_model(), Tag):
        model.objects.all().delete()


def uses_database(item):
    """Whether pytest-django gives `item` the test database (a django_db marker, or its fixtures)."""
    marker = item.get_closest_marker("django_db")
    return marker is not None or bool({"db", "transactional_db", "live_server"} & set(item.fixturenames))


def is_transactional(item):
    """Whether pytest-django gives `item` a TransactionTestCase (committed writes, flushed at the end)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames))


def wants_demo(item):
    return "demo" in item.fixturenames


def pytest_collection_modifyitems(items):
    """
    Within pytest-django's order (database tests, transactional ones, then the rest), the tests that
    ask for the demo content first: the others then share one removal of it (see DemoContentSwitch).
    xdist hands each worker its tests in this order too.
    """
    items.sort(key=lambda item: (django_order(item), not wants_demo(item)))


def django_order(item):
    if is_transactional(item):
        return 1
    return 0 if uses_database(item) else 2


class DemoContentSwitch:
    """
    Keeps the demo content out of sight of the tests that did not ask for it, cheaply.

    Removing it costs a few hundred queries, so it is not done per test: it is done once, inside a
    transaction opened around the tests that follow (each test's own transaction is a savepoint
    within it), and that transaction is rolled back, bringing the demo content back, before a test
    that asks for it (or a transactional test) starts.
    """

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.atomic = None

    @property
    def hiding(self):
        return self.atomic is not None

    def hide(self):
        if self.hiding:
            return
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic._from_testcase = True  # like TestCase's own: durable blocks may nest in it
            self.atomic.__enter__()
            remove_demo_content()

    def show(self):
        if not self.hiding:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_switch = None  # the session's DemoContentSwitch, once a test has used the database


@pytest.fixture(scope="session")
def demo_content_switch(django_db_setup, django_db_blocker):
    global _switch
    _switch = DemoContentSwitch(django_db_blocker)
    yield _switch
    _switch.show()  # before the test database is destroyed
    _switch = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of a test that asks for the demo content, or commits, bring it back."""
    if _switch is not None and (wants_demo(item) or is_transactional(item)):
        _switch.show()


@pytest.fixture(autouse=True)
def _demo_content_only_where_asked(request):
    """Tests that do not ask for `demo` never see it (it comes back after them)."""
    item = request.node
    if wants_demo(item) or not uses_database(item):
        return
    switch = request.getfixturevalue("demo_content_switch")
    if is_transactional(item):
        request.getfixturevalue("db")
        restore_wagtail_roots()  # an earlier transactional test may have emptied the database
        remove_demo_content()  # committed: the test empties the database when it ends anyway
    elif switch.hiding:
        pass  # the test's transaction will be (or, with a django_db marker, is) within the switch's
    elif connection.in_atomic_block:
        remove_demo_content()  # a django_db marker has already started the test's transaction
    else:
        switch.hide()  # before the test's own transaction starts (its `db` fixture comes after this)


@pytest.fixture
def demo(db):
    """
    The clinic's demo content, in English and Tamil, as `make run` loads it (once per session, in
    django_db_setup): its home page. Changes a test makes to it are rolled back with the test.
    """
    home = HomePage.objects.first()
    if home is None:
        # Only after a transactional test, which empties the database when it ends (pytest-django
        # runs those after the others, so this is a safety net): load it again for this test.
        restore_wagtail_roots()
        call_command("load_demo_content", verbosity=0)
        home = HomePage.objects.get()
    return home


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


@pytest.fixture
def home_page(db):
    """A HomePage as the default site's root, replacing Wagtail's welcome page."""
    restore_wagtail_roots()  # emptied by an earlier transactional test
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="clinic-home")
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost")
    site.is_default_site = True
    site.root_page = home
    site.save()
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home


@pytest.fixture
def blog_page(home_page):
    return BlogIndexPageFactory(parent=home_page)


@pytest.fixture
def task_queue(settings):
    """Tasks wait in the database queue, as in production, until the test runs them (tests/task_queue.py)."""
    settings.TASKS = TaskQueue.BACKEND
    return TaskQueue()

"""
Two server instances (gunicorn, production settings, on two loopback ports) sharing one PostgreSQL
database and one Redis, as behind a load balancer: what one does, the other shows at once.
"""

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from wagtail.models import APIToken

from articles.models import ArticlePage
from consultations.models import ConsultationRequest
from home.models import OpeningHours

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "is-micro-needling-effective-for-reducing-skin-pores"
BOOKINGS = "/api/v3/consultation-requests/"


# Checked before any fixture runs: a skipped test must not cost a transactional test's flush.
pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"]
    or "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL) for both instances to share: "
    "make test-services",
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Instance:
    """One gunicorn serving the test database, on a port of its own."""

    def __init__(self, env, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_up(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited")
            try:
                urllib.request.urlopen(self.url + "/api/v3/clinic/", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn on {self.port} did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def request(self, path, *, method="GET", body=None, headers=()):
        """
        (status, headers, text) of a request, to one host name whichever instance answers (as behind
        a load balancer; the API's links carry it), over HTTPS as production's proxy header says.
        """
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        for name, value in {"Host": "localhost", "X-Forwarded-Proto": "https", **dict(headers)}.items():
            request.add_header(name, value)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


@pytest.fixture
def instances(transactional_db, demo, tmp_path):
    """Two instances, A and B, on the committed demo content, with Redis and media shared."""
    config = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.instance_settings",
        "SECRET_KEY": settings.SECRET_KEY,  # API tokens are stored as its HMACs
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": (
            f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST']}:{config['PORT'] or 5432}"
            f"/{config['NAME']}"
        ),
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "PUBLIC_CACHE_REDIS_URL": settings.CACHES["public"]["LOCATION"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CONSULTATION_RATE_LIMIT": "3/h",
        "CLIENT_IP_HEADER": "",
    }
    with open(tmp_path / "gunicorn.log", "w") as log:
        started = [Instance(env, log), Instance(env, log)]
        try:
            for instance in started:
                instance.wait_until_up()
            yield started
        finally:
            for instance in started:
                instance.stop()  # before the database is emptied: they hold connections to it


def editor_token(django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a long password")
    return APIToken.create_token(user=editor, name="tools")[1]


def web_paths(instance, article_id):
    """The article's web page in each language, as the API gives it (absolute URLs made paths)."""
    urls = json.loads(instance.request(f"/api/v3/articles/{article_id}/")[2])["urls"]
    return {language: "/" + url.split("/", 3)[3] for language, url in urls.items()}


def test_an_article_published_through_one_is_served_updated_by_the_other_on_its_next_read(
    instances, django_user_model
):
    a, b = instances
    article = ArticlePage.objects.get(slug=ARTICLE)
    titles = {"en": "Micro-needling, revisited", "ta": "மைக்ரோ-நீட்லிங், மீண்டும்"}
    for language, path in web_paths(b, article.pk).items():  # B has read (and cached) the old text
        assert b.request(path)[0] == 200, path
        assert titles[language] not in b.request(f"/api/v3/articles/?lang={language}")[2]

    article.title_en, article.title_ta = titles["en"], titles["ta"]
    article.save_revision()  # a draft; A's API publishes it, with an editor's token
    status, _headers, text = a.request(
        f"/api/v3/pages/{article.pk}/actions/publish/",
        method="POST",
        body={},
        headers={"Authorization": f"Bearer {editor_token(django_user_model)}"},
    )
    assert status == 200, text

    # B's very next reads (no waiting, no retrying) show it: A emptied the cache they share on commit.
    seen = {}
    for language, path in web_paths(b, article.pk).items():
        seen[f"site {language}"] = titles[language] in b.request(path)[2]
        seen[f"api {language}"] = titles[language] in b.request(f"/api/v3/articles/?lang={language}")[2]
    assert seen == dict.fromkeys(seen, True)


def test_the_same_content_has_the_same_etag_on_both_so_either_answers_304(instances):
    a, b = instances
    for path in ["/api/v3/articles/", "/api/v3/articles/?lang=ta", "/en/blog/", "/ta/vlaipptivu/"]:
        status, headers, _text = a.request(path)
        assert status == 200, path
        caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()  # B renders it anew, as after the copy expired

        status, again, _text = b.request(path, headers={"If-None-Match": headers["ETag"]})

        assert status == 304, (path, headers["ETag"], again["ETag"])


def booking(instance, **headers):
    hours = OpeningHours.objects.get()
    today = hours.local_now().date()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    body = {
        "name": "Kavya Raman",
        "phone": "98765 43210",
        "email": "kavya@example.com",
        "preferred_date": monday.isoformat(),
        "preferred_session": "10:00",
        "reason": "Acne on my cheeks for a few months.",
        "language": "ta",
        "consent": True,
    }
    status, _headers, text = instance.request(BOOKINGS, method="POST", body=body, headers=headers)
    return status, json.loads(text)


def test_a_booking_sent_to_one_with_an_idempotency_key_replays_on_the_other(instances):
    a, b = instances
    first_status, first = booking(a, **{"Idempotency-Key": "app-7-attempt"})
    again_status, again = booking(b, **{"Idempotency-Key": "app-7-attempt"})

    assert (first_status, again_status) == (201, 201)
    assert again["reference"] == first["reference"]
    assert ConsultationRequest.objects.count() == 1


def test_the_rate_limit_counts_requests_to_both(instances):
    a, b = instances  # three an hour, from one address (127.0.0.1)

    statuses = [booking(instance)[0] for instance in (a, b, a, b, a)]

    assert statuses == [201, 201, 201, 429, 429]
    assert ConsultationRequest.objects.count() == 3

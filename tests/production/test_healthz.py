"""/healthz: what a load balancer or a supervisor asks, answered now and never from a cache."""

import socket

import pytest
from django.db import OperationalError, connections
from django.test import override_settings


def dead_port():
    """A local port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_says_ok_when_the_database_and_caches_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database:default": "ok", "cache:default": "ok", "cache:public": "ok"},
    }


def test_healthz_is_never_cached_nor_redirected_to_a_language(client, db):
    first = client.get("/healthz")
    second = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="ta")

    for response in (first, second):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert not response.cookies
        assert "Content-Language" not in response


def test_healthz_answers_head_and_refuses_writes(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_is_503_when_the_cache_server_is_down(client, db, settings):
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{dead_port()}/0",
    }

    with override_settings(CACHES={**settings.CACHES, "default": dead}):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["cache:default"] == "unavailable"
    assert response.json()["checks"]["database:default"] == "ok"
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_down_and_names_no_secret(client, db, monkeypatch, settings):
    secret = "password=hunter2 host=db.internal"

    def refuse(*args, **kwargs):
        raise OperationalError(f"could not connect to server: {secret}")

    with monkeypatch.context() as patch:  # undone before the test's transaction is rolled back
        patch.setattr(connections["default"], "cursor", refuse)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database:default"] == "unavailable"
    body = response.content.decode()
    assert "hunter2" not in body
    assert "db.internal" not in body
    assert settings.SECRET_KEY not in body


@pytest.mark.parametrize("host", ["10.0.0.5", "evil.example"])
@pytest.mark.parametrize("path", ["/healthz", "/en/"])
def test_healthz_and_the_site_keep_allowed_hosts(client, demo, host, path):
    client.raise_request_exception = False  # a real client sees the 400, whichever layer refused it
    with override_settings(ALLOWED_HOSTS=["clinic.example.org"]):
        assert client.get(path, HTTP_HOST="clinic.example.org").status_code == 200
        # The 400 page, not a server error (its language links once looked the host up again).
        assert client.get(path, HTTP_HOST=host).status_code == 400

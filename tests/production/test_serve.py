"""
`make serve` (cms/serve.py): the production settings on this machine, gunicorn and the task worker
started together and stopped together, nothing left behind.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from cms.serve import local_environment, read_environment

BASE_DIR = Path(settings.BASE_DIR)
EXAMPLE = BASE_DIR / ".env.example"
# collectstatic (whitenoise compresses every file) and a fresh database's migrations take ~45 s of
# CPU; on a busy 2-core machine that can be minutes.
READY_SECONDS = 420
STOP_SECONDS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url, **headers):
    """(status, headers, body) of a GET that follows no redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for(condition, seconds=120):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def processes_in_session(session_id):
    """The pids of every process still alive in that session (zombies are dead already)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == session_id and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


def test_local_environment_is_the_example_made_fit_for_this_machine():
    local = read_environment(local_environment(EXAMPLE.read_text(), "127.0.0.1:8123"))
    example = read_environment(EXAMPLE.read_text())

    again = read_environment(local_environment(EXAMPLE.read_text(), "127.0.0.1:8123"))

    assert len(local["SECRET_KEY"]) >= 50
    assert local["SECRET_KEY"] != again["SECRET_KEY"]
    assert local["ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert local["WAGTAILADMIN_BASE_URL"] == "http://127.0.0.1:8123"
    assert local["SECURE_SSL_REDIRECT"] == "false"
    assert {name: local[name] for name in example if name not in {*local_only(), "SECRET_KEY"}} == {
        name: value for name, value in example.items() if name not in {*local_only(), "SECRET_KEY"}
    }


def local_only():
    return {"ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "WAGTAILADMIN_BASE_URL", "SECURE_SSL_REDIRECT"}


def test_read_environment_takes_quotes_exports_and_skips_comments():
    text = "# a comment\n\nexport A=1\nB='two words'\nC=\"x=y\"\n# D=4\n"

    assert read_environment(text) == {"A": "1", "B": "two words", "C": "x=y"}


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_serve_serves_the_site_and_ctrl_c_stops_everything(tmp_path):
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install -r requirements.txt)")
    port = free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in read_environment(EXAMPLE.read_text())
        and not name.startswith(("DJANGO_", "PYTEST_", "REDIS_", "PUBLIC_CACHE_"))
        and name not in ("DATABASE_URL", "STATIC_ROOT", "MEDIA_ROOT")
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    log = (tmp_path / "serve.log").open("wb")
    # A session of its own, as a terminal would give it: Ctrl-C is SIGINT to its process group.
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"ENV_FILE={tmp_path / '.env'}", f"PORT={port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(1)
        output = (tmp_path / "serve.log").read_text(errors="replace")
        assert health is not None, f"no answer on {base} within {READY_SECONDS} s:\n{output[-3000:]}"
        assert health[0] == 200, health

        home = fetch(f"{base}/")
        api = fetch(f"{base}/api/v3/", **{"Accept-Language": "ta"})
        admin = fetch(f"{base}/admin/login/")

        assert home[0] == 302
        assert home[1]["Location"] == "/en/"
        assert api[0] == 200
        assert api[1]["Content-Language"] == "ta"
        assert json.loads(api[2])["openapi"] == f"{base}/api/v3/openapi.json"
        assert admin[0] == 200
        assert "'unsafe-inline'" in admin[1]["Content-Security-Policy"]
        assert "Serving" in output
        assert wait_for(lambda: "Starting worker" in (tmp_path / "serve.log").read_text(errors="replace"))
        assert (tmp_path / ".env").exists()  # made from .env.example, for this machine
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=STOP_SECONDS)
        finally:
            left = processes_in_session(server.pid)
            for pid in left:
                os.kill(pid, signal.SIGKILL)
        log.close()

    assert not left, f"processes left after Ctrl-C: {left}"
    with pytest.raises(OSError):
        fetch(f"{base}/healthz")

"""
`make serve`: the site as production runs it, on this machine (python -m cms.serve --help).

Reads the environment file (.env; made from .env.example for this machine when missing), then with
the production settings collects the static files, brings the database up to date (migrate_site:
migrations, translated columns and URL paths, scheduled publishing's tasks) and starts, together:

- web: gunicorn serving cms.wsgi, WEB_CONCURRENCY worker processes of GUNICORN_THREADS threads each;
- worker: `manage.py db_worker`, which runs the queued background tasks (the clinic's e-mails,
  webhook deliveries, search indexing, scheduled publishing and expiry).

Ctrl-C (SIGINT), SIGTERM or SIGHUP stops both, as does either of them stopping: each gets one
SIGTERM and a grace period, then SIGKILL. They run in process groups of their own, so a Ctrl-C in
the terminal reaches them only through here, once; and each is told to stop when this process dies,
even by SIGKILL (Linux's parent-death signal), so nothing is left behind.
"""

import argparse
import contextlib
import ctypes
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
EXAMPLE = BASE_DIR / ".env.example"
SETTINGS = "cms.settings.production"
GRACE_SECONDS = 20
PR_SET_PDEATHSIG = 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cms.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--env-file", default=str(BASE_DIR / ".env"), help="KEY=value lines (default .env)")
    parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port (default 127.0.0.1:8000)")
    args = parser.parse_args(argv)

    env_file = Path(args.env_file)
    if not env_file.exists():
        env_file.write_text(local_environment(EXAMPLE.read_text(), args.bind))
        print(
            f"Wrote {env_file} from {EXAMPLE.name} for this machine (a new SECRET_KEY, http://{args.bind})."
        )
    for name, value in read_environment(env_file.read_text()).items():
        os.environ.setdefault(name, value)  # what the shell sets wins over the file
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS

    for step in (["collectstatic", "--noinput", "-v0"], ["migrate_site", "-v1"]):
        status = subprocess.call([*MANAGE, *step], preexec_fn=die_with_parent)
        if status:
            return status

    workers = os.environ.get("WEB_CONCURRENCY", "2")
    threads = os.environ.get("GUNICORN_THREADS", "4")
    if workers != "1" and not os.environ.get("REDIS_URL"):
        print("Note: without REDIS_URL each gunicorn worker caches public pages apart, and a change")
        print("empties only one worker's copy: the others show the old page for PUBLIC_CACHE_SECONDS.")
    print(f"Serving http://{args.bind}/ with gunicorn ({workers} workers × {threads} threads) and db_worker")
    print("Ctrl-C stops both")
    commands = {
        "web": [
            *[sys.executable, "-m", "gunicorn", "cms.wsgi"],
            *["--bind", args.bind, "--workers", workers, "--threads", threads],
            *["--access-logfile", "-", "--graceful-timeout", str(GRACE_SECONDS - 5)],
            # Its control socket is one path per user: several servers on one machine would share it.
            "--no-control-socket",
        ],
        "worker": [*MANAGE, "db_worker", "--no-reload"],
    }
    return supervise(commands)


def supervise(commands):
    """Run every command at once until a signal comes or one of them exits; then stop them all."""
    stopping = []
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda number, frame: stopping.append(number))
    processes = {
        name: subprocess.Popen(command, cwd=BASE_DIR, process_group=0, preexec_fn=die_with_parent)
        for name, command in commands.items()
    }
    exited = None
    while not stopping and exited is None:
        exited = next((name for name, process in processes.items() if process.poll() is not None), None)
        time.sleep(0.2)
    if exited:
        print(f"{exited} stopped (exit status {processes[exited].returncode}): stopping the others")
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return 0 if stopping else 1


def die_with_parent():
    """In the child: SIGTERM when this supervisor dies, however it dies (Linux; elsewhere nothing)."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def read_environment(text):
    """KEY=value lines (`export` and quotes around the value allowed), blank lines and # comments skipped."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def local_environment(example, bind):
    """
    .env.example made fit for this machine: a fresh SECRET_KEY, the bound address as the only host and
    as the admin's address, and no redirect to HTTPS (there is no TLS in front here).
    """
    host = bind.rsplit(":", 1)[0]
    replacements = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": ",".join(dict.fromkeys([host, "localhost", "127.0.0.1"])),
        "CSRF_TRUSTED_ORIGINS": f"http://{bind}",
        "WAGTAILADMIN_BASE_URL": f"http://{bind}",
        "SECURE_SSL_REDIRECT": "false",
    }
    lines = []
    for line in example.splitlines():
        name = line.partition("=")[0].strip()
        if name in replacements and not line.lstrip().startswith("#"):
            line = f"{name}={replacements.pop(name)}"
        lines.append(line)
    lines += [f"{name}={value}" for name, value in replacements.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

"""
Property-based fuzzing of the whole API: `make fuzz`.

Builds a throwaway SQLite site with the demo content, serves it with gunicorn (2 workers, 4
threads each) on 127.0.0.1, and runs schemathesis over /api/v3/openapi.json with every check and
every phase (examples, coverage, fuzzing, stateful), anonymously, as an app or a visitor would
call it. Prints what schemathesis prints, then the cases run, the failures by check and the
server errors (5xx) the server logged; exits non-zero on any failure. Traffic goes to 127.0.0.1
only, and the run stops by itself (--max-examples per operation, and --max-time).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8941


def django_env(workdir):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="fuzz.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'fuzz.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def start_server(env, log):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "-",
            "--access-logformat",
            "%(s)s %(m)s %(U)s?%(q)s",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v3/clinic/", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"gunicorn on port {PORT} did not start")


# The project's own endpoints; everything else in the document is Wagtail's v3 API.
OWN_PATHS = ("/api/v3/articles/", "/api/v3/authors/", "/api/v3/categories/", "/api/v3/clinic/")
OWN_PATHS += ("/api/v3/opening-hours/", "/api/v3/consultation-requests/")


def is_own(operation):
    return operation.partition(" ")[2].startswith(OWN_PATHS)


def summary(report_path, server_log):
    """
    Print the cases run and the failures (by check, the project's endpoints apart from Wagtail's)
    from schemathesis' JSON report, and the 5xx answers in the server's access log; return how
    many 5xx there were.
    """
    report = json.loads(report_path.read_text())
    cases = report["test_cases"]
    print("\n== make fuzz: summary ==")
    print(
        f"Operations tested: {report['operations']['tested']} of {report['operations']['total']}; "
        f"{report['running_time']:.0f} s ({report['stop_reason']})"
    )
    print(
        f"Test cases run: {cases['generated']}; with failures: {cases['with_failures']}; "
        f"unique failures: {cases['unique_failures']}; errors: {sum(e['count'] for e in report['errors'])}"
    )
    print("Failures by check (count; operations: the project's / Wagtail's):")
    for failure in report["failures"]:
        own = sorted(op for op in failure["operations"] if is_own(op))
        print(
            f"  {failure['code']} {failure['title']}: {failure['count']}; "
            f"{len(own)} / {len(failure['operations']) - len(own)}" + (f"  {', '.join(own)}" if own else "")
        )
    server_errors = Counter()
    examples = {}
    for line in server_log.read_text(errors="replace").splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[0].isdigit() and parts[0].startswith("5"):
            what = f"{parts[0]} {parts[1]} {parts[2].partition('?')[0]}"
            server_errors[what] += 1
            examples.setdefault(what, parts[2])
    print(f"Server errors (5xx) in the server's access log: {sum(server_errors.values())}")
    for what, count in server_errors.most_common(20):
        print(f"  {count:5d}  {what}   e.g. {examples[what][:200]}")
    return sum(server_errors.values())


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-examples", type=int, default=100, help="Cases per operation and phase.")
    parser.add_argument("--max-time", type=int, default=600, help="Seconds for the whole run (at most).")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="clinic-fuzz-"))
    env = django_env(workdir)
    print(f"Building a throwaway site in {workdir} ...", flush=True)
    manage(env, "migrate_site", "-v0")
    manage(env, "load_demo_content", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    server_log = workdir / "server.log"
    with server_log.open("w") as log:
        server = start_server(env, log)
        try:
            report = workdir / "report.json"
            command = [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                f"http://127.0.0.1:{PORT}/api/v3/openapi.json",
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                str(args.max_examples),
                "--max-time",
                str(args.max_time),
                "--seed",
                str(args.seed),
                "--workers",
                "2",
                "--request-timeout",
                "30",
                "--suppress-health-check",
                "too_slow",
                "--report",
                "json",
                "--report-json-path",
                str(report),
            ]
            print(" ".join(command[2:]), flush=True)
            # In the work folder: schemathesis keeps its replay database where it runs.
            result = subprocess.run(command, cwd=workdir, check=False)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    server_errors = summary(report, server_log) if report.exists() else -1
    print(f"Report and server log: {workdir}")
    sys.exit(result.returncode or (1 if server_errors else 0))


if __name__ == "__main__":
    main()

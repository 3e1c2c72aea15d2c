"""
Property-based fuzzing of the whole API: `make fuzz`.

Builds a throwaway SQLite site with the demo content in a temporary folder (fuzz/settings.py
refuses any other database), serves it with gunicorn (2 workers, 4 threads each) on 127.0.0.1,
and runs schemathesis over /api/v3/openapi.json with every check and every phase (examples,
coverage, fuzzing, stateful) twice: anonymously over the operations that need no token, as an app
or a visitor calls them, then with an editor's API token (made in the throwaway database) over
every operation, so that Wagtail's token-only reads and its writes are exercised too (and the
`ignored_auth` check sends each of those without the token, expecting a 401). Prints what
schemathesis prints, then the cases run, the failures by check and the server errors (5xx) the
server logged; exits non-zero on any failure. Traffic goes to 127.0.0.1 only, and the run stops by
itself (--max-examples per operation and phase, and --max-time for both runs together).
"""

import argparse
import json
import os
import re
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
    env.update(DJANGO_SETTINGS_MODULE="fuzz.settings", FUZZ_WORKDIR=str(workdir), PYTHONPATH=str(ROOT))
    for name in ("DATABASE_URL", "REDIS_URL", "PUBLIC_CACHE_REDIS_URL", "EMAIL_HOST"):
        env.pop(name, None)  # fuzz.settings ignores them; nothing here should suggest otherwise
    return env


def manage(env, *args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


# An editor: a superuser, so that every operation's permission check lets the fuzzer through.
CREATE_EDITOR_TOKEN = """
from django.contrib.auth import get_user_model
from wagtail.models import APIToken
editor = get_user_model().objects.create_superuser("fuzz-editor", "fuzz-editor@example.org", None)
print(APIToken.create_token(user=editor, name="make fuzz")[1])
"""


def editor_token(env):
    """A new editor's API token in the throwaway database (plaintext)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", CREATE_EDITOR_TOKEN],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


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


def is_public(operation):
    """Whether an operation of the document needs no token (no security, or an empty requirement)."""
    security = operation.get("security")
    return not security or {} in security


def public_paths_regex():
    """A schemathesis --include-path-regex matching exactly the paths whose operations need no token."""
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v3/openapi.json", timeout=30) as response:
        document = json.load(response)
    paths = [
        path
        for path, path_item in document["paths"].items()
        if all(is_public(operation) for operation in path_item.values())
    ]
    return "^(" + "|".join(re.escape(path) for path in sorted(paths)) + ")$"


def summary(name, report_path):
    """
    Print the cases run and the failures (by check, the project's endpoints apart from Wagtail's)
    from one run's schemathesis JSON report; return (cases run, unique failures, schemathesis' errors).
    """
    report = json.loads(report_path.read_text())
    cases = report["test_cases"]
    print(f"\n== make fuzz: {name} ==")
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
    for error in report["errors"]:
        print(f"  schemathesis' own error (not the server's): {error['title']}: {error['count']}")
    return cases["generated"], cases["unique_failures"], sum(error["count"] for error in report["errors"])


def server_errors(server_log):
    """Print the 5xx answers in the server's access log; return how many there were."""
    counts = Counter()
    examples = {}
    for line in server_log.read_text(errors="replace").splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[0].isdigit() and parts[0].startswith("5"):
            what = f"{parts[0]} {parts[1]} {parts[2].partition('?')[0]}"
            counts[what] += 1
            examples.setdefault(what, parts[2])
    print(f"\nServer errors (5xx) in the server's access log: {sum(counts.values())}")
    for what, count in counts.most_common(20):
        print(f"  {count:5d}  {what}   e.g. {examples[what][:200]}")
    return sum(counts.values())


def schemathesis(workdir, name, args, seconds, *options):
    """Run schemathesis once (`name` names its report); return its exit code and report's path."""
    report = workdir / f"report-{name}.json"
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(ROOT / "fuzz" / "schemathesis.toml"),
        "run",
        f"http://127.0.0.1:{PORT}/api/v3/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(args.max_examples),
        "--max-time",
        str(seconds),
        "--seed",
        str(args.seed),
        # One worker: with two threads, CPython 3.11's linecache and AST validation race inside
        # schemathesis's coverage phase (a KeyError, "AST constructor recursion depth mismatch").
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "too_slow",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        *options,
    ]
    shown = [part if not part.startswith("Authorization:") else "Authorization: Bearer …" for part in command]
    print(f"\n== {name}: " + " ".join(shown[2:]), flush=True)
    # In the work folder: schemathesis keeps its replay database where it runs.
    return subprocess.run(command, cwd=workdir, check=False).returncode, report


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-examples", type=int, default=50, help="Cases per operation and phase.")
    parser.add_argument(
        "--max-time", type=int, default=420, help="Seconds for both schemathesis runs together (at most)."
    )
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--operation",
        action="append",
        default=[],
        metavar="OPERATION_ID",
        help="Fuzz only this operation (repeatable), with the editor's token only: to iterate on a failure.",
    )
    args = parser.parse_args()
    only = [option for operation_id in args.operation for option in ("--include-operation-id", operation_id)]

    workdir = Path(tempfile.mkdtemp(prefix="clinic-fuzz-"))
    env = django_env(workdir)
    print(f"Building a throwaway site in {workdir} ...", flush=True)
    manage(env, "migrate_site", "-v0")
    manage(env, "load_demo_content", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    token = editor_token(env)
    server_log = workdir / "server.log"
    runs = []
    with server_log.open("w") as log:
        server = start_server(env, log)
        try:
            # Anonymous first: the editor's run then changes and deletes content.
            anonymous_seconds = args.max_time // 4 if not only else 0
            runs += (
                []
                if only
                else [
                    (
                        "anonymous",
                        *schemathesis(
                            workdir,
                            "anonymous",
                            args,
                            anonymous_seconds,
                            "--include-path-regex",
                            public_paths_regex(),
                        ),
                    )
                ]
            )
            runs.append(
                (
                    "editor",
                    *schemathesis(
                        workdir,
                        "editor",
                        args,
                        args.max_time - anonymous_seconds,
                        "--header",
                        f"Authorization: Bearer {token}",
                        *only,
                    ),
                )
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    cases = failures = tool_errors = 0
    for name, _code, report in runs:
        if report.exists():
            run_cases, run_failures, run_errors = summary(name, report)
            cases += run_cases
            failures += run_failures
            tool_errors += run_errors
        else:
            tool_errors += 1
            print(f"\n== make fuzz: {name} == no report: schemathesis did not finish")
    errors = server_errors(server_log)
    print(f"Report and server log: {workdir}")
    print(
        f"\nmake fuzz: {cases} cases run, {failures + errors} failures: "
        f"{errors} server errors, {failures} schema violations"
        + (f" (and {tool_errors} errors of schemathesis itself)" if tool_errors else "")
    )
    sys.exit(1 if failures or errors or tool_errors else 0)


if __name__ == "__main__":
    main()

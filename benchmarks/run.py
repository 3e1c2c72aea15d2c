"""
Benchmarks: `make bench`. Two parts, each on throwaway SQLite sites (never the dev database).

**Growth.** The same requests on a site with 300 articles and on one with 10,000 (built by
`manage.py seed_articles`), in-process and uncached (the public cache emptied before each): the
response's size in bytes, its SQL queries, and the median time over --repeats requests, then the
ratio between the two sizes. Costs that grow with the archive show up here.

**Throughput** (on the 300-article site). gunicorn (2 workers) on 127.0.0.1, driven by wrk in
interleaved rounds:

- a static file holding a 20-card response, served by whitenoise (the ceiling);
- the cached public read of 20 article cards (/api/v3/articles/?limit=20);
- the same two in Brotli (`Accept-Encoding: br`): whitenoise sends the .br file made beforehand,
  as collectstatic does, while the API compresses each cached read as it goes out;
- the list uncached (a second server whose public cache keeps nothing);
- Wagtail's stock API v2 listing of 20 articles with fields=*.

wrk sends no Accept-Encoding unless told, so the other rows compare uncompressed bodies. wrk's
timeout is set above the slowest case (--timeout), and each row reports the requests that timed
out or failed, so a slow target cannot drop out of its figure unseen. After each target the
servers are left to drain (their workers finish what the load left queued) before the next
starts, and the static file is measured in every round: the ratios to it are taken within a
round. It prints requests per second (median of the rounds), the ratios the API issue sets
targets for, the SQL queries per request and the list's size. Traffic goes to 127.0.0.1 only,
for a bounded time.

Built sites are kept in .bench-cache/ (not in git), keyed on the migrations, the demo content and
the seeding code; --rebuild builds them again.
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
PORT_CACHED, PORT_UNCACHED = 8931, 8932
ARTICLES = 300
GROWTH_SIZES = (300, 10_000)
CACHE_DIR = ROOT / ".bench-cache"
# What a built site depends on: when one of these changes, the cached sites are built again.
SITE_INPUTS = ("*/migrations/*.py", "demo/**/*", "cms/management/**/*.py", "cms/pages.py", "requirements.txt")


def django_env(workdir, **extra):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    for name in ("REDIS_URL", "PUBLIC_CACHE_REDIS_URL"):
        env.pop(name, None)
    return env


def manage(env, *args):
    # Quiet: migrate_site reports each column it adds even at -v0; errors still reach stderr.
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def site_key():
    digest = hashlib.sha256()
    for pattern in SITE_INPUTS:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and ".venv" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def site_with(articles, workdir, rebuild=False):
    """
    A copy in `workdir` of the demo site with `articles` articles (database and media), built once
    and kept in CACHE_DIR; static files collected afresh. Returns its environment.
    """
    cached = CACHE_DIR / f"{site_key()}-{articles}"
    if rebuild or not (cached / "bench.sqlite3").exists():
        shutil.rmtree(cached, ignore_errors=True)
        building = cached.with_name(cached.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        env = django_env(building)
        print(f"Building a site with {articles} articles in {cached} (kept for later runs) …", flush=True)
        started = time.monotonic()
        manage(env, "migrate_site", "-v0")
        manage(env, "load_demo_content", "-v0")
        manage(env, "seed_articles", str(articles), "-v0")
        building.rename(cached)
        print(f"… built in {time.monotonic() - started:.0f} s", flush=True)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached / "bench.sqlite3", workdir / "bench.sqlite3")
    shutil.copytree(cached / "media", workdir / "media", dirs_exist_ok=True)
    env = django_env(workdir)
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


def django_step(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.django_side", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,  # its progress and errors go to the terminal
        text=True,
        check=True,
    ).stdout


def start_server(env, port):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v3/clinic/", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"gunicorn on port {port} did not start")


def wrk(url, seconds, connections, timeout, accept_encoding=None):
    """
    One wrk run: {"rps", "requests", "timeouts", "errors"}. Requests that time out (after `timeout`
    seconds) are not in wrk's figure: they are counted apart, as are error responses and failed
    connections, reads and writes.
    """
    headers = ["-H", f"Accept-Encoding: {accept_encoding}"] if accept_encoding else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    connect, read, write, timeouts = map(int, socket.groups()) if socket else (0, 0, 0, 0)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "timeouts": timeouts,
        "errors": connect + read + write + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def cpu_ticks(pid):
    """CPU time (in clock ticks) used so far by process `pid` and its children (gunicorn's workers)."""
    pids = [pid]
    try:
        pids += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        total = 0
        for each in pids:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total
    except (OSError, IndexError, ValueError):
        return None


def wait_for_drain(servers, quiet=0.5, limit=120):
    """
    Wait until the servers' workers stop using CPU: when wrk stops, they are still answering the
    requests it left queued, which would slow the next target's figure.
    """
    deadline = time.monotonic() + limit
    last = [cpu_ticks(server.pid) for server in servers]
    if None in last:  # no /proc: a fixed pause instead
        time.sleep(3)
        return
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = [cpu_ticks(server.pid) for server in servers]
        if None in now or all(after - before <= 1 for before, after in zip(last, now, strict=True)):
            return
        last = now


def growth(env, repeats, budget):
    """{row: {"url", "status", "bytes", "queries", "ms", "timed"}} on `env`'s site (see django_side)."""
    return json.loads(django_step(env, "growth", str(repeats), str(budget)))


def print_growth(by_size):
    small, large = (by_size[size] for size in sorted(by_size))
    low, high = sorted(by_size)
    print()
    print(f"Growth: uncached, in-process, median ms of the requests (n: how many); {low} → {high} articles")
    print(f"{'request':<26} {'bytes':>9} {'bytes':>9} {'SQL':>4} {'SQL':>4} {'ms':>7} {'ms':>7} {'× ms':>6}")
    print(f"{'':<26} {low:>9} {high:>9} {low:>4} {high:>4} {low:>7} {high:>7}")
    for label, row in small.items():
        other = large[label]
        statuses = (row["status"], other["status"])
        status = "" if statuses == (200, 200) else f"  (HTTP {statuses[0]}/{statuses[1]})"
        print(
            f"{label:<26} {row['bytes']:>9} {other['bytes']:>9} {row['queries']:>4} {other['queries']:>4} "
            f"{row['ms']:>7.1f} {other['ms']:>7.1f} {other['ms'] / row['ms']:>6.2f} "
            f"{row['timed']:>2}/{other['timed']:<2}{status}"
        )


def measurements(env, sample_path):
    """
    SQL queries per uncached 20-card list (ours, stock v2) and the response's size in bytes (as it
    is, gzipped, in Brotli); our list is written to sample_path.
    """
    rows = [line.split() for line in django_step(env, "measure", str(sample_path)).strip().splitlines()]
    return {label: [int(number) for number in numbers] for label, *numbers in rows}


def write_static_sample(path, body):
    """`body` as a static file, with the .gz and .br that whitenoise serves beside it (as collectstatic)."""
    path.write_bytes(body)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(body, compresslevel=9))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(body))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--timeout", type=int, default=30, help="wrk's timeout, above the slowest case")
    parser.add_argument("--repeats", type=int, default=7, help="uncached requests per growth row, at most")
    parser.add_argument("--budget", type=float, default=15, help="seconds per growth row, about")
    parser.add_argument("--rebuild", action="store_true", help="build the seeded sites again")
    parser.add_argument("--no-throughput", action="store_true", help="the growth table only")
    parser.add_argument("--no-growth", action="store_true", help="the throughput table only")
    args = parser.parse_args()
    if not args.no_throughput and not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk (make bench does this)")

    workdir = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    try:
        if not args.no_growth:
            by_size = {}
            for size in GROWTH_SIZES:
                env = site_with(size, workdir / f"growth-{size}", args.rebuild)
                print(f"Measuring the growth rows on {size} articles …", flush=True)
                by_size[size] = growth(env, args.repeats, args.budget)
            print_growth(by_size)
        if not args.no_throughput:
            throughput(args, workdir / "throughput", args.rebuild and args.no_growth)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def throughput(args, workdir, rebuild):
    env = site_with(ARTICLES, workdir, rebuild)
    sample = workdir / "bench-sample.json"
    measured = measurements(env, sample)
    _queries, cards, cards_gzip, cards_br = measured["ours"]
    write_static_sample(workdir / "static" / "bench-sample.json", sample.read_bytes())

    servers = []
    try:
        servers.append(start_server(env, PORT_CACHED))
        servers.append(start_server(django_env(workdir, PUBLIC_CACHE_SECONDS="0"), PORT_UNCACHED))
        static_url = f"http://127.0.0.1:{PORT_CACHED}/static/bench-sample.json"
        cached_url = f"http://127.0.0.1:{PORT_CACHED}/api/v3/articles/?limit=20"
        targets = {  # name: (url, Accept-Encoding)
            "static file (whitenoise)": (static_url, None),
            "API list, cached": (cached_url, None),
            "static file, br": (static_url, "br"),
            "API list, cached, br": (cached_url, "br"),
            "API list, uncached": (f"http://127.0.0.1:{PORT_UNCACHED}/api/v3/articles/?limit=20", None),
            "stock v2 list, fields=*": (
                f"http://127.0.0.1:{PORT_UNCACHED}/api/v2/pages/?type=articles.ArticlePage&fields=*&limit=20",
                None,
            ),
        }
        for url, accept_encoding in targets.values():  # warm: renditions, caches, imports
            wrk(url, 1, 2, args.timeout, accept_encoding)
            wait_for_drain(servers)
        results = {name: [] for name in targets}
        for round_number in range(1, args.rounds + 1):
            for name, (url, accept_encoding) in targets.items():
                results[name].append(wrk(url, args.seconds, args.connections, args.timeout, accept_encoding))
                wait_for_drain(servers)
            print(f"round {round_number}/{args.rounds} done", flush=True)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)

    def rps(name):
        return [run["rps"] for run in results[name]]

    def ratio(name, to):
        """The median of the rounds' ratios, each to the other target's figure in the same round."""
        return statistics.median(a / b if b else 0.0 for a, b in zip(rps(name), rps(to), strict=True))

    static = "static file (whitenoise)"
    print()
    print(
        f"{'target':<26} {'req/s (median)':>14} {'rounds':>24} {'vs static':>9} {'timeouts':>8} {'errors':>6}"
    )
    failed = False
    for name, runs in results.items():
        rounds = ", ".join(f"{v:.0f}" for v in rps(name))
        timeouts = sum(run["timeouts"] for run in runs)
        errors = sum(run["errors"] for run in runs)
        failed |= bool(timeouts or errors or not all(run["requests"] for run in runs))
        print(
            f"{name:<26} {statistics.median(rps(name)):>14.0f} {rounds:>24} {ratio(name, static):>9.2f} "
            f"{timeouts:>8} {errors:>6}"
        )
    print()
    print(f"cached read / static file:        {ratio('API list, cached', static):.2f}  (target ≥ 0.8)")
    print(f"the same in Brotli:               {ratio('API list, cached, br', 'static file, br'):.2f}")
    uncached_ratio = ratio("API list, uncached", "stock v2 list, fields=*")
    print(f"uncached list / stock v2 listing: {uncached_ratio:.1f}  (target ≥ 5)")
    print(f"SQL queries per 20-card list: ours {measured['ours'][0]}, stock v2 {measured['v2'][0]}")
    print(f"response size of a 20-card list: {cards} bytes, gzip {cards_gzip}, br {cards_br}")
    if failed:
        print("WARNING: some requests timed out or failed (see the table): those rows are not comparable.")


if __name__ == "__main__":
    main()

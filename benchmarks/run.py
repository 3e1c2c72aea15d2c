"""
Benchmarks: `make bench`. Two parts, each on throwaway sites (never the dev database): SQLite and
local-memory caches by default; PostgreSQL and Redis with --services (`make bench-services`).

**Growth.** The same requests on a site with 300 articles and on one with 10,000 (built by
`manage.py seed_articles`), in-process and uncached (the public cache emptied before each, what
pages share included): the response's size in bytes, its SQL queries, and the median time over
--repeats requests, then the ratio between the two sizes. Costs that grow with the archive show up
here.

**Throughput** (on the 300-article site). gunicorn (2 workers) on 127.0.0.1, driven by wrk in
interleaved rounds, every target in every round:

- a static file holding a 20-card response, served by whitenoise (the ceiling);
- cached: an article page, the 20-card list (/api/v3/articles/?limit=20) and an article's detail
  (/api/v3/articles/<id>/), answered from the public cache;
- uncached: the article page, the blog index, home, the list and the detail, from a second server
  that never stores a response (settings.PUBLIC_CACHE_STORE_RESPONSES off, and a cache key prefix
  of its own so it cannot read the first server's) but keeps what pages share in the public cache
  (cms/shared_data.py), as on a live site: each read costs what the first reader of a page pays
  right after a publish, once any other page has been read since;
- Wagtail's stock API v2 listing of 20 articles with fields=* (uncached);
- the static file and the cached list in Brotli (`Accept-Encoding: br`): whitenoise sends the .br
  file made beforehand, as collectstatic does, and the public cache the Brotli it made when it
  stored the list (cms.compression.keep_compressed).

wrk sends no Accept-Encoding unless told, so the other rows compare uncompressed bodies. wrk's
timeout is set above the slowest case (--timeout), and each row reports the requests that timed
out or failed, so a slow target cannot drop out of its figure unseen. After each target the
servers are left to drain (their workers finish what the load left queued) before the next
starts, and the static file is measured in every round: the ratios to it are taken within a
round, then the median of the rounds. Each row has its SQL queries per request, counted
in-process beforehand (benchmarks/django_side.py, `measure`) the way the server answers it.
Then the targets of issue #15, each PASS or MISS: uncached article page, blog index and home at
least 0.04× the static file with at most 12 SQL queries each; the uncached detail at least as
fast as the uncached list; cached pages and API reads at least 0.8× the static file on local
memory, 0.6× on Redis; the uncached list at least 5× the stock v2 listing. Traffic goes to
127.0.0.1 only, for a bounded time.

Built SQLite sites are kept in .bench-cache/ (not in git), keyed on the migrations, the demo
content and the seeding code; --rebuild builds them again. With --services each site is built
afresh in a PostgreSQL database the run creates (named after --postgres, `<name>_<articles>`)
and drops at the end; both Redis databases (--redis, --public-redis) are emptied.
"""

import argparse
import contextlib
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
from urllib.parse import urlsplit, urlunsplit

import brotli
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PORT_CACHED, PORT_UNCACHED = 8931, 8932
ARTICLES = 300
GROWTH_SIZES = (300, 10_000)
CACHE_DIR = ROOT / ".bench-cache"
# What a built site depends on: when one of these changes, the cached sites are built again.
SITE_INPUTS = ("*/migrations/*.py", "demo/**/*", "cms/management/**/*.py", "cms/pages.py", "requirements.txt")


def django_env(workdir, services=None, **extra):
    """
    The environment of the site in `workdir`: its SQLite database and local-memory caches, or, with
    `services` ({"database": URL, "redis": URL, "public_redis": URL}), those servers.
    """
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "PUBLIC_CACHE_REDIS_URL", "BENCH_UNCACHED"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    if services:
        env.update(
            DATABASE_URL=services["database"],
            REDIS_URL=services["redis"],
            PUBLIC_CACHE_REDIS_URL=services["public_redis"],
        )
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


def site_with(articles, workdir, rebuild=False, services=None):
    """
    A copy in `workdir` of the demo site with `articles` articles (database and media), built once
    and kept in CACHE_DIR; static files collected afresh. Returns its environment. With `services`
    (see django_env, "database" naming the server and a database name), the site is built afresh
    in a new PostgreSQL database, `<name>_<articles>`, that drop_databases() drops.
    """
    if services:
        return site_on_postgres(articles, workdir, services)
    cached = CACHE_DIR / f"{site_key()}-{articles}"
    if rebuild or not (cached / "bench.sqlite3").exists():
        shutil.rmtree(cached, ignore_errors=True)
        building = cached.with_name(cached.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        env = django_env(building)
        print(f"Building a site with {articles} articles in {cached} (kept for later runs) …", flush=True)
        started = time.monotonic()
        build_site(env, articles)
        building.rename(cached)
        print(f"… built in {time.monotonic() - started:.0f} s", flush=True)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached / "bench.sqlite3", workdir / "bench.sqlite3")
    shutil.copytree(cached / "media", workdir / "media", dirs_exist_ok=True)
    env = django_env(workdir)
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


def build_site(env, articles):
    manage(env, "migrate_site", "-v0")
    manage(env, "load_demo_content", "-v0")
    manage(env, "seed_articles", str(articles), "-v0")


# The PostgreSQL databases this run created, to drop at the end: (server URL, name).
_created_databases = []
_postgres_sites = {}  # articles: environment, to use a site again in the same run


def site_on_postgres(articles, workdir, services):
    if articles in _postgres_sites:
        return _postgres_sites[articles]
    url = urlsplit(services["database"])
    name = f"{url.path.lstrip('/')}_{articles}"
    server = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # a killed run's
        connection.execute(f'CREATE DATABASE "{name}"')
    _created_databases.append((server, name))
    workdir.mkdir(parents=True, exist_ok=True)
    env = django_env(workdir, {**services, "database": urlunsplit(url._replace(path=f"/{name}"))})
    print(f"Building a site with {articles} articles in PostgreSQL database {name} …", flush=True)
    started = time.monotonic()
    build_site(env, articles)
    print(f"… built in {time.monotonic() - started:.0f} s", flush=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    _postgres_sites[articles] = env
    return env


def drop_databases():
    while _created_databases:
        server, name = _created_databases.pop()
        _postgres_sites.clear()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
    The throughput targets' paths, their SQL queries per request cached and uncached, and the
    20-card list's size in bytes (as it is, gzipped, in Brotli); the list is written to sample_path.
    """
    return json.loads(django_step(env, "measure", str(sample_path)))


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
    parser.add_argument("--rebuild", action="store_true", help="build the seeded SQLite sites again")
    parser.add_argument("--no-throughput", action="store_true", help="the growth table only")
    parser.add_argument("--no-growth", action="store_true", help="the throughput table only")
    parser.add_argument(
        "--growth-sizes",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=GROWTH_SIZES,
        help="the two archive sizes of the growth table (default 300,10000)",
    )
    parser.add_argument(
        "--services", action="store_true", help="PostgreSQL and Redis instead of SQLite and local memory"
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/clinic_bench",
        help="with --services: the server, and the name the run's databases start with (it must "
        "contain 'bench'; <name>_<articles> are created, and dropped at the end)",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15", help="with --services: REDIS_URL")
    parser.add_argument(
        "--public-redis",
        default="redis://127.0.0.1:6379/2",
        help="with --services: PUBLIC_CACHE_REDIS_URL (emptied, like --redis)",
    )
    args = parser.parse_args()
    if not args.no_throughput and not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk (make bench does this)")
    services = None
    if args.services:
        if "bench" not in urlsplit(args.postgres).path:
            sys.exit(f"--postgres {args.postgres}: the database name must contain 'bench' (it is dropped)")
        services = {"database": args.postgres, "redis": args.redis, "public_redis": args.public_redis}

    workdir = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    try:
        if not args.no_growth:
            by_size = {}
            for size in args.growth_sizes:
                env = site_with(size, workdir / f"growth-{size}", args.rebuild, services)
                print(f"Measuring the growth rows on {size} articles …", flush=True)
                by_size[size] = growth(env, args.repeats, args.budget)
            print_growth(by_size)
        if not args.no_throughput:
            throughput(args, workdir / "throughput", args.rebuild and args.no_growth, services)
    finally:
        with contextlib.suppress(psycopg.Error):
            drop_databases()
        shutil.rmtree(workdir, ignore_errors=True)


STATIC = "static file (whitenoise)"


def throughput_targets(paths, cached_base, uncached_base):
    """{row: (url, Accept-Encoding, SQL queries key)}, in the order measured and printed."""
    static_url = f"{cached_base}/static/bench-sample.json"
    return {
        STATIC: (static_url, None, None),
        "article page, cached": (cached_base + paths["article page"], None, ("cached", "article page")),
        "API list, cached": (cached_base + paths["API list"], None, ("cached", "API list")),
        "API detail, cached": (cached_base + paths["API detail"], None, ("cached", "API detail")),
        "article page, uncached": (uncached_base + paths["article page"], None, ("uncached", "article page")),
        "blog index, uncached": (uncached_base + paths["blog index"], None, ("uncached", "blog index")),
        "home, uncached": (uncached_base + paths["home"], None, ("uncached", "home")),
        "API list, uncached": (uncached_base + paths["API list"], None, ("uncached", "API list")),
        "API detail, uncached": (uncached_base + paths["API detail"], None, ("uncached", "API detail")),
        "stock v2 list, fields=*": (
            uncached_base + paths["stock v2 list"],
            None,
            ("uncached", "stock v2 list"),
        ),
        "static file, br": (static_url, "br", None),
        "API list, cached, br": (cached_base + paths["API list"], "br", ("cached", "API list")),
    }


def throughput(args, workdir, rebuild, services):
    env = site_with(ARTICLES, workdir, rebuild, services)
    workdir.mkdir(parents=True, exist_ok=True)
    sample = workdir / "bench-sample.json"
    measured = measurements(env, sample)
    queries = measured["queries"]
    cards, cards_gzip, cards_br = measured["list bytes"]
    write_static_sample(Path(env["STATIC_ROOT"]) / "bench-sample.json", sample.read_bytes())
    targets = throughput_targets(
        measured["paths"], f"http://127.0.0.1:{PORT_CACHED}", f"http://127.0.0.1:{PORT_UNCACHED}"
    )

    servers = []
    try:
        servers.append(start_server(env, PORT_CACHED))
        servers.append(start_server({**env, "BENCH_UNCACHED": "1"}, PORT_UNCACHED))
        for url, accept_encoding, _queries in targets.values():  # warm: renditions, caches, imports
            wrk(url, 1, 2, args.timeout, accept_encoding)
            wait_for_drain(servers)
        results = {name: [] for name in targets}
        for round_number in range(1, args.rounds + 1):
            for name, (url, accept_encoding, _queries) in targets.items():
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

    def sql(name):
        where = targets[name][2]
        return queries[where[0]][where[1]] if where else 0

    backend = "PostgreSQL, Redis" if services else "SQLite, local memory"
    print()
    print(
        f"Throughput ({backend}; {ARTICLES} articles, gunicorn 2 workers, wrk {args.connections} "
        f"connections, {args.rounds} rounds of {args.seconds} s; load average {load_average()})"
    )
    print(
        f"{'target':<26} {'req/s (median)':>14} {'rounds':>20} {'vs static':>9} {'SQL':>4} "
        f"{'timeouts':>8} {'errors':>6}"
    )
    failed = False
    for name, runs in results.items():
        rounds = ", ".join(f"{v:.0f}" for v in rps(name))
        timeouts = sum(run["timeouts"] for run in runs)
        errors = sum(run["errors"] for run in runs)
        failed |= bool(timeouts or errors or not all(run["requests"] for run in runs))
        print(
            f"{name:<26} {statistics.median(rps(name)):>14.0f} {rounds:>20} {ratio(name, STATIC):>9.2f} "
            f"{sql(name) if targets[name][2] else '-':>4} {timeouts:>8} {errors:>6}"
        )
    print()
    cached_floor = 0.6 if services else 0.8
    checks = []  # (what, figure, met)
    for page in ("article page", "blog index", "home"):
        name = f"{page}, uncached"
        figure, count = ratio(name, STATIC), sql(name)
        checks.append(
            (
                f"{name} ≥ 0.04× static, ≤ 12 SQL",
                f"{figure:.3f}×, {count} SQL",
                figure >= 0.04 and count <= 12,
            )
        )
    figure = ratio("API detail, uncached", "API list, uncached")
    checks.append(("API detail, uncached ≥ API list, uncached", f"{figure:.2f}×", figure >= 1))
    for name in ("article page, cached", "API list, cached", "API detail, cached"):
        figure = ratio(name, STATIC)
        checks.append((f"{name} ≥ {cached_floor}× static", f"{figure:.2f}×", figure >= cached_floor))
    figure = ratio("API list, uncached", "stock v2 list, fields=*")
    checks.append(("API list, uncached ≥ 5× stock v2 list", f"{figure:.1f}×", figure >= 5))
    print(f"Targets (issue #15; cached reads on {'Redis' if services else 'local memory'})")
    for what, figure, met in checks:
        print(f"{what:<48} {figure:>16}  {'PASS' if met else 'MISS'}")
    print()
    brotli_ratio = ratio("API list, cached, br", "static file, br")
    print(f"the cached list in Brotli / the static file in Brotli: {brotli_ratio:.2f}")
    print(f"response size of a 20-card list: {cards} bytes, gzip {cards_gzip}, br {cards_br}")
    if failed:
        print("WARNING: some requests timed out or failed (see the table): those rows are not comparable.")


def load_average():
    with contextlib.suppress(OSError):
        return ", ".join(f"{load:.1f}" for load in os.getloadavg())
    return "unknown"


if __name__ == "__main__":
    main()

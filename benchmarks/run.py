"""
API throughput benchmark: `make bench`.

Builds a throwaway SQLite site with 300 articles, serves it with gunicorn (2 workers) on
127.0.0.1, and drives it with wrk in interleaved rounds:

- a static file holding a 20-card response, served by whitenoise (the ceiling);
- the cached public read of 20 article cards (/api/v3/articles/?limit=20);
- the same two in Brotli (`Accept-Encoding: br`): whitenoise sends the .br file made beforehand,
  as collectstatic does, while the API compresses each cached read as it goes out;
- the list uncached (a second server whose public cache keeps nothing);
- Wagtail's stock API v2 listing of 20 articles with fields=*.

wrk sends no Accept-Encoding unless told, so the other rows compare uncompressed bodies. It prints
requests per second (median of the rounds), the ratios the API issue sets targets for, the SQL
queries per request and the list's size. Traffic goes to 127.0.0.1 only, for a bounded time.
"""

import argparse
import gzip
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
    env.pop("REDIS_URL", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def build_site(env):
    manage(env, "migrate_site", "-v0")
    manage(env, "load_demo_content", "-v0")
    django_step(env, "clone", str(ARTICLES))
    manage(env, "collectstatic", "--noinput", "-v0")


def django_step(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.django_side", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
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


def wrk(url, seconds, connections, accept_encoding=None):
    headers = ["-H", f"Accept-Encoding: {accept_encoding}"] if accept_encoding else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} error responses\n{out}")
    return rps


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
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk (make bench does this)")

    workdir = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    servers = []
    try:
        env = django_env(workdir)
        print(f"Building a site with {ARTICLES} articles in {workdir} …", flush=True)
        build_site(env)
        sample = workdir / "bench-sample.json"
        measured = measurements(env, sample)
        _queries, cards, cards_gzip, cards_br = measured["ours"]
        write_static_sample(workdir / "static" / "bench-sample.json", sample.read_bytes())

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
            wrk(url, 1, 2, accept_encoding)
        results = {name: [] for name in targets}
        for round_number in range(1, args.rounds + 1):
            for name, (url, accept_encoding) in targets.items():
                results[name].append(wrk(url, args.seconds, args.connections, accept_encoding))
            print(f"round {round_number}/{args.rounds} done", flush=True)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in results.items()}
    static = medians["static file (whitenoise)"]
    print()
    print(f"{'target':<28} {'req/s (median)':>15} {'rounds':>28} {'vs static':>10}")
    for name, values in results.items():
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"{name:<28} {medians[name]:>15.0f} {rounds:>28} {medians[name] / static:>10.2f}")
    print()
    cached_ratio = medians["API list, cached"] / static
    cached_br_ratio = medians["API list, cached, br"] / medians["static file, br"]
    uncached_ratio = medians["API list, uncached"] / medians["stock v2 list, fields=*"]
    print(f"cached read / static file:        {cached_ratio:.2f}  (target ≥ 0.8)")
    print(f"the same in Brotli:               {cached_br_ratio:.2f}")
    print(f"uncached list / stock v2 listing: {uncached_ratio:.1f}  (target ≥ 5)")
    print(f"SQL queries per 20-card list: ours {measured['ours'][0]}, stock v2 {measured['v2'][0]}")
    print(f"response size of a 20-card list: {cards} bytes, gzip {cards_gzip}, br {cards_br}")


if __name__ == "__main__":
    main()

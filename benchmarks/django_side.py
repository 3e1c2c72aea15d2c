"""The benchmark's steps that run inside Django: `python -m benchmarks.django_side <step>`."""

import gc
import json
import math
import statistics
import sys
import time

import django

LISTS = {
    "ours": "/api/v3/articles/?limit=20",
    "v2": "/api/v2/pages/?type=articles.ArticlePage&fields=*&limit=20",
}


def throughput_paths():
    """{target: path} of what the throughput table serves, in English (see growth_urls)."""
    urls = growth_urls()
    return {
        "article page": urls["article page, en"],
        "blog index": urls["blog, first page, en"],
        "home": urls["home, en"],
        "API list": LISTS["ours"],
        "API detail": urls["API detail"],
        "stock v2 list": LISTS["v2"],
    }


def measure(sample_path):
    """
    Print, as JSON, the paths of the throughput targets ("paths"); the SQL queries of a request to
    each, cached and uncached as the two servers answer it ("queries"); and the size of our 20-card
    list as it is, gzipped and in Brotli (as the server compresses it; "list bytes"). Write our
    list to sample_path.

    Cached: the second read of a URL, answered from the public cache. Uncached: the second read with
    settings.PUBLIC_CACHE_STORE_RESPONSES off, as the benchmark's uncached server runs: no response
    stored, but what pages share (cms/shared_data.py) kept by the first read, as for the first
    reader of a page after a publish when other pages have been read since.
    """
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    paths = throughput_paths()

    def queries_of_second_read(path):
        caches["public"].clear()
        client.get(path)  # renditions made, per-process caches warm, shared data kept
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(queries), response

    counts = {"cached": {}, "uncached": {}}
    for label, path in paths.items():
        counts["cached"][label] = queries_of_second_read(path)[0]
        with override_settings(PUBLIC_CACHE_STORE_RESPONSES=False):
            counts["uncached"][label], response = queries_of_second_read(path)
        if label == "API list":
            sizes = [len(response.content)]
            sizes += [len(client.get(path, HTTP_ACCEPT_ENCODING=coding).content) for coding in ("gzip", "br")]
            with open(sample_path, "wb") as sample:
                sample.write(response.content)
    caches["public"].clear()
    print(json.dumps({"paths": paths, "queries": counts, "list bytes": sizes}))


def growth_urls():
    """{row: URL} of what the growth table measures, on a blog of any size (the seed article throughout)."""
    from django.conf import settings
    from django.utils import translation

    from articles.models import ArticlePage, BlogIndexPage

    article = ArticlePage.objects.live().exclude(slug_ta=None).order_by("path").first()
    blog = BlogIndexPage.objects.live().first()
    count = ArticlePage.objects.for_listing().child_of(blog).count()
    last_page = max(1, -(-count // settings.ARTICLES_PER_PAGE))
    urls = {}
    for language in ("en", "ta"):
        with translation.override(language):
            urls[f"article page, {language}"] = article.get_url()
            urls[f"home, {language}"] = f"/{language}/"
            urls[f"blog, first page, {language}"] = blog.get_url()
            urls[f"blog, last page, {language}"] = f"{blog.get_url()}?page={last_page}"
            urls[f"feed, {language}"] = blog.get_feed_url()
    urls["sitemap index"] = "/sitemap.xml"
    urls["sitemap, first section"] = "/sitemap-pages.xml?p=1"
    urls["API list, 20 cards"] = "/api/v3/articles/?limit=20"
    urls["API list, last 20"] = f"/api/v3/articles/?limit=20&offset={max(0, count - 20)}"
    urls["API detail"] = f"/api/v3/articles/{article.pk}/"
    urls["API search=collagen"] = "/api/v3/articles/?search=collagen&limit=20"
    urls["site search, en"] = "/en/search/?q=collagen"
    urls["site search, ta"] = "/ta/search/?q=%E0%AE%95%E0%AF%8A%E0%AE%B2%E0%AE%BE%E0%AE%9C%E0%AE%A9%E0%AF%8D"
    return urls


def growth(repeats, budget):
    """
    Print, as JSON, each growth URL's status, size in bytes, SQL queries and median time (ms) over
    up to `repeats` uncached requests (the public cache emptied before each), and how many were
    timed; the queries and bytes are the last request's. A first request warms up (renditions,
    per-process caches); a row stops repeating once its requests have taken `budget` seconds, and
    a first request slower than that is the row's one timing, so a slow row is measured rather
    than waited for.
    """
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    rows = {}
    for label, url in growth_urls().items():
        caches["public"].clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        spent = time.perf_counter() - started
        times = [spent * 1000] if spent > budget else []
        while len(times) < repeats and spent < budget or not times:
            caches["public"].clear()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:  # the last, warm request's are kept
                response = client.get(url)
            elapsed = time.perf_counter() - started
            times.append(elapsed * 1000)
            spent += elapsed
        row = {"url": url, "status": response.status_code, "bytes": len(response.content)}
        row["queries"] = len(queries)
        rows[label] = {**row, "ms": statistics.median(times), "timed": len(times)}
        print(f"{label}: {rows[label]['ms']:.0f} ms", file=sys.stderr, flush=True)
    print(json.dumps(rows))


INSTRUCTION_TARGETS = (
    "article page, en",
    "article page, ta",
    "blog, first page, en",
    "blog, last page, en",
    "home, en",
    "home, ta",
    "site search, en",
    "API list, 20 cards",
    "API detail",
)


def instructions(count):
    """
    Serve each of INSTRUCTION_TARGETS `count` times as the uncached server does, after a warm-up,
    each target's requests inside one call of `math.fsum`: valgrind, told to count only within that
    function and to write its count when it returns (benchmarks/instructions.py), counts each
    target apart from start-up and from the others. Print, as JSON, {target: path} in that order.
    """
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    urls = growth_urls()
    paths = {label: urls[label] for label in INSTRUCTION_TARGETS}

    def serve(path):
        for _ in range(count):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        yield 0.0

    for path in paths.values():
        for _ in range(3):  # renditions made, per-process caches warm, shared data kept
            client.get(path)
    # The cyclic garbage collector paused: when it runs depends on all that was allocated before,
    # so its runs would move a target's count by several percent between two versions of the code
    # that differ anywhere. Its cost is left out.
    gc.disable()
    for path in paths.values():
        gc.collect()
        math.fsum(serve(path))
    print(json.dumps(paths))


def empty_caches():
    """Nothing kept from another site or run: the caches may be Redis databases (--services)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


if __name__ == "__main__":
    django.setup()
    empty_caches()
    step = sys.argv[1]
    if step == "growth":
        growth(int(sys.argv[2]), float(sys.argv[3]))
    elif step == "measure":
        measure(sys.argv[2])
    elif step == "instructions":
        instructions(int(sys.argv[2]))
    else:
        sys.exit(f"unknown step {step!r}")

"""The benchmark's steps that run inside Django: `python -m benchmarks.django_side <step>`."""

import sys

import django


def clone_articles(total):
    """Copy the demo articles until there are `total` of them, all published."""
    from articles.models import ArticlePage

    seeds = list(ArticlePage.objects.live())
    blog = seeds[0].get_parent()
    count = ArticlePage.objects.count()
    while count < total:
        seed = seeds[count % len(seeds)]
        slug = f"{seed.slug_en}-{count}"
        seed.copy(
            to=blog,
            update_attrs={
                "slug": slug,
                "slug_en": slug,
                "slug_ta": f"{seed.slug_ta or seed.slug_en}-{count}",
            },
            keep_live=True,
        )
        count += 1


LISTS = {
    "ours": "/api/v3/articles/?limit=20",
    "v2": "/api/v2/pages/?type=articles.ArticlePage&fields=*&limit=20",
}


def measure(sample_path):
    """
    Print the SQL queries of one uncached 20-card list, ours and stock v2, and our response size
    as it is, gzipped and in Brotli (as the server compresses it); write our list to sample_path.
    """
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for label, url in LISTS.items():
        client.get(url)  # renditions made, per-process caches warm
        caches["public"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        query_count = len(queries)  # counted now: the next request empties the connection's log
        compressed = [len(client.get(url, HTTP_ACCEPT_ENCODING=coding).content) for coding in ("gzip", "br")]
        print(label, query_count, len(response.content), *compressed)
        if label == "ours":
            with open(sample_path, "wb") as sample:
                sample.write(response.content)


if __name__ == "__main__":
    django.setup()
    step = sys.argv[1]
    if step == "clone":
        clone_articles(int(sys.argv[2]))
    elif step == "measure":
        measure(sys.argv[2])
    else:
        sys.exit(f"unknown step {step!r}")

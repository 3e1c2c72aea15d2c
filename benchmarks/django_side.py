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


def measure():
    """Print the SQL queries of one uncached 20-card list, ours and stock v2, and our response size."""
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
        print(label, len(queries), len(response.content))


if __name__ == "__main__":
    django.setup()
    step = sys.argv[1]
    if step == "clone":
        clone_articles(int(sys.argv[2]))
    elif step == "measure":
        measure()
    else:
        sys.exit(f"unknown step {step!r}")

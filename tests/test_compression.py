"""
The site's pages come compressed (Brotli or gzip) to anonymous visitors, from the page cache too;
nothing that could mix a visitor's secrets with text from the URL is (the admin, a signed-in
editor's pages); files compressed already are left as they are.
"""

import re

from wagtail_factories import DocumentFactory

from tests.encodings import BROWSER, decoded
from tests.public_cache import read

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_anonymous_pages_come_compressed_in_the_encoding_asked_for(client, demo):
    plain = client.get("/ta/vlaipptivu/")
    in_brotli = read(client, "/ta/vlaipptivu/", HTTP_ACCEPT_ENCODING=BROWSER)
    gzipped = read(client, "/ta/vlaipptivu/", HTTP_ACCEPT_ENCODING="gzip")

    assert in_brotli.from_cache and gzipped.from_cache  # the page cache's copy, compressed for each
    assert (in_brotli["Content-Encoding"], gzipped["Content-Encoding"]) == ("br", "gzip")
    assert decoded(in_brotli) == decoded(gzipped) == plain.content
    assert "Accept-Encoding" in in_brotli["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    print(
        f"\nThe Tamil blog page, bytes: {len(plain.content)} plain, "
        f"{len(gzipped.content)} gzip, {len(in_brotli.content)} br"
    )
    assert len(in_brotli.content) < len(gzipped.content) < len(plain.content) / 4


def test_the_sitemap_and_feeds_are_compressed_too(client, demo):
    for path in ["/sitemap.xml", "/ta/vlaipptivu/feed/"]:
        response = client.get(path, HTTP_ACCEPT_ENCODING="br")
        assert response["Content-Encoding"] == "br", path
        assert decoded(response).startswith(b"<?xml"), path


def test_the_admin_is_never_compressed(client, demo, django_user_model):
    """BREACH: the admin shows patients' requests beside search terms taken from the URL."""
    login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING=BROWSER)
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pw"))
    requests = client.get("/admin/consultation-requests/?q=a", HTTP_ACCEPT_ENCODING=BROWSER)

    for response in (login, requests):
        assert response.status_code == 200
        assert "Content-Encoding" not in response


def test_a_signed_in_editors_pages_are_not_compressed(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pw"))
    response = client.get("/en/search/?q=skin", HTTP_ACCEPT_ENCODING=BROWSER)

    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_the_booking_form_is_compressed_with_a_csrf_token_masked_afresh_each_time(client, demo):
    """What keeps compressing it safe: the token in the page changes on every response."""
    first = client.get("/en/book/", HTTP_ACCEPT_ENCODING="br")
    second = client.get("/en/book/", HTTP_ACCEPT_ENCODING="br")

    assert first["Content-Encoding"] == second["Content-Encoding"] == "br"
    (first_token,) = CSRF_FIELD.findall(decoded(first).decode())
    (second_token,) = CSRF_FIELD.findall(decoded(second).decode())
    assert first_token != second_token


def test_files_that_are_compressed_already_are_left_alone(client, demo):
    pdf = b"%PDF-1.4\n" + b"0" * 5000
    document = DocumentFactory(file__filename="aftercare.pdf", file__data=pdf)

    response = client.get(document.url, HTTP_ACCEPT_ENCODING=BROWSER)
    static = client.get("/static/css/site.css", HTTP_ACCEPT_ENCODING=BROWSER)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf
    # Static files are whitenoise's: it answers before this middleware, with the .br/.gz files
    # collectstatic writes (tests serve them from the finders, so none here).
    assert static.status_code == 200 and "Content-Encoding" not in static

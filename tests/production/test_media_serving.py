"""
Images on the local disk are served at MEDIA_URL with DEBUG off, as in production: cacheable, with
validators (304), byte ranges (206, 416), and nothing outside the image folders.
"""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file


@pytest.fixture
def image(db):
    return get_image_model().objects.create(title="Clinic entrance", file=get_test_image_file())


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_image_is_served_with_caching_headers_and_validators(client, image):
    assert not settings.DEBUG
    response = client.get(image.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response) == image.file.open("rb").read()
    assert response["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert response["Accept-Ranges"] == "bytes"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_rendition_is_served_too(client, image):
    rendition = image.get_rendition("fill-100x100")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_a_revalidation_with_the_etag_or_the_date_is_a_304(client, image):
    first = client.get(image.file.url)

    by_etag = client.get(image.file.url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(image.file.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert body(response) == b""
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"] == first["Cache-Control"]


def test_a_byte_range_is_a_206_with_exactly_those_bytes(client, image):
    whole = image.file.open("rb").read()
    size = len(whole)

    middle = client.get(image.file.url, HTTP_RANGE="bytes=10-19")
    tail = client.get(image.file.url, HTTP_RANGE="bytes=-5")
    rest = client.get(image.file.url, HTTP_RANGE="bytes=20-")

    assert middle.status_code == 206
    assert body(middle) == whole[10:20]
    assert middle["Content-Range"] == f"bytes 10-19/{size}"
    assert middle["Content-Length"] == "10"
    assert (tail.status_code, body(tail)) == (206, whole[-5:])
    assert (rest.status_code, body(rest)) == (206, whole[20:])


def test_a_range_past_the_end_is_a_416_and_a_stale_if_range_gets_the_whole_file(client, image):
    size = image.file.size

    beyond = client.get(image.file.url, HTTP_RANGE=f"bytes={size}-")
    stale = client.get(image.file.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-old-version"')
    current = client.get(
        image.file.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=client.get(image.file.url)["ETag"]
    )

    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"
    assert stale.status_code == 200
    assert len(body(stale)) == size
    assert current.status_code == 206


def test_a_head_request_has_the_headers_and_no_body(client, image):
    response = client.head(image.file.url)
    assert response.status_code == 200
    assert response["ETag"]
    assert response["Content-Length"] == str(image.file.size)
    assert body(response) == b""


@pytest.mark.parametrize(
    "path",
    [
        "images/../documents/consent.txt",
        "images/%2e%2e/documents/consent.txt",
        "original_images/../../cms/settings/base.py",
        "documents/consent.txt",
        "images/",
        "images/missing.png",
    ],
)
def test_nothing_but_images_is_served_from_media(client, db, path):
    get_document_model().objects.create(title="Consent", file=ContentFile(b"private", name="consent.txt"))
    response = client.get(settings.MEDIA_URL + path)
    assert response.status_code in (400, 404)  # a path that climbs out is refused by the input guard
    assert b"private" not in body(response)


def test_writing_to_media_is_refused(client, image):
    assert client.post(image.file.url).status_code == 405


def test_the_bucket_policy_command_needs_a_bucket():
    with pytest.raises(CommandError, match="AWS_STORAGE_BUCKET_NAME"):
        call_command("media_bucket_policy")

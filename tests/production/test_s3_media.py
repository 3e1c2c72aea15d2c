"""
Media in an S3-compatible bucket (AWS_STORAGE_BUCKET_NAME): a real S3 server (moto's, on a free
loopback port) holds the uploads; the site and the API link the images there, anyone can read them,
and a private collection's document is readable only through Wagtail's document view.
"""

import re
import urllib.error
import urllib.request

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction
from wagtail_factories import ImageFactory

from cms.settings.base import media_storage
from tests.factories import ArticlePageFactory

moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")

BUCKET = "clinic-media"
SECRET = b"Patient consent form: signed copies only"


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3 server on 127.0.0.1 for this module, with an empty media bucket."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(s3_endpoint, monkeypatch):
    """The project's storage settings for the bucket, as the environment gives them in production."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "clinic-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "clinic-test-secret")
    environ = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    with override_settings(STORAGES={**settings.STORAGES, "default": media_storage(environ)}):
        call_command("media_bucket_policy", "--apply", verbosity=0)
        yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket_policy(Bucket=BUCKET)
    s3.delete_bucket(Bucket=BUCKET)


def fetch_anonymously(url):
    """(status, body, content type) of a plain GET, with no credentials, as a browser would."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a loopback test server
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers["Content-Type"]


def stored_bytes(s3, url):
    key = url.split(f"/{BUCKET}/", 1)[1]
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_images_and_renditions_are_uploaded_to_the_bucket_and_public_there(
    s3_media, s3_endpoint, client, blog_page
):
    article = ArticlePageFactory(
        parent=blog_page,
        hero_image=ImageFactory(file__width=1600, file__height=900),
        hero_image_alt="A clinic",
    )
    image = article.hero_image
    assert image.file.url.startswith(f"{s3_endpoint}/{BUCKET}/original_images/")
    assert s3_media.head_object(Bucket=BUCKET, Key=image.file.name)["ContentLength"] > 0  # uploaded there

    api_urls = [
        r["url"] for r in client.get(f"/api/v3/articles/{article.pk}/").json()["hero_image"]["renditions"]
    ]
    page = client.get(article.url).content.decode()
    page_urls = set(re.findall(rf"{re.escape(s3_endpoint)}/{BUCKET}/images/[^\s\"',]+", page))

    assert api_urls and page_urls
    for url in [*api_urls, *page_urls]:
        status, body, content_type = fetch_anonymously(url)
        assert status == 200, url
        assert content_type.startswith("image/"), url
        assert body == stored_bytes(s3_media, url)
    status, body, _content_type = fetch_anonymously(image.file.url)
    assert status == 200
    assert body == stored_bytes(s3_media, image.file.url)


def test_a_rendition_made_later_is_stored_in_the_bucket(db, s3_media, s3_endpoint):
    image = ImageFactory(file=get_test_image_file())
    rendition = image.get_rendition("fill-100x100")
    assert rendition.url.startswith(f"{s3_endpoint}/{BUCKET}/images/")
    assert default_storage.exists(rendition.file.name)
    status, body, content_type = fetch_anonymously(rendition.url)
    assert (status, content_type) == (200, "image/png")
    assert body[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_private_document_is_readable_only_through_the_document_view(db, s3_media, client, admin_client):
    collection = Collection.get_first_root_node().add_child(name="Staff forms")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model().objects.create(
        title="Consent form", collection=collection, file=ContentFile(SECRET, name="consent.txt")
    )
    assert stored_bytes(s3_media, document.file.url) == SECRET  # it is in the bucket

    status, body, _content_type = fetch_anonymously(document.file.url)
    assert status == 403
    assert SECRET not in body

    anonymous = client.get(document.url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    allowed = admin_client.get(document.url)
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content) == SECRET

"""
Uploaded files: a document of a private collection is served only through Wagtail's document view,
which checks the collection's restriction, never from a public /media/ path; images are public files.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction

from cms.media import LocalMediaStorage

SECRET = b"Patient consent form: signed copies only"


@pytest.fixture
def private_document(db):
    collection = Collection.get_first_root_node().add_child(name="Staff forms")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return get_document_model().objects.create(
        title="Consent form", collection=collection, file=ContentFile(SECRET, name="consent.txt")
    )


def content_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_private_documents_link_asks_for_a_login(client, admin_client, private_document):
    assert private_document.url == f"/documents/{private_document.pk}/{private_document.filename}"
    anonymous = client.get(private_document.url)
    assert anonymous.status_code == 302
    assert SECRET not in content_of(anonymous)
    assert content_of(admin_client.get(private_document.url)) == SECRET


def test_no_document_file_is_served_from_media(client, admin_client, private_document):
    media_url = private_document.file.url
    assert media_url.startswith("/media/documents/")
    for visitor in (client, admin_client):
        response = visitor.get(media_url, follow=True)
        assert response.status_code == 404
        assert SECRET not in content_of(response)


def test_images_and_their_renditions_are_served_from_media(client, db):
    image = get_image_model().objects.create(title="Clinic entrance", file=get_test_image_file())
    rendition = image.get_rendition("fill-100x100")
    for url in (image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/"), url


@pytest.mark.parametrize(
    "name",
    [
        "images/pores.2e16d0ba.fill-320x180.format-webp.webpquality-70.webp",
        "original_images/skin care (1).jpg",
        "original_images/தோல்.png",
        "/images/leading-slash.jpg",
        "images/a:b.jpg",
    ],
)
@pytest.mark.parametrize("media_url", ["/media/", "https://cdn.example.com/clinic/media/"])
def test_image_urls_are_those_djangos_storage_writes(name, media_url):
    assert LocalMediaStorage(base_url=media_url).url(name) == FileSystemStorage(base_url=media_url).url(name)

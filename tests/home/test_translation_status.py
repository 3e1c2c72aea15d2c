"""The "Translation status" report tells editors what still needs a Tamil translation."""

from django.urls import reverse

from tests.factories import ArticlePageFactory, AuthorFactory


def report_rows(admin_client):
    response = admin_client.get(reverse("translation_status"))
    assert response.status_code == 200
    return response.context["object_list"]


def test_lists_a_page_with_an_empty_tamil_title_but_not_a_complete_one(admin_client, blog_page):
    ArticlePageFactory(parent=blog_page, title="Untranslated piece", intro="Intro", body=[])
    ArticlePageFactory(
        parent=blog_page,
        title="Complete piece",
        title_ta="முழுமையான கட்டுரை",
        intro="Intro",
        intro_ta="அறிமுகம்",
        body=[],
    )

    rows = report_rows(admin_client)
    titles = [row.title for row in rows]

    assert "Untranslated piece" in titles
    assert "Complete piece" not in titles
    row = next(row for row in rows if row.title == "Untranslated piece")
    assert row.language == "Tamil"
    assert "title" in row.missing and "introduction" in row.missing
    assert row.edit_url.startswith("/admin/pages/")


def test_lists_snippets_with_empty_tamil_fields(admin_client, db):
    AuthorFactory(name="Dr. Untranslated", credentials="MBBS")
    AuthorFactory(
        name="Dr. Done",
        name_ta="டாக்டர் முடிந்தது",
        credentials="MBBS",
        credentials_ta="எம்.பி.பி.எஸ்.",
        role="",
        bio="",
    )

    rows = report_rows(admin_client)
    titles = [row.title for row in rows]

    assert "Dr. Untranslated" in titles and "Dr. Done" not in titles
    row = next(row for row in rows if row.title == "Dr. Untranslated")
    assert "/admin/snippets/articles/author/edit/" in row.edit_url


def test_the_report_is_in_the_reports_menu_and_needs_a_login(admin_client, client, db):
    assert "Translation status" in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse("translation_status"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

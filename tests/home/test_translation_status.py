"""The "Translation status" report tells editors what still needs a Tamil translation."""

from django.contrib.auth.models import Group
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


def rows_of(admin_client, **filters):
    response = admin_client.get(reverse("translation_status"), filters)
    assert response.status_code == 200
    return [(row.title, row.problem, row.status) for row in response.context["object_list"]]


def test_lists_stale_translations_and_drafts_and_filters_by_problem_and_status(admin_client, blog_page):
    body = [{"type": "paragraph", "value": "<p>Apply every morning.</p>"}]
    translated = {"title_ta": "தமிழ்", "intro": "Intro", "intro_ta": "அறிமுகம்", "body": body, "body_ta": body}
    stale = ArticlePageFactory(parent=blog_page, title="Stale piece", **translated)
    stale.body_en = [{"type": "paragraph", "value": "<p>Apply every morning and at noon.</p>"}]
    stale.save_revision().publish()
    ArticlePageFactory(parent=blog_page, title="Current piece", **translated)
    ArticlePageFactory(parent=blog_page, title="Draft piece", live=False)

    rows = rows_of(admin_client)
    assert ("Stale piece", "stale", "live") in rows
    assert ("Draft piece", "untranslated", "draft") in rows
    assert not [row for row in rows if row[0] == "Current piece"]

    assert [row for row in rows_of(admin_client, problem="stale") if row[0].endswith("piece")] == [
        ("Stale piece", "stale", "live")
    ]
    drafts = rows_of(admin_client, status="draft")
    assert drafts and {status for _title, _problem, status in drafts} == {"draft"}
    assert ("Draft piece", "untranslated", "draft") in drafts
    html = admin_client.get(reverse("translation_status"), {"problem": "stale"}).content.decode()
    assert "Out of date" in html and "Stale piece" in html


def test_staff_who_write_no_pages_neither_see_nor_open_the_report(client, django_user_model, db):
    staff = django_user_model.objects.create_user(username="frontdesk", password="password")
    staff.groups.add(Group.objects.get(name="Clinic staff"))
    client.force_login(staff)

    assert client.get(reverse("translation_status")).status_code in (302, 403)
    assert "Translation status" not in client.get(reverse("wagtailadmin_home")).content.decode()

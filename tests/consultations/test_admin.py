"""Consultation requests in the admin: only permitted staff list, filter, open, update and export them."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationRequest
from tests.factories import ConsultationRequestFactory

INDEX_URL = "/admin/consultation-requests/"


def edit_url(consultation):
    return reverse("consultation_requests:edit", args=[consultation.pk])


def make_user(django_user_model, username, *permissions):
    user = django_user_model.objects.create_user(username=username, password="password")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in permissions:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="consultations", codename=codename)
        )
    user.groups.add(group)
    return user


@pytest.fixture
def front_desk(client, django_user_model):
    """Staff allowed to see and update requests."""
    client.force_login(
        make_user(django_user_model, "frontdesk", "view_consultationrequest", "change_consultationrequest")
    )
    return client


@pytest.fixture
def editor(client, django_user_model):
    """An editor of the site's content, without the consultations permissions."""
    user = make_user(django_user_model, "editor")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


@pytest.fixture
def consultation(db):
    return ConsultationRequestFactory(name="Kavya Raman", phone="+919876543210")


def test_anonymous_visitors_are_sent_to_the_login(client, consultation):
    for url in (INDEX_URL, edit_url(consultation), INDEX_URL + "?export=csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_without_the_permission_sees_no_requests(editor, consultation):
    for url in (INDEX_URL, edit_url(consultation), INDEX_URL + "?export=csv"):
        response = editor.get(url)
        assert response.status_code in (302, 403)
        assert b"Kavya Raman" not in response.content

    dashboard = editor.get("/admin/").content.decode()
    assert "Consultation requests" not in dashboard


def test_an_editor_cannot_update_a_request(editor, consultation):
    editor.post(edit_url(consultation), {"status": "closed", "staff_notes": ""})
    consultation.refresh_from_db()
    assert consultation.status == "new"


def test_staff_with_the_permission_see_the_menu_and_the_list(front_desk, consultation):
    assert "Consultation requests" in front_desk.get("/admin/").content.decode()

    response = front_desk.get(INDEX_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert consultation.reference in html and "Kavya Raman" in html and "+919876543210" in html


def test_the_list_runs_a_fixed_number_of_queries(front_desk, django_assert_max_num_queries):
    ConsultationRequestFactory.create_batch(3)
    with django_assert_max_num_queries(40) as few:
        front_desk.get(INDEX_URL)
    ConsultationRequestFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        front_desk.get(INDEX_URL)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=booked", "Booked patient", "New patient"),
        ("language=ta", "Tamil patient", "New patient"),
        ("q=Booked", "Booked patient", "New patient"),
        ("notification=failed", "Unannounced patient", "New patient"),
    ],
)
def test_staff_filter_and_search_the_list(front_desk, query, shown, hidden):
    ConsultationRequestFactory(name="New patient")
    ConsultationRequestFactory(name="Booked patient", status="booked")
    ConsultationRequestFactory(name="Tamil patient", language="ta")
    ConsultationRequestFactory(name="Unannounced patient", notification="failed")

    html = front_desk.get(f"{INDEX_URL}?{query}").content.decode()

    assert shown in html and hidden not in html


def test_staff_filter_by_preferred_date_and_by_when_received(front_desk):
    ConsultationRequestFactory(name="Early patient", preferred_date=datetime.date(2030, 1, 7))
    late = ConsultationRequestFactory(name="Late patient", preferred_date=datetime.date(2030, 2, 4))
    ConsultationRequest.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )

    by_date = front_desk.get(
        f"{INDEX_URL}?preferred_date_from=2030-02-01&preferred_date_to=2030-02-28"
    ).content.decode()
    assert "Late patient" in by_date and "Early patient" not in by_date

    today = timezone.localdate().isoformat()
    by_received = front_desk.get(f"{INDEX_URL}?created_at_from={today}").content.decode()
    assert "Early patient" in by_received and "Late patient" not in by_received


def test_staff_open_and_update_a_request(front_desk, consultation):
    response = front_desk.get(edit_url(consultation))
    assert response.status_code == 200
    assert "Kavya Raman" in response.content.decode()

    response = front_desk.post(
        edit_url(consultation), {"status": "contacted", "staff_notes": "Called at 11."}
    )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "contacted" and consultation.staff_notes == "Called at 11."
    assert consultation.name == "Kavya Raman"  # what the patient sent is not editable


def test_staff_cannot_add_requests_in_the_admin(front_desk, admin_client):
    assert front_desk.get(INDEX_URL + "new/").status_code in (302, 403)
    assert admin_client.get(INDEX_URL + "new/").status_code in (302, 403)
    assert 'href="/admin/consultation-requests/new/"' not in admin_client.get(INDEX_URL).content.decode()


def test_what_patients_typed_is_escaped_in_the_admin(front_desk):
    consultation = ConsultationRequestFactory(name="<script>alert(1)</script>", reason="<b>bold</b>")
    listing = front_desk.get(INDEX_URL).content.decode()
    edit = front_desk.get(edit_url(consultation)).content.decode()
    for html in (listing, edit):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in edit


def export_rows(client, query=""):
    response = client.get(f"{INDEX_URL}?export=csv{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="consultation-requests.csv"'
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_neutralises_spreadsheet_formulas(front_desk):
    ConsultationRequestFactory(
        name='=HYPERLINK("http://evil.example","Click")',
        email="@evil.example",
        reason="-2+3",
        staff_notes="+1 call back",
        phone="+919876543210",
    )

    [row] = export_rows(front_desk)

    assert row["Name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["Email"] == "'@evil.example"
    assert row["Reason for the visit"] == "'-2+3"
    assert row["Staff notes"] == "'+1 call back"
    assert row["Phone"] == "'+919876543210"  # kept as text, shown as +91…


def test_the_csv_export_has_readable_columns_and_follows_the_filters(front_desk):
    ConsultationRequestFactory(name="Tab\tstart", status="booked", language="ta", reason="\tindented")
    ConsultationRequestFactory(name="Other", status="new")

    [row] = export_rows(front_desk, "&status=booked")

    assert row["Name"] == "Tab\tstart"  # only a leading tab is a risk
    assert row["Reason for the visit"] == "'\tindented"
    assert row["Status"] == "Booked"
    assert row["Preferred language"] == "Tamil"
    assert row["Source"] == "Website"
    assert row["Reference"].startswith("CR-")


def test_the_csv_export_gives_times_in_the_clinics_timezone(front_desk):
    consultation = ConsultationRequestFactory(preferred_session=datetime.time(16))
    received = datetime.datetime(2030, 1, 7, 8, 0, tzinfo=datetime.UTC)
    ConsultationRequest.objects.filter(pk=consultation.pk).update(created_at=received)

    [row] = export_rows(front_desk)

    assert row["Received"] == "2030-01-07 13:30"  # Asia/Kolkata
    assert row["Preferred session"] == "16:00"


def test_the_xlsx_export_works(front_desk, consultation):
    response = front_desk.get(f"{INDEX_URL}?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('filename="consultation-requests.xlsx"')


def test_staff_inspect_a_request_with_its_time_in_the_clinics_timezone(front_desk, consultation):
    received = datetime.datetime(2030, 1, 7, 8, 0, tzinfo=datetime.UTC)
    ConsultationRequest.objects.filter(pk=consultation.pk).update(created_at=received)

    response = front_desk.get(reverse("consultation_requests:inspect", args=[consultation.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kavya Raman" in html and "1:30 p.m." in html


def test_editors_write_the_booking_page_in_english_and_tamil_side_by_side(admin_client, booking_page):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[booking_page.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    for field in [
        "title_ta",
        "intro_en",
        "intro_ta",
        "privacy_notice_ta",
        "thank_you_heading_ta",
        "thank_you_text_ta",
    ]:
        assert f'name="{field}"' in html, field


def test_editors_can_add_a_booking_page_under_home_when_there_is_none(admin_client, home_page):
    url = reverse("wagtailadmin_pages:add", args=["consultations", "bookingpage", home_page.pk])
    assert admin_client.get(url).status_code == 200


def test_staff_see_which_requests_the_clinic_was_not_emailed_about(front_desk):
    ConsultationRequestFactory(notification="sent")
    failed = ConsultationRequestFactory(
        notification="failed", notification_attempts=6, notification_error="The mail server did not answer."
    )

    listing = front_desk.get(INDEX_URL).content.decode()
    assert "Clinic e-mail" in listing and "Failed" in listing and "Sent" in listing

    details = front_desk.get(reverse("consultation_requests:inspect", args=[failed.pk])).content.decode()
    assert "The mail server did not answer." in details
    assert "E-mail the clinic again" in details


def test_staff_email_the_clinic_again_about_a_request(
    front_desk, clinic_hours, mailoutbox, django_capture_on_commit_callbacks
):
    failed = ConsultationRequestFactory(notification="failed", notification_attempts=6)
    url = reverse("consultation_requests:resend_email", args=[failed.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = front_desk.post(url, follow=True)

    assert response.status_code == 200
    assert f"The e-mail about {failed.reference} is queued" in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["appointments@clinic.example"] and failed.reference in message.subject
    failed.refresh_from_db()
    assert failed.notification == "sent" and failed.notification_attempts == 7


def test_staff_who_may_only_view_requests_cannot_resend_their_email(client, django_user_model, mailoutbox):
    client.force_login(make_user(django_user_model, "viewer", "view_consultationrequest"))
    consultation = ConsultationRequestFactory(notification="failed")

    details = client.get(reverse("consultation_requests:inspect", args=[consultation.pk])).content.decode()
    response = client.post(reverse("consultation_requests:resend_email", args=[consultation.pk]))

    assert "E-mail the clinic again" not in details
    assert response.status_code in (302, 403) and mailoutbox == []

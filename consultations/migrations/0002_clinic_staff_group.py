"""
Clinic staff: the people who call patients back. They see and update consultation requests (status
and notes, which includes exporting them) and nothing else: no pages, snippets, images or settings.
"""

from django.db import migrations

CLINIC_STAFF = "Clinic staff"


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return found


def create_clinic_staff(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    staff, _ = Group.objects.get_or_create(name=CLINIC_STAFF)
    staff.permissions.add(
        permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        *(
            permission(
                apps,
                "consultations",
                "consultationrequest",
                f"{action}_consultationrequest",
                f"Can {action} consultation request",
            )
            for action in ("view", "change")
        ),
    )


def remove_clinic_staff(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CLINIC_STAFF).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # After Wagtail's media migrations, which let every admin group choose any image and document.
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_clinic_staff, remove_clinic_staff)]

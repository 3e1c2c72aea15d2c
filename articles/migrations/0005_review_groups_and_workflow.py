"""
The people who write and review articles, and the workflow between them.

- Editors (Wagtail's own group, narrowed): add and edit articles on the blog and submit them for
  review, add and edit authors and categories, use images and documents (Wagtail's defaults). They
  lose Wagtail's default "add" and "edit" on the whole tree, and cannot publish.
- Medical reviewers: edit and publish the blog's articles, approve or reject them in the medical
  review, and correct an article's review fields by hand.
- Wagtail's default Moderators group (publish anywhere) and its "Moderators approval" workflow are
  removed when nobody is in the group and no page is in that workflow.
- The "Medical review" workflow (one MedicalReviewTask for the Medical reviewers) is attached to
  every blog; blogs made later get it, and the two groups' rights on them, from articles.signals.
- Existing articles: their Tamil is taken as up to date with their English (ArticlePage explains
  translation_sources and translation_status), and a reviewed article is due its next review two
  years after the last.
"""

from django.db import migrations

from articles.freshness import text_fingerprint

EDITORS = "Editors"
REVIEWERS = "Medical reviewers"
WORKFLOW_NAME = "Medical review"
REVIEW_INTERVAL_YEARS = 2


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return found


def model_permissions(apps, app_label, model, verbose_name, actions):
    return [
        permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {verbose_name}")
        for action in actions
    ]


def page_permission(apps, action):
    return permission(apps, "wagtailcore", "page", f"{action}_page", f"Can {action} page")


def set_up_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    snippets_to_edit = model_permissions(apps, "articles", "author", "author", ["add", "change", "view"])
    snippets_to_edit += model_permissions(
        apps, "articles", "articlecategory", "article category", ["add", "change", "view"]
    )
    snippets_to_choose = model_permissions(apps, "articles", "author", "author", ["view"])
    snippets_to_choose += model_permissions(apps, "articles", "articlecategory", "article category", ["view"])
    record_review = permission(
        apps, "articles", "articlepage", "record_medical_review", "Can record medical reviews"
    )

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(access_admin, *snippets_to_edit)
    # Wagtail gives editors the whole tree; ours get the blog only (set_up_blogs).
    GroupPagePermission.objects.filter(group=editors, page__depth=1).delete()

    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(access_admin, record_review, *snippets_to_choose)


def remove_unused_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")

    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is None or moderators.user_set.exists():
        return
    default = Workflow.objects.filter(name="Moderators approval").first()
    if default is not None and not WorkflowState.objects.filter(workflow=default).exists():
        task_ids = list(default.workflow_tasks.values_list("task_id", flat=True))
        default.delete()
        Task.objects.filter(pk__in=task_ids, name="Moderators approval", workflow_tasks__isnull=True).delete()
    moderators.delete()


def medical_review_workflow(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    MedicalReviewTask = apps.get_model("articles", "MedicalReviewTask")

    task = MedicalReviewTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(app_label="articles", model="medicalreviewtask")
        task = MedicalReviewTask.objects.create(name=WORKFLOW_NAME, content_type=content_type, active=True)
        task.groups.set([Group.objects.get(name=REVIEWERS)])
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def set_up_blogs(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    BlogIndexPage = apps.get_model("articles", "BlogIndexPage")

    workflow = medical_review_workflow(apps)
    rights = {
        Group.objects.get(name=EDITORS): [page_permission(apps, "add"), page_permission(apps, "change")],
        Group.objects.get(name=REVIEWERS): [page_permission(apps, "change"), page_permission(apps, "publish")],
    }
    for blog in BlogIndexPage.objects.all():
        WorkflowPage.objects.get_or_create(page_id=blog.pk, defaults={"workflow": workflow})
        for group, permissions in rights.items():
            for found in permissions:
                GroupPagePermission.objects.get_or_create(group=group, page_id=blog.pk, permission=found)


def review_due_after(date):
    try:
        return date.replace(year=date.year + REVIEW_INTERVAL_YEARS)
    except ValueError:  # 29 February
        return date.replace(year=date.year + REVIEW_INTERVAL_YEARS, day=28)


def is_empty(value):
    return value is None or value == "" or (hasattr(value, "__len__") and len(value) == 0)


def mark_existing_articles(apps, schema_editor):
    """Existing translations are taken as up to date; reviewed articles get their next review's date."""
    ArticlePage = apps.get_model("articles", "ArticlePage")
    articles = list(ArticlePage.objects.all())
    if not articles:
        return
    # Page's per-language titles are columns wagtail-modeltranslation adds outside migrations.
    with schema_editor.connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(articles))
        cursor.execute(
            f"SELECT id, title_en, title_ta FROM wagtailcore_page WHERE id IN ({placeholders})",
            [article.pk for article in articles],
        )
        titles = {row[0]: {"en": row[1], "ta": row[2]} for row in cursor.fetchall()}
    for article in articles:
        texts = {
            code: [titles[article.pk][code], getattr(article, f"intro_{code}"), getattr(article, f"body_{code}")]
            for code in ("en", "ta")
        }
        tamil = [not is_empty(value) for value in texts["ta"]]
        if any(tamil):
            title, intro, body = texts["en"]
            source = text_fingerprint(title, intro, body.raw_data if body is not None else [])
            article.translation_sources = {"ta": source}
            article.translation_status = {"ta": "current" if all(tamil) else "incomplete"}
        else:
            article.translation_status = {"ta": "untranslated"}
        if article.last_reviewed and not article.next_review_due:
            article.next_review_due = review_due_after(article.last_reviewed)
        article.save(update_fields=["translation_sources", "translation_status", "next_review_due"])


def remove_workflow_and_reviewers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    MedicalReviewTask = apps.get_model("articles", "MedicalReviewTask")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    MedicalReviewTask.objects.filter(name=WORKFLOW_NAME).delete()
    Group.objects.filter(name=REVIEWERS).delete()


def forwards(apps, schema_editor):
    set_up_groups(apps, schema_editor)
    remove_unused_moderators(apps, schema_editor)
    set_up_blogs(apps, schema_editor)
    mark_existing_articles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_medical_review"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        # After Wagtail's media migrations, which let every admin group choose any image and document.
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, remove_workflow_and_reviewers)]

from django.db import migrations


class Migration(migrations.Migration):
    """ArticleRemoval records every visibility change now (see ArticleVisibilityChange)."""

    dependencies = [
        ("articles", "0005_review_groups_and_workflow"),
    ]

    operations = [
        migrations.RenameModel("ArticleRemoval", "ArticleVisibilityChange"),
        migrations.RenameField("articlevisibilitychange", "removed_at", "changed_at"),
        migrations.AlterModelOptions(
            name="articlevisibilitychange",
            options={"ordering": ["changed_at"], "verbose_name": "article visibility change"},
        ),
    ]

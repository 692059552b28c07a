from django.db import migrations

from glossary.collation import fold


def fold_texts(apps, schema_editor):
    """Fold search texts again (folding twice is folding once): search now ignores Latin/Greek/Cyrillic accents."""
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    rows = list(ArticleVersion.objects.exclude(search_text="").only("pk", "search_title", "search_text"))
    for row in rows:
        row.search_title, row.search_text = fold(row.search_title), fold(row.search_text)
    ArticleVersion.objects.bulk_update(rows, ["search_title", "search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_version_review_marks"),
        ("glossary", "0007_fold_accents"),
    ]

    operations = [
        migrations.RunPython(fold_texts, migrations.RunPython.noop),
    ]

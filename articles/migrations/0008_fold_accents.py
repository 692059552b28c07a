from django.db import migrations

from glossary.collation import fold


def fold_texts(apps, schema_editor):
    """Fold search texts again (folding twice is folding once): search now ignores Latin/Greek/Cyrillic accents."""
    ArticleSearchText = apps.get_model("articles", "ArticleSearchText")
    rows = list(ArticleSearchText.objects.all())
    for row in rows:
        row.title, row.text = fold(row.title), fold(row.text)
    ArticleSearchText.objects.bulk_update(rows, ["title", "text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_images"),
        ("glossary", "0007_fold_accents"),
    ]

    operations = [
        migrations.RunPython(fold_texts, migrations.RunPython.noop),
    ]

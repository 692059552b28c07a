from django.db import migrations
from modeltranslation.utils import build_localized_fieldname

from articles.reviews import body_block_hashes


def count_blocks(apps, schema_editor):
    """Count the blocks of every translation (0009 added the column at 0; the write service counts them on save)."""
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    rows = list(ArticleVersion.objects.select_related("article"))
    for row in rows:
        if row.language == row.article.source_language:
            continue
        body = getattr(row.article, build_localized_fieldname("body", row.language), "") or ""
        row.block_count = len(set(body_block_hashes(body)))
    ArticleVersion.objects.bulk_update(rows, ["block_count"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_term_usages"),
    ]

    operations = [
        migrations.RunPython(count_blocks, migrations.RunPython.noop),
    ]

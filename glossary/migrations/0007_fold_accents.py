from django.db import migrations

from glossary.collation import fold


def fold_names(apps, schema_editor):
    """Fold names again: search now ignores the accents of Latin, Greek and Cyrillic letters."""
    TermName = apps.get_model("glossary", "TermName")
    names = list(TermName.objects.only("name"))
    for name in names:
        name.folded_name = fold(name.name)
    TermName.objects.bulk_update(names, ["folded_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0006_content_generation_to_core"),
    ]

    operations = [
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]

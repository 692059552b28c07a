from django.db import migrations


class Migration(migrations.Migration):
    """ContentGeneration now belongs to core (same table): glossary forgets it without dropping anything."""

    dependencies = [
        ("glossary", "0005_name_reading"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ContentGeneration")]),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """Take over ContentGeneration from glossary: the table exists already (glossary 0004), only the state moves."""

    initial = True

    dependencies = [
        ("glossary", "0005_name_reading"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentGeneration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("value", models.PositiveBigIntegerField(default=1, verbose_name="generation")),
                    ],
                    options={
                        "verbose_name": "content generation",
                        "verbose_name_plural": "content generations",
                        "db_table": "glossary_contentgeneration",
                    },
                ),
            ],
        ),
    ]

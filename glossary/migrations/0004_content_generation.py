from django.db import migrations, models


def first_generation(apps, schema_editor):
    apps.get_model("glossary", "ContentGeneration").objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ("glossary", "0003_folded_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.PositiveBigIntegerField(default=1, verbose_name="generation")),
            ],
            options={
                "verbose_name": "content generation",
                "verbose_name_plural": "content generations",
            },
        ),
        migrations.RunPython(first_generation, migrations.RunPython.noop),
    ]

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentgeneration",
            name="changed",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="changed"),
        ),
    ]

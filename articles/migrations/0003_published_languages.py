from django.conf import settings
from django.db import migrations, models
from modeltranslation.utils import build_localized_fieldname


def publish(apps, schema_editor):
    """Work out each article's readable languages as Article.available_languages does: written and not a draft."""
    Article = apps.get_model("articles", "Article")
    field_names = {field.name for field in Article._meta.get_fields()}
    codes = [code for code, _name in settings.LANGUAGES if build_localized_fieldname("title", code) in field_names]
    articles = list(Article.objects.all())
    for article in articles:
        article.published_languages = [
            code
            for code in codes
            if getattr(article, build_localized_fieldname("title", code))
            and getattr(article, build_localized_fieldname("body", code))
            and code not in article.draft_languages
        ]
    Article.objects.bulk_update(articles, ["published_languages"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_drafts_outdated_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="published_languages",
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name="published languages"),
        ),
        migrations.RunPython(publish, migrations.RunPython.noop),
    ]

from django.conf import settings
from django.db import migrations, models
from modeltranslation.utils import build_localized_fieldname

from markup.usage import usage_sentences


def store_usages(apps, schema_editor):
    """Store the usage sentences of every written language version on its row, as the write service does now."""
    Article = apps.get_model("articles", "Article")
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    Term = apps.get_model("glossary", "Term")
    TermRedirect = apps.get_model("glossary", "TermRedirect")
    terms = dict(Term.objects.values_list("slug", "pk"))
    terms.update(dict(TermRedirect.objects.values_list("old_slug", "term_id")))
    codes = [code for code, _name in settings.LANGUAGES]
    columns = {code: build_localized_fieldname("body", code) for code in codes}
    bodies = {
        (article["pk"], code): article[column] or ""
        for article in Article.objects.values("pk", *columns.values())
        for code, column in columns.items()
    }
    changed = list(ArticleVersion.objects.filter(language__in=codes).only("pk", "article_id", "language"))
    for version in changed:
        body = bodies.get((version.article_id, version.language), "")
        version.usages = [
            {"term": terms[usage.target], "sentence": usage.sentence, "start": usage.start, "end": usage.end}
            for usage in usage_sentences(body)
            if usage.target in terms
        ]
    ArticleVersion.objects.bulk_update(changed, ["usages"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_suggestions"),
        ("glossary", "0008_term_redirects"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleversion",
            name="usages",
            field=models.JSONField(blank=True, default=list, verbose_name="term usages"),
        ),
        migrations.RunPython(store_usages, migrations.RunPython.noop),
    ]

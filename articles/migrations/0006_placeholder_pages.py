from django.db import migrations
from modeltranslation.utils import build_localized_fieldname


def add_placeholders(apps, schema_editor):
    """Give every published language version a page row before `render_pages` has run.

    Lists of articles ("mentioned in" on term pages) read titles from these rows. The placeholders have no
    version, so no reader is ever served one: article pages are rendered live until `render_pages` replaces them.
    """
    Article = apps.get_model("articles", "Article")
    ArticlePage = apps.get_model("articles", "ArticlePage")
    existing = set(ArticlePage.objects.values_list("article_id", "language"))
    placeholders = [
        ArticlePage(
            article=article,
            slug=article.slug,
            language=language,
            version="",
            title=getattr(article, build_localized_fieldname("display_title", language)) or "",
            html="",
        )
        for article in Article.objects.iterator(chunk_size=100)
        for language in article.published_languages
        if (article.pk, language) not in existing
    ]
    ArticlePage.objects.bulk_create(placeholders, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_search_texts"),
    ]

    operations = [
        migrations.RunPython(add_placeholders, migrations.RunPython.noop),
    ]

"""One row per (article, language) for what is derived: ArticleVersion takes the rendered columns, the draft,
published and up-to-date marks, the stored page (ArticlePage) and the search text (ArticleSearchText)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from modeltranslation.utils import build_localized_fieldname

RENDERED = ("display_title", "display_description", "body_html", "body_text", "toc", "findings")
EMPTY = {"toc": [], "findings": []}


def _codes(article) -> list[str]:
    """The configured languages this (historical) article has columns for."""
    return [code for code, _name in settings.LANGUAGES if hasattr(article, build_localized_fieldname("title", code))]


def to_versions(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    ArticlePage = apps.get_model("articles", "ArticlePage")
    ArticleSearchText = apps.get_model("articles", "ArticleSearchText")
    for article in Article.objects.order_by("pk").iterator(chunk_size=100):
        pages = {page.language: page for page in ArticlePage.objects.filter(article=article)}
        texts = {text.language: text for text in ArticleSearchText.objects.filter(article=article)}
        drafts, synced = article.draft_languages or [], article.synced_revisions or {}
        rows = []
        for code in _codes(article):
            values = {name: getattr(article, build_localized_fieldname(name, code)) for name in RENDERED}
            written = getattr(article, build_localized_fieldname("title", code)) and getattr(
                article, build_localized_fieldname("body", code)
            )
            if not (written or code in drafts or code in synced or any(values.values())):
                continue
            page, text = pages.get(code), texts.get(code)
            rows.append(
                ArticleVersion(
                    article=article,
                    language=code,
                    **{name: value if value is not None else EMPTY.get(name, "") for name, value in values.items()},
                    draft=code in drafts,
                    published=code in (article.published_languages or []),
                    synced_source_revision=synced.get(code),
                    search_title=text.title if text else "",
                    search_text=text.text if text else "",
                    page_html=page.html if page else "",
                    page_version=page.version if page else "",
                )
            )
        ArticleVersion.objects.bulk_create(rows)


def from_versions(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    ArticlePage = apps.get_model("articles", "ArticlePage")
    ArticleSearchText = apps.get_model("articles", "ArticleSearchText")
    for article in Article.objects.order_by("pk").iterator(chunk_size=100):
        rows = {row.language: row for row in ArticleVersion.objects.filter(article=article)}
        codes = _codes(article)
        for code, row in rows.items():
            for name in RENDERED:
                setattr(article, build_localized_fieldname(name, code), getattr(row, name))
                if code == settings.LANGUAGE_CODE:
                    setattr(article, name, getattr(row, name))
            if row.page_html:
                ArticlePage.objects.create(
                    article=article,
                    slug=article.slug,
                    language=code,
                    version=row.page_version,
                    title=row.display_title,
                    html=row.page_html,
                )
            if row.published:
                ArticleSearchText.objects.create(
                    article=article, language=code, title=row.search_title, text=row.search_text
                )
        article.draft_languages = [code for code in codes if code in rows and rows[code].draft]
        article.published_languages = [code for code in codes if code in rows and rows[code].published]
        article.synced_revisions = {
            code: rows[code].synced_source_revision
            for code in codes
            if code in rows and rows[code].synced_source_revision is not None
        }
        article.save()


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_article_images'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArticleVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('ko', '한국어'), ('nb', 'Norsk bokmål'), ('zh-hans', '简体中文'), ('en', 'English'), ('fr', 'Français')], max_length=15, verbose_name='language')),
                ('display_title', models.CharField(blank=True, max_length=300, verbose_name='title as shown')),
                ('display_description', models.TextField(blank=True, verbose_name='description as shown')),
                ('toc', models.JSONField(blank=True, default=list, verbose_name='table of contents')),
                ('findings', models.JSONField(blank=True, default=list, verbose_name='findings')),
                ('draft', models.BooleanField(default=False, verbose_name='draft')),
                ('published', models.BooleanField(default=False, verbose_name='published')),
                ('synced_source_revision', models.PositiveIntegerField(null=True, verbose_name='source revision it is up to date with')),
                ('search_title', models.CharField(blank=True, max_length=300, verbose_name='title, folded')),
                ('page_version', models.CharField(blank=True, max_length=200, verbose_name='page rendered by')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('search_text', models.TextField(blank=True, verbose_name='text, folded')),
                ('body_html', models.TextField(blank=True, verbose_name='rendered body')),
                ('body_text', models.TextField(blank=True, verbose_name='body as plain text')),
                ('page_html', models.TextField(blank=True, verbose_name='page')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='articles.article')),
            ],
            options={
                'verbose_name': 'language version',
                'verbose_name_plural': 'language versions',
            },
        ),
        migrations.AddIndex(
            model_name='articleversion',
            index=models.Index(fields=['language', 'published'], name='articles_ar_languag_7a6599_idx'),
        ),
        migrations.AddConstraint(
            model_name='articleversion',
            constraint=models.UniqueConstraint(fields=('article', 'language'), name='unique_article_version'),
        ),
        migrations.RunPython(to_versions, from_versions),
        migrations.RemoveField(
            model_name='article',
            name='body_html',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_html_en',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_html_fr',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_html_ko',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_html_nb',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_html_zh_hans',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_text',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_text_en',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_text_fr',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_text_ko',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_text_nb',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_text_zh_hans',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_description',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_description_en',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_description_fr',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_description_ko',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_description_nb',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_description_zh_hans',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_title',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_title_en',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_title_fr',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_title_ko',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_title_nb',
        ),
        migrations.RemoveField(
            model_name='article',
            name='display_title_zh_hans',
        ),
        migrations.RemoveField(
            model_name='article',
            name='draft_languages',
        ),
        migrations.RemoveField(
            model_name='article',
            name='findings',
        ),
        migrations.RemoveField(
            model_name='article',
            name='findings_en',
        ),
        migrations.RemoveField(
            model_name='article',
            name='findings_fr',
        ),
        migrations.RemoveField(
            model_name='article',
            name='findings_ko',
        ),
        migrations.RemoveField(
            model_name='article',
            name='findings_nb',
        ),
        migrations.RemoveField(
            model_name='article',
            name='findings_zh_hans',
        ),
        migrations.RemoveField(
            model_name='article',
            name='published_languages',
        ),
        migrations.RemoveField(
            model_name='article',
            name='synced_revisions',
        ),
        migrations.RemoveField(
            model_name='article',
            name='toc',
        ),
        migrations.RemoveField(
            model_name='article',
            name='toc_en',
        ),
        migrations.RemoveField(
            model_name='article',
            name='toc_fr',
        ),
        migrations.RemoveField(
            model_name='article',
            name='toc_ko',
        ),
        migrations.RemoveField(
            model_name='article',
            name='toc_nb',
        ),
        migrations.RemoveField(
            model_name='article',
            name='toc_zh_hans',
        ),
        migrations.DeleteModel(
            name='ArticlePage',
        ),
        migrations.DeleteModel(
            name='ArticleSearchText',
        ),
    ]

"""The data migrations fill, for articles that existed before them, what saving the articles now writes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, ArticleVersion
from core.languages import language_codes
from public.search import search
from tests.conftest import FIXTURES, set_drafts

BEFORE_LANGUAGE_VERSIONS = ("articles", "0007_article_images")
# What the migration carries over, per row (`updated` is the time of the copy).
CARRIED = [field.name for field in ArticleVersion._meta.concrete_fields if field.name not in ("id", "updated")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes() if target is None else [target])
    return executor.loader.project_state([target]).apps if target else None


def rows(article: Article) -> dict[str, dict]:
    return {row["language"]: row for row in ArticleVersion.objects.filter(article=article).values(*CARRIED)}


@pytest.mark.django_db(transaction=True)
def test_migrating_an_existing_database_fills_publication_search_texts_and_page_rows(client):
    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    migrate(("articles", "0002_drafts_outdated_permissions"))  # before those tables and columns

    migrate(None)

    article = Article.objects.get(slug="crowdsourcing")
    assert article.published_languages == language_codes()
    assert ArticleVersion.objects.filter(article=article).exclude(search_text="").count() == len(language_codes())
    assert [hit.article.slug for hit in search(raw_query="RÉSEAUX", language="fr").articles] == ["crowdsourcing"]
    placeholders = ArticleVersion.objects.filter(article=article)
    assert sorted(placeholders.values_list("language", "page_version")) == sorted(
        (code, "") for code in language_codes()
    )
    # Not served (no version): the page is rendered live, and "mentioned in" lists find the article's title.
    assert "<h1>크라우드소싱</h1>" in client.get("/ko/articles/crowdsourcing/").content.decode()
    term_page = client.get("/fr/terms/social-media/").content.decode()
    assert 'href="/fr/articles/crowdsourcing/">Crowdsourcing</a>' in term_page


@pytest.mark.django_db(transaction=True)
def test_language_versions_go_back_to_columns_and_side_tables_and_forward_unchanged(client):
    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    article = Article.objects.get(slug="crowdsourcing")
    set_drafts(article, "nb")
    ArticleVersion.objects.filter(article=article, language="fr").update(synced_source_revision=0)
    before = rows(article)

    old = migrate(BEFORE_LANGUAGE_VERSIONS)

    stored = old.get_model("articles", "Article").objects.get(slug="crowdsourcing")
    assert stored.draft_languages == ["nb"]
    assert stored.published_languages == [code for code in language_codes() if code != "nb"]
    assert stored.synced_revisions["fr"] == 0
    assert stored.display_title_ko == "크라우드소싱" and "<h2" in stored.body_html_fr
    pages = old.get_model("articles", "ArticlePage").objects.filter(article_id=stored.pk)
    assert sorted(pages.values_list("language", flat=True)) == sorted(set(language_codes()) - {"nb"})
    texts = old.get_model("articles", "ArticleSearchText").objects.filter(article_id=stored.pk)
    assert "reseaux sociaux" in texts.get(language="fr").text  # folded without accents since issue 14

    migrate(None)

    assert rows(article) == before
    assert Article.objects.get(pk=article.pk).state("fr") == "outdated"
    assert client.get("/nb/articles/crowdsourcing/").status_code == 404

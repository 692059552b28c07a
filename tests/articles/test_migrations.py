"""The data migrations fill, for articles that existed before them, what saving the articles now writes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, ArticlePage, ArticleSearchText
from core.languages import language_codes
from public.search import search
from tests.conftest import FIXTURES


@pytest.mark.django_db(transaction=True)
def test_migrating_an_existing_database_fills_publication_search_texts_and_page_rows(client):
    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0002_drafts_outdated_permissions")])  # before those tables and columns

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    article = Article.objects.get(slug="crowdsourcing")
    assert article.published_languages == language_codes()
    assert ArticleSearchText.objects.filter(article=article).count() == len(language_codes())
    assert [hit.article.slug for hit in search(raw_query="RÉSEAUX", language="fr").articles] == ["crowdsourcing"]
    placeholders = ArticlePage.objects.filter(article=article)
    assert sorted(placeholders.values_list("language", "version")) == sorted((code, "") for code in language_codes())
    # Not served (no version): the page is rendered live, and "mentioned in" lists find the article's title.
    assert "<h1>크라우드소싱</h1>" in client.get("/ko/articles/crowdsourcing/").content.decode()
    term_page = client.get("/fr/terms/social-media/").content.decode()
    assert 'href="/fr/articles/crowdsourcing/">Crowdsourcing</a>' in term_page

import pytest
from django.core.cache import cache

from articles.models import Article
from articles.services import article_languages_refresh
from glossary.cache import GENERATION_KEY


def test_an_unchanged_page_is_served_from_the_cache(client, imported, django_assert_num_queries):
    client.get("/ko/articles/crowdsourcing/")

    with django_assert_num_queries(0):
        response = client.get("/ko/articles/crowdsourcing/")

    assert response.status_code == 200
    assert "크라우드소싱" in response.content.decode()


def test_an_edit_invalidates_the_cached_page_at_once(client, imported):
    client.get("/fr/articles/crowdsourcing/")

    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    article_languages_refresh(article=imported, languages=["fr"])

    assert "En résumé" in client.get("/fr/articles/crowdsourcing/").content.decode()


def test_a_new_term_name_invalidates_index_and_term_pages(client, imported):
    from glossary.models import Term, TermName

    client.get("/ko/terms/?letter=ㅅ")
    assert "<h1>상환 을</h1>" in client.get("/ko/terms/repayment/").content.decode()

    TermName.objects.create(term=Term.objects.get(slug="repayment"), language="ko", name="상환", confirmed=True)

    assert ">상환</a>" in client.get("/ko/terms/?letter=ㅅ").content.decode()
    assert "<h1>상환</h1>" in client.get("/ko/terms/repayment/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_committed_changes_move_the_generation_on(seed_path):
    from io import StringIO

    from django.core.management import call_command

    before = cache.get(GENERATION_KEY, 0)
    call_command("import_articles", str(seed_path), stdout=StringIO())

    assert cache.get(GENERATION_KEY) > before


def test_error_pages_and_redirects_are_not_cached(client, imported):
    assert client.get("/fr/articles/nothing/").status_code == 404
    Article.objects.create(
        slug="nothing", term=imported.term.__class__.objects.create(slug="nothing"), title_fr="Rien", body_fr="x"
    )

    assert client.get("/fr/articles/nothing/").status_code == 200


def test_cached_pages_ask_browsers_to_revalidate(client, imported):
    response = client.get("/en/")

    assert "must-revalidate" in response["Cache-Control"]

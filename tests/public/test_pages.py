"""Each language's home page is rendered after every committed write and stored (public/pages.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.generation import content_generation
from core.languages import language_codes
from public.models import StoredPage
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def imported_seeds():
    call_command("import_articles", str(FIXTURES), stdout=StringIO())


def test_an_import_stores_every_languages_home_page_at_the_generation_it_ends_with(imported_seeds):
    pages = StoredPage.objects.all()

    assert sorted(pages.values_list("path", flat=True)) == sorted(f"/{code}/" for code in language_codes())
    assert set(pages.values_list("generation", flat=True)) == {content_generation()}


def test_the_stored_home_page_is_the_page_rendered_live_and_costs_one_query(client, imported_seeds, no_page_cache):
    client.get("/en/search/")  # the first reader's page after a write reads the generation
    for code in language_codes():
        with CaptureQueriesContext(connection) as queries:
            stored = client.get(f"/{code}/")
        assert len(queries) == 1, code
        StoredPage.objects.filter(path=f"/{code}/").delete()

        live = client.get(f"/{code}/")

        assert stored.status_code == live.status_code == 200
        assert stored.content == live.content, code
        assert 'rel="canonical" href="http://testserver/' in stored.content.decode()


def test_a_write_stores_the_home_pages_again(client, imported_seeds, no_page_cache, make_article):
    make_article("payroll", {"en": ("Payroll", "Wages paid.")})
    client.get("/en/search/")  # reads the generation the write moved on

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/").content.decode()

    assert len(queries) == 1
    assert ">Payroll</a>" in page


def test_a_page_of_another_generation_or_code_is_not_served(client, imported_seeds, no_page_cache):
    StoredPage.objects.filter(path="/fr/").update(html="<p>rendered before the last write</p>")
    assert "rendered before the last write" in client.get("/fr/").content.decode()

    StoredPage.objects.filter(path="/fr/").update(generation=content_generation() - 1)
    assert "rendered before the last write" not in client.get("/fr/").content.decode()

    StoredPage.objects.filter(path="/fr/").update(generation=content_generation(), version="older code")
    assert "rendered before the last write" not in client.get("/fr/").content.decode()


def test_a_home_page_that_cannot_be_rendered_does_not_undo_the_write(imported_seeds, make_article, monkeypatch, caplog):
    from articles.models import Article

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("public.pages.render_to_string", broken)

    make_article("payroll", {"en": ("Payroll", "Wages paid.")})

    assert Article.objects.filter(slug="payroll").exists()
    assert "rendering home_pages_render after a write failed" in caplog.text

"""Whole article pages rendered on write: served as stored, identical to a live render, never stale."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ArticlePage
from articles.pages import PAGE_ORIGIN
from core.languages import language_codes
from glossary.models import Term
from tests.articles.conftest import article_url
from tests.conftest import save_edits, set_drafts


def test_import_stores_a_page_per_published_language(imported):
    pages = ArticlePage.objects.filter(article=imported)

    assert sorted(pages.values_list("language", flat=True)) == sorted(language_codes())
    assert all(PAGE_ORIGIN in page.html for page in pages)


@pytest.mark.parametrize("language", language_codes())
def test_the_stored_page_is_byte_identical_to_a_live_render(client, settings, imported, language):
    settings.ALLOWED_HOSTS = ["glossary.example"]
    stored = client.get(article_url(language), HTTP_HOST="glossary.example").content

    ArticlePage.objects.filter(article=imported).delete()
    live = client.get(article_url(language), HTTP_HOST="glossary.example").content

    assert stored == live
    assert b'<link rel="canonical" href="http://glossary.example/' in stored
    assert PAGE_ORIGIN.encode() not in stored


def test_a_reader_request_reads_only_the_stored_page(client, imported, django_assert_num_queries):
    ArticlePage.objects.filter(article=imported, language="fr").update(html="<p>the stored page</p>")

    with django_assert_num_queries(2):  # the content generation, then the page
        response = client.get(article_url("fr"))

    assert response.content == b"<p>the stored page</p>"


def test_a_page_rendered_by_other_code_is_not_served(client, imported):
    ArticlePage.objects.filter(article=imported, language="fr").update(html="<p>old code</p>", version="old")

    page = client.get(article_url("fr")).content.decode()

    assert "old code" not in page
    assert "<h1>Crowdsourcing</h1>" in page


def test_render_pages_stores_the_pages_of_the_running_code(imported):
    ArticlePage.objects.update(html="<p>old code</p>", version="old")

    call_command("render_pages", stdout=StringIO())

    assert not ArticlePage.objects.filter(version="old").exists()
    assert ArticlePage.objects.filter(article=imported).count() == len(language_codes())


def test_every_save_renders_the_pages_again(client, imported):
    imported.set_value("title", "fr", "Titre changé")
    save_edits(imported, languages=["fr"])

    assert "<h1>Titre changé</h1>" in client.get(article_url("fr")).content.decode()


def test_a_language_made_a_draft_loses_its_stored_page_and_the_others_their_link_to_it(client, imported):
    set_drafts(imported, "nb")

    assert not ArticlePage.objects.filter(article=imported, language="nb").exists()
    assert client.get(article_url("nb")).status_code == 404
    french = client.get(article_url("fr")).content.decode()
    assert 'hreflang="nb" href="http://testserver/nb/' not in french
    assert "next=%2Fnb%2Fterms%2Fcrowdsourcing%2F" in french  # the switcher leads to the term page, which explains


def test_a_term_slug_is_set_once_since_article_pages_and_bodies_link_to_it(client, superuser, imported):
    client.force_login(superuser)
    term = Term.objects.get(slug="crowdsourcing")

    form = client.get(reverse("admin:glossary_term_change", args=[term.pk])).context["adminform"].form

    assert "slug" not in form.fields


def test_a_deleted_article_takes_its_pages_with_it(imported):
    Article.objects.filter(pk=imported.pk).delete()

    assert not ArticlePage.objects.exists()

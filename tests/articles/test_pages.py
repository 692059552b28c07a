"""Whole article pages rendered on write: served as stored, identical to a live render, never stale."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ArticleVersion
from core.languages import language_codes
from core.stored_pages import PAGE_ORIGIN
from glossary.models import Term
from tests.articles.conftest import article_url
from tests.conftest import save_edits, set_drafts


def test_import_stores_a_page_per_published_language(imported):
    pages = ArticleVersion.objects.filter(article=imported).exclude(page_html="")

    assert sorted(pages.values_list("language", flat=True)) == sorted(language_codes())
    assert all(PAGE_ORIGIN in page.page_html for page in pages)


@pytest.mark.parametrize("language", language_codes())
def test_the_stored_page_is_byte_identical_to_a_live_render(client, settings, imported, language):
    settings.ALLOWED_HOSTS = ["glossary.example"]
    stored = client.get(article_url(language), HTTP_HOST="glossary.example").content

    ArticleVersion.objects.filter(article=imported).update(page_html="", page_version="")
    live = client.get(article_url(language), HTTP_HOST="glossary.example").content

    assert stored == live
    assert b'<link rel="canonical" href="http://glossary.example/' in stored
    assert PAGE_ORIGIN.encode() not in stored


def test_a_reader_request_reads_only_the_stored_page(client, imported, django_assert_num_queries):
    ArticleVersion.objects.filter(article=imported, language="fr").update(page_html="<p>the stored page</p>")

    with django_assert_num_queries(2):  # the content generation, then the page
        response = client.get(article_url("fr"))

    assert response.content == b"<p>the stored page</p>"


def test_a_page_rendered_by_other_code_is_not_served(client, imported):
    ArticleVersion.objects.filter(article=imported, language="fr").update(
        page_html="<p>old code</p>", page_version="old"
    )

    page = client.get(article_url("fr")).content.decode()

    assert "old code" not in page
    assert "<h1>Crowdsourcing</h1>" in page


def test_render_pages_stores_the_pages_of_the_running_code(imported):
    ArticleVersion.objects.update(page_html="<p>old code</p>", page_version="old")

    call_command("render_pages", stdout=StringIO())

    assert not ArticleVersion.objects.filter(page_version="old").exists()
    assert ArticleVersion.objects.filter(article=imported).exclude(page_html="").count() == len(language_codes())


def test_every_save_renders_the_pages_again(client, imported):
    imported.set_value("title", "fr", "Titre changé")
    save_edits(imported, languages=["fr"])

    assert "<h1>Titre changé</h1>" in client.get(article_url("fr")).content.decode()


def test_a_language_made_a_draft_loses_its_stored_page_and_the_others_their_link_to_it(client, imported):
    set_drafts(imported, "nb")

    assert ArticleVersion.objects.get(article=imported, language="nb").page_html == ""
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

    assert not ArticleVersion.objects.exists()


def test_a_translation_says_when_its_source_changed_and_links_to_the_source(client, imported):
    assert "notice-outdated" not in client.get(article_url("fr")).content.decode()
    imported.set_value("body", "en", imported.value("body", "en") + "\n\nOne more sentence.\n")
    save_edits(imported, languages=["en"])

    french = client.get(article_url("fr")).content.decode()
    assert "notice-outdated" in french
    assert 'href="/en/articles/crowdsourcing/" hreflang="en"' in french
    assert "notice-outdated" not in client.get(article_url("en")).content.decode()


def test_a_translation_brought_up_to_date_loses_its_notice(client, imported):
    from articles.services import article_write

    imported.set_value("body", "en", imported.value("body", "en") + "\n\nOne more sentence.\n")
    article = save_edits(imported, languages=["en"])
    article_write(article_id=article.pk, changes={}, seen_version=article.version, source="command", up_to_date=["fr"])

    assert "notice-outdated" not in client.get(article_url("fr")).content.decode()
    assert "notice-outdated" in client.get(article_url("ko")).content.decode()


def test_a_version_with_error_findings_says_how_many(client, imported):
    # The seed's translations keep a placeholder heading, lack the source's table and link "freelancers" elsewhere
    # than the source: three errors each.
    french = client.get(article_url("fr")).content.decode()
    notice = french.split('class="notice-errors">')[1].split("</p>")[0]
    assert "3" in notice
    assert "notice-errors" not in client.get(article_url("en")).content.decode()


def test_term_links_preview_the_definition_or_the_first_sentence_the_term_is_used_in(imported, make_article):
    from glossary.services import term_save

    term_save(term=Term.objects.get(slug="crowdsourcing"), definitions={"en": "Work obtained from a crowd online."})
    make_article("platform", {"en": ("Platform", "A [crowdsourcing](/crowdsourcing) site and [media](/social-media).")})

    html = Article.objects.get(slug="platform").value("body_html", "en")
    assert 'href="/en/terms/crowdsourcing/" title="Work obtained from a crowd online."' in html
    social = html.split('href="/en/terms/social-media/"')[1].split(">")[0]
    assert 'title="Crowdsourcing involves obtaining work' in social  # the seed's first sentence linking to it
    assert social.split('title="')[1].split('"')[0].endswith("…")

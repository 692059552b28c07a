"""The folded text search compares, stored on every save for each published language version."""

from articles.models import ArticleVersion
from core.languages import language_codes
from tests.conftest import save_edits, set_drafts


def test_import_stores_one_folded_text_per_published_language(imported):
    texts = {row.language: row for row in ArticleVersion.objects.filter(article=imported).exclude(search_text="")}

    assert sorted(texts) == sorted(language_codes())
    assert texts["fr"].search_title == "crowdsourcing"
    assert "reseaux sociaux" in texts["fr"].search_text  # the body, folded: case and accents ("Réseaux" in the source)
    assert texts["fr"].search_text == texts["fr"].search_text.casefold()


def test_a_draft_has_no_search_text_and_gets_it_back_when_published(imported):
    set_drafts(imported, "nb")
    assert ArticleVersion.objects.get(article=imported, language="nb").search_text == ""

    set_drafts(imported)
    assert ArticleVersion.objects.get(article=imported, language="nb").search_text != ""


def test_an_edit_is_searchable_at_once(imported):
    from public.search import search

    imported.set_value("body", "en", imported.value("body", "en") + "\nA brand-new Zeppelin paragraph.\n")
    save_edits(imported, languages=["en"])

    assert [hit.article.slug for hit in search(raw_query="ZEPPELIN", language="en").articles] == ["crowdsourcing"]

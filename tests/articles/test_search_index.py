"""The folded text search compares, stored on every save for each published language version."""

from articles.models import ArticleSearchText
from core.languages import language_codes
from tests.conftest import save_edits, set_drafts


def test_import_stores_one_folded_text_per_published_language(imported):
    texts = {row.language: row for row in ArticleSearchText.objects.filter(article=imported)}

    assert sorted(texts) == sorted(language_codes())
    assert texts["fr"].title == "crowdsourcing"
    assert "réseaux sociaux" in texts["fr"].text  # the body, folded ("Réseaux" in the title case of the source)
    assert texts["fr"].text == texts["fr"].text.casefold()


def test_a_draft_has_no_search_text_and_gets_it_back_when_published(imported):
    set_drafts(imported, "nb")
    assert not ArticleSearchText.objects.filter(article=imported, language="nb").exists()

    set_drafts(imported)
    assert ArticleSearchText.objects.filter(article=imported, language="nb").exists()


def test_an_edit_is_searchable_at_once(imported):
    from public.search import search

    imported.set_value("body", "en", imported.value("body", "en") + "\nA brand-new Zeppelin paragraph.\n")
    save_edits(imported, languages=["en"])

    assert [hit.article.slug for hit in search(raw_query="ZEPPELIN", language="en").articles] == ["crowdsourcing"]

"""The folded search text of a version (articles/search_text.py), made by a save or ahead of it by the import."""

from types import SimpleNamespace

import pytest

from articles import search_text as search_text_module
from articles.search_text import (
    read_ahead_unless_taken,
    read_ahead_with_search_texts,
    search_text,
    search_texts_made_ahead,
)
from markup import ahead as ahead_module
from markup.document import parse_document
from markup.render import TermLink, find_term_links
from tests.conftest import FIXTURES


@pytest.fixture(autouse=True)
def nothing_made_ahead():
    search_texts_made_ahead({})
    ahead_module._known_links.clear()
    yield
    search_texts_made_ahead({})
    ahead_module._known_links.clear()


def test_a_search_text_is_the_folded_lines_and_their_grams():
    assert search_text(title="Crowd", description="Élan", text="众包 크라우드") == (
        "crowd\nelan\n众包 크라우드",
        "a c d e l n o r w 众 众包 包 드 라 라우 우 우드 크 크라",
    )


def test_a_search_text_made_ahead_answers_only_the_very_same_text():
    search_texts_made_ahead({"Crowd\n\nText": ("kept", "ahead")})

    assert search_text(title="Crowd", description="", text="Text") == ("kept", "ahead")
    assert search_text(title="Crowd", description="", text="Text.") == ("crowd\n\ntext.", ". c d e o r t w x")


def _seed_documents_and_links():
    """The seed article's language versions, parsed, and each one's term links resolved as the import notes them."""
    documents = [
        (path.stem, parse_document(path.read_text("utf-8"), name=path.name))
        for path in sorted((FIXTURES / "crowdsourcing").glob("*.md"))
    ]
    links = {
        language: {link.target: TermLink(f"/t/{link.target}/", missing=False) for link in find_term_links(doc.body)}
        for language, doc in documents
    }
    return documents, links


def test_the_second_process_makes_the_search_text_of_each_body_it_renders():
    documents, links = _seed_documents_and_links()

    read, made = read_ahead_with_search_texts(documents, source_language="en", resolved=links)

    assert len(read.renders) == len(made) == 5
    for text, (folded, grams) in made.items():
        title, description, body_text = text.split("\n", 2)
        search_texts_made_ahead({})
        assert search_text(title=title, description=description, text=body_text) == (folded, grams)


def test_the_second_process_skips_an_article_a_save_took_over_but_keeps_its_link_resolutions(monkeypatch):
    documents, links = _seed_documents_and_links()
    monkeypatch.setattr(search_text_module, "_taken", SimpleNamespace(value=3))

    skipped = read_ahead_unless_taken(3, documents, source_language="en", resolved=links)
    read, made = read_ahead_unless_taken(4, documents, source_language="en")

    assert skipped is None
    assert len(read.renders) == len(made) == 5  # rendered with the links noted along with the skipped article

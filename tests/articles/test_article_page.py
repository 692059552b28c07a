"""The article page filled into a shell of its template, as the template renders it (articles/article_page.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import set_script_prefix
from django.utils import translation

from articles.article_page import TEMPLATE, article_page, article_page_context
from articles.models import Article
from articles.selectors import article_language_links, article_reader_notice
from tests.articles.conftest import article_url
from tests.conftest import save_edits, set_drafts

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# No heading (no table of contents), a link to a term with no article, text and a description that need escaping.
TRICKY = """---
title: "Fish & chips: 3 > 2, 1 < 2 \\"quoted\\" 'single'"
description: "A & B <i>a tag</i> 'both' \\"quotes\\" 1 < 2"
---

Plain text with [a term](/no-such-article) & <b>markup</b>, 1 < 2.
"""


@pytest.fixture
def varied(db, articles_copy):
    """The seed with an image and its translations' errors, an article in two languages without headings, a draft."""
    (articles_copy / "crowdsourcing" / "img").mkdir()
    (articles_copy / "crowdsourcing" / "img" / "shot.png").write_bytes(PNG)
    english = articles_copy / "crowdsourcing" / "en.md"
    english.write_text(english.read_text("utf-8") + '\n![A shot & "more"](img/shot.png)\n', "utf-8")
    tricky = articles_copy / "tricky"
    tricky.mkdir()
    (tricky / "en.md").write_text(TRICKY, "utf-8")
    (tricky / "fr.md").write_text(TRICKY.replace("Plain text", "Texte"), "utf-8")
    (tricky / "ko.md").write_text("---\ntitle: 초안\n---\n\n초안.\n", "utf-8")
    call_command("import_articles", str(articles_copy), stdout=StringIO())
    set_drafts(Article.objects.get(slug="tricky"), "ko")
    return articles_copy


def pages_both_ways(article: Article) -> dict[str, tuple[str, str]]:
    """Each published language's page filled into the shell, and rendered by the template, from the same values."""
    links = article_language_links(article)
    pages = {}
    for language in article.published_languages:
        with translation.override(language):
            context = article_page_context(article, language, links=links)
            pages[language] = (article_page(context), render_to_string(TEMPLATE, context))
    return pages


def shapes(article: Article) -> set[tuple]:
    """What the template's conditions decide for each published language of `article`."""
    found = set()
    for language in article.published_languages:
        notice = article_reader_notice(article, language)
        found.add((bool(article.value("display_description", language)), notice.outdated, bool(notice.errors)))
    return found


def compare_every_page(script_prefix: str) -> tuple[dict[tuple[str, str], str], set[tuple]]:
    """Compare both ways every published page under `script_prefix`; return them, and the conditions they met."""
    pages, conditions = {}, set()
    set_script_prefix(script_prefix)
    try:
        for article in Article.objects.order_by("slug"):
            for language, (filled, rendered) in pages_both_ways(article).items():
                assert filled == rendered, (article.slug, language)
                pages[article.slug, language] = filled
            conditions |= shapes(article)
    finally:
        set_script_prefix("/")
    return pages, conditions


@pytest.mark.parametrize("script_prefix", ["/", "/glossary/"])
def test_every_kind_of_article_page_is_the_template_s_page(varied, languages, script_prefix):
    before, conditions = compare_every_page(script_prefix)
    seed = Article.objects.get(slug="crowdsourcing")
    seed.set_value("body", "en", seed.value("body", "en") + "\n\nOne more sentence.\n")
    save_edits(seed, languages=["en"])  # every translation now lags behind: the notice links to the English page
    after, conditions_after = compare_every_page(script_prefix)

    assert set(before) == {("crowdsourcing", code) for code in languages} | {("tricky", "en"), ("tricky", "fr")}
    # What the comparisons covered: each condition of the template both ways, and the values that need escaping.
    assert {(True, False, False), (True, False, True), (True, True, True)} <= conditions | conditions_after
    seed_en, tricky_fr = before["crowdsourcing", "en"], before["tricky", "fr"]
    assert 'class="toc"' in seed_en and 'class="toc"' not in tricky_fr
    assert "<img " in seed_en and 'class="term-link' in seed_en
    assert "notice-errors" in before["crowdsourcing", "fr"] and "notice-outdated" not in before["crowdsourcing", "fr"]
    assert "notice-outdated" in after["crowdsourcing", "fr"]
    assert "<h1>Fish &amp; chips: 3 &gt; 2, 1 &lt; 2 &quot;quoted&quot; &#x27;single&#x27;</h1>" in tricky_fr
    assert 'class="lang-missing"' in tricky_fr and 'hreflang="ko"' in tricky_fr  # the draft: in the switcher only
    assert f'action="{script_prefix}fr/search/"' in tricky_fr


def test_an_article_without_a_description_keeps_the_template_s_default_nowhere(varied):
    tricky = Article.objects.get(slug="tricky")
    tricky.set_value("description", "fr", "")
    save_edits(tricky, languages=["fr"])

    filled, rendered = pages_both_ways(Article.objects.get(slug="tricky"))["fr"]

    assert filled == rendered
    assert '<meta name="description" content="">' in filled and 'class="lede"' not in filled


def test_the_stored_page_is_the_one_the_view_renders_from_the_template(client, varied, settings):
    from articles.models import ArticleVersion

    stored = client.get(article_url("fr", "tricky")).content
    ArticleVersion.objects.filter(article__slug="tricky").update(page_version="")

    assert client.get(article_url("fr", "tricky")).content == stored


def test_a_template_without_a_slot_is_refused_with_its_name(settings, imported, tmp_path):
    (tmp_path / "articles").mkdir()
    no_title = (  # the title's slot missing, and the others'
        '{% extends "base.html" %}{% block alternates %}{{ alternates }}{% endblock %}'
        "{% block content %}{{ body }}{% endblock %}"
    )
    (tmp_path / "articles" / "detail.html").write_text(no_title)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    with pytest.raises(RuntimeError, match=r"articles/detail\.html"):
        pages_both_ways(imported)


def test_with_debug_on_a_changed_template_shows_on_the_next_page(settings, imported, tmp_path):
    settings.DEBUG = True
    (tmp_path / "articles").mkdir()
    template = tmp_path / "articles" / "detail.html"
    original = (settings.BASE_DIR / "templates" / TEMPLATE).read_text("utf-8")
    template.write_text(original.replace('<article class="article">', "<p>first</p>"))
    engine = settings.TEMPLATES[0]
    # Templates read on each use, as the development server has them once a template changed (its autoreloader).
    loaders = ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
    options = {**engine["OPTIONS"], "loaders": loaders}
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]], "APP_DIRS": False, "OPTIONS": options}]
    assert "<p>first</p>" in pages_both_ways(imported)["en"][0]

    template.write_text(original.replace('<article class="article">', "<p>second</p>"))

    assert "<p>second</p>" in pages_both_ways(imported)["en"][0]


def test_the_shells_kept_are_bounded_and_pages_stay_the_template_s(monkeypatch, settings, imported):
    """Each error count is a shape of its own, so the shells a process keeps are bounded: the oldest goes."""
    from articles import article_page as module

    settings.DEBUG = False
    module.SHELLS.kept.clear()
    monkeypatch.setattr(module.SHELLS, "limit", 2)

    pages = pages_both_ways(imported)

    assert len(pages) == 5
    assert all(filled == rendered for filled, rendered in pages.values())
    assert len(module.SHELLS.kept) == 2

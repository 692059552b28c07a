import html
import re

import pytest

from articles.models import ArticleVersion
from tests.articles.conftest import article_url

ARTIFACTS = ("＃", "](/", "&#39;", "&amp;#", "TTT", "{{", "\n>", "> ")


def visible_text(page: str) -> str:
    """The text a reader sees in <main>: tags removed, entities decoded."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    main = main.split(">", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("language", ["ko", "nb", "zh-hans", "en", "fr"])
def test_article_page_shows_clean_text_in_every_language(client, imported, language):
    response = client.get(article_url(language))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    for artifact in ARTIFACTS:
        assert artifact not in text, (language, artifact)
    assert not re.search(r"(^|\s)#{1,6}\S", text.replace("#1", "")), language


@pytest.mark.parametrize("language", ["ko", "nb", "zh-hans", "en", "fr"])
def test_article_page_declares_its_language_and_metadata(client, imported, language):
    page = client.get(article_url(language)).content.decode()

    assert f'<html lang="{language}">' in page
    title = imported.value("display_title", language)
    assert f"<title>{html.escape(title)} ·" in page
    assert f"<h1>{html.escape(title)}</h1>" in page
    assert '<link rel="canonical" href="http://testserver' + article_url(language) + '">' in page


def test_article_page_lists_every_translation_as_alternate_with_x_default(client, imported, languages):
    page = client.get(article_url("ko")).content.decode()

    for language in languages:
        assert f'hreflang="{language}" href="http://testserver{article_url(language)}"' in page
    assert f'hreflang="x-default" href="http://testserver{article_url("en")}"' in page


def test_entity_in_description_is_shown_and_put_in_meta_as_plain_text(client, imported):
    page = client.get(article_url("fr")).content.decode()

    assert "d&#39;un" not in page.replace("d&#x27;un", "")
    assert '<meta name="description" content="Le crowdsourcing consiste à obtenir du travail' in page
    assert "d&#x27;un grand groupe" in page  # Django escapes the apostrophe once: the browser shows d'un


def test_article_page_has_a_table_of_contents_pointing_at_prefixed_heading_ids(client, imported):
    page = client.get(article_url("en")).content.decode()

    toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) >= 8
    for anchor in anchors:
        assert f'id="{anchor}"' in page
        assert anchor.startswith("h-")


def test_term_links_point_to_the_term_in_the_same_language(client, imported):
    page = client.get(article_url("ko")).content.decode()

    assert 'href="/ko/terms/social-media/"' in page
    assert 'href="/ko/terms/crowdfunding/"' in page
    assert "/social-media)" not in page


def test_links_to_terms_without_an_article_are_marked(client, imported):
    page = client.get(article_url("fr")).content.decode()

    link = re.search(r'<a [^>]*href="/fr/terms/repayment/"[^>]*>', page).group(0)
    assert "term-link--missing" in link
    assert 'title="' in link


def test_switcher_leads_to_the_same_article_in_every_language(client, imported, languages):
    page = client.get(article_url("fr")).content.decode()

    switcher = page.split('<nav class="switcher"', 1)[1].split("</nav>", 1)[0]
    for language in languages:
        assert f"next={article_url(language).replace('/', '%2F')}" in switcher
    assert re.search(r'hreflang="fr" aria-current="page">Français<', switcher)
    for autonym in ("한국어", "Norsk bokmål", "简体中文", "English", "Français"):
        assert autonym in switcher


def test_switcher_marks_languages_without_a_translation(client, make_article):
    make_article("payroll", {"en": ("Payroll", "Body.")})

    page = client.get(article_url("en", "payroll")).content.decode()

    switcher = page.split('<nav class="switcher"', 1)[1].split("</nav>", 1)[0]
    assert switcher.count('class="lang-missing"') == 4
    assert "/ko/terms/payroll/" in switcher.replace("%2F", "/")


def test_article_missing_in_a_language_answers_404_with_the_languages_it_has(client, make_article):
    make_article("payroll", {"en": ("Payroll", "Body."), "fr": ("Paie", "Texte.")})

    response = client.get(article_url("ko", "payroll"))

    assert response.status_code == 404
    page = response.content.decode()
    assert f'href="{article_url("en", "payroll")}"' in page
    assert f'href="{article_url("fr", "payroll")}"' in page


def test_article_page_query_count_does_not_grow_with_links(client, make_article, django_assert_num_queries):
    few = "\n".join(f"[t{i}](/t{i})" for i in range(2))
    many = "\n\n".join(f"[term {i}](/term-{i})" for i in range(60))
    make_article("few", {"en": ("Few", few)})
    make_article("many", {"en": ("Many", many)})

    with django_assert_num_queries(2):  # the content generation (read again after a write), then the page
        client.get(article_url("en", "few"))
    with django_assert_num_queries(1):  # the page: the generation is known until the next write
        response = client.get(article_url("en", "many"))
    assert response.content.decode().count("term-link") >= 60


def test_rendered_html_is_stored_not_computed_per_request(client, imported):
    # The live path, as after a deploy (no page of the running code): it reads body_html.
    ArticleVersion.objects.filter(article=imported, language="en").update(
        body_html="<p>stored marker</p>", page_html="", page_version=""
    )

    page = client.get(article_url("en")).content.decode()

    assert "stored marker" in page


def test_readers_never_see_findings(client, imported, languages):
    for language in languages:
        page = client.get(article_url(language)).content.decode()
        assert "markup." not in page and "finding" not in page.lower()
        for finding in imported.language_findings(language):
            assert finding.text() not in page

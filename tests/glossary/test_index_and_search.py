import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from glossary.models import Term, TermName


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def korean_terms(db):
    for slug, name in [("a", "까치"), ("b", "가방"), ("c", "나무"), ("d", "Amazon")]:
        TermName.objects.create(term=Term.objects.create(slug=slug), language="ko", name=name, confirmed=True)


def test_index_shows_the_languages_letters_with_counts(client, korean_terms):
    page = client.get(url("glossary:index", "ko")).content.decode()

    assert re.search(r"ㄱ <span class=\"count\">\(2\)</span>", page)
    assert '<span class="empty-letter" aria-disabled="true">ㄷ</span>' in page
    assert page.index(">ㄱ <") < page.index(">A <")


def test_index_lists_the_letters_names_in_alphabetical_order(client, korean_terms):
    page = client.get(url("glossary:index", "ko"), {"letter": "ㄱ"}).content.decode()

    assert page.index("가방") < page.index("까치")
    assert "나무" not in page.split("</nav>")[-1]


def test_index_query_count_is_constant(client, korean_terms, django_assert_num_queries):
    with django_assert_num_queries(3):  # letter counts, page count, names
        client.get(url("glossary:index", "ko"), {"letter": "ㄱ"})
    for index in range(30):
        TermName.objects.create(term=Term.objects.create(slug=f"more-{index}"), language="ko", name=f"가{index}")
    with django_assert_num_queries(3):
        client.get(url("glossary:index", "ko"), {"letter": "ㄱ"})


def test_unknown_letter_falls_back_to_the_first_letter(client, korean_terms):
    response = client.get(url("glossary:index", "ko"), {"letter": "<script>"})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "query"),
    [("zh-hans", "众包"), ("ko", "크라우드"), ("fr", "réseaux"), ("nb", "sosiale"), ("en", "social media")],
)
def test_search_finds_the_article_in_each_language(client, imported, language, query):
    page = client.get(url("search", language), {"q": query}).content.decode()

    assert f'href="/{language}/articles/crowdsourcing/"' in page
    assert f"<mark>{query}</mark>" in page.replace("<mark>Social media</mark>", "<mark>social media</mark>")


def test_search_finds_term_names(client, imported):
    page = client.get(url("search", "fr"), {"q": "rembour"}).content.decode()

    assert 'href="/fr/terms/repayment/"' in page


def test_search_misses_offer_other_languages(client, imported):
    page = client.get(url("search", "fr"), {"q": "众包"}).content.decode()

    assert "Aucun résultat pour « 众包 » dans cette langue." in page
    assert 'href="/zh-hans/search/?q=%E4%BC%97%E5%8C%85"' in page


def test_search_respects_the_current_language(client, imported):
    page = client.get(url("search", "ko"), {"q": "réseaux"}).content.decode()

    assert 'href="/ko/articles/crowdsourcing/"' not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", "Type a word"), ("a", "at least two letters"), ("<b>x</b>", "Nothing found"), ("x" * 5000, "Nothing found")],
)
def test_awkward_queries_get_sensible_safe_answers(client, imported, query, expected):
    response = client.get(url("search", "en"), {"q": query})

    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    assert "<b>x</b>" not in page


def test_single_chinese_character_is_a_real_query(client, imported):
    page = client.get(url("search", "zh-hans"), {"q": "众"}).content.decode()

    assert 'href="/zh-hans/articles/crowdsourcing/"' in page


def test_sitemap_lists_published_translations_with_alternates(client, imported):
    from articles.models import Article

    Article.objects.filter(pk=imported.pk).update(draft_languages=["nb"])

    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/ko/articles/crowdsourcing/</loc>" in xml
    assert "<loc>http://testserver/nb/articles/crowdsourcing/</loc>" not in xml
    assert 'hreflang="x-default" href="http://testserver/articles/crowdsourcing/"' in xml
    negotiated = client.get("/articles/crowdsourcing/", headers={"accept-language": "ko"})
    assert negotiated.status_code == 302 and negotiated["Location"] == "/ko/articles/crowdsourcing/"
    assert 'hreflang="fr" href="http://testserver/fr/articles/crowdsourcing/"' in xml


def test_robots_txt_points_to_the_sitemap(client, db):
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_api_terms_lists_names_links_and_languages(client, imported):
    data = json.loads(client.get("/api/terms/", {"lang": "ko"}).content)

    crowdsourcing = next(item for item in data["results"] if item["slug"] == "crowdsourcing")
    assert crowdsourcing["name"] == "크라우드소싱"
    assert crowdsourcing["url"] == "http://testserver/ko/terms/crowdsourcing/"
    assert crowdsourcing["article_languages"] == ["ko", "nb", "zh-hans", "en", "fr"]
    assert data["count"] == Term.objects.count() and data["page"] == 1


def test_api_terms_query_count_is_constant(client, imported, django_assert_num_queries):
    with django_assert_num_queries(3):  # count, terms with articles, names
        client.get("/api/terms/", {"lang": "en"})


def test_api_article_returns_one_language(client, imported):
    data = json.loads(client.get("/api/articles/crowdsourcing/", {"lang": "fr"}).content)

    assert data["title"] == "Crowdsourcing"
    assert "d'un" in data["description"]
    assert "social-media" in data["terms"]
    assert set(data["languages"]) == {"ko", "nb", "zh-hans", "en", "fr"}


@pytest.mark.parametrize("params", [{}, {"lang": "xx"}])
def test_api_refuses_a_missing_or_unknown_language(client, imported, params):
    response = client.get("/api/articles/crowdsourcing/", params)

    assert response.status_code == 400
    assert json.loads(response.content)["languages"] == ["ko", "nb", "zh-hans", "en", "fr"]

"""sitemap.xml lists only what readers can open, each with its alternates; robots.txt points to it."""

import xml.etree.ElementTree as ET

import pytest

from articles.models import Article
from glossary.models import Term, TermName
from tests.conftest import set_drafts

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
ORIGIN = "http://testserver"


def sitemap(client) -> dict[str, dict[str, str]]:
    """Return {loc: {hreflang: href}} for every URL of the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link[@rel='alternate']", NS)
        }
        for url in root.findall("s:url", NS)
    }


def test_articles_are_listed_in_each_published_language_with_alternates_and_x_default(client, make_article):
    make_article("payroll", {"en": ("Payroll", "Body."), "fr": ("Paie", "Texte."), "nb": ("Lønn", "Tekst.")})
    set_drafts(Article.objects.get(slug="payroll"), "nb")

    urls = sitemap(client)

    expected = {
        "en": f"{ORIGIN}/en/articles/payroll/",
        "fr": f"{ORIGIN}/fr/articles/payroll/",
        "x-default": f"{ORIGIN}/articles/payroll/",
    }
    assert urls[f"{ORIGIN}/en/articles/payroll/"] == expected
    assert urls[f"{ORIGIN}/fr/articles/payroll/"] == expected
    assert not any("/articles/payroll/" in loc for loc in urls if loc.startswith((f"{ORIGIN}/nb/", f"{ORIGIN}/ko/")))


def test_x_default_leads_to_the_visitors_language(client, imported):
    urls = sitemap(client)
    x_default = urls[f"{ORIGIN}/ko/articles/crowdsourcing/"]["x-default"]

    response = client.get(x_default.removeprefix(ORIGIN), headers={"accept-language": "ko"})

    assert response.status_code == 302 and response["Location"] == "/ko/articles/crowdsourcing/"


def test_terms_are_listed_in_the_languages_they_have_a_definition_or_an_article_in(client, make_article):
    term = Term.objects.create(slug="ledger", definition_ko="거래를 기록하는 장부")
    TermName.objects.create(term=term, language="ko", name="원장")
    TermName.objects.create(term=term, language="en", name="ledger")  # a name, but no definition nor article
    make_article("payroll", {"fr": ("Paie", "Texte.")}, source_language="fr")

    urls = sitemap(client)

    assert urls[f"{ORIGIN}/ko/terms/ledger/"] == {"ko": f"{ORIGIN}/ko/terms/ledger/"}
    assert f"{ORIGIN}/en/terms/ledger/" not in urls
    assert set(urls[f"{ORIGIN}/fr/terms/payroll/"]) == {"fr"}


def test_stub_terms_are_left_out_of_the_sitemap_and_not_indexed(client, make_article):
    make_article("payroll", {"en": ("Payroll", "Paying [staff](/staff).")})

    urls = sitemap(client)
    stub = client.get("/en/terms/staff/").content.decode()
    landing = client.get("/en/terms/payroll/").content.decode()

    assert not any("/terms/staff/" in loc for loc in urls)
    assert '<meta name="robots" content="noindex">' in stub
    assert '<meta name="robots" content="noindex">' not in landing


def test_home_and_index_are_listed_in_every_language(client, db, languages):
    urls = sitemap(client)

    for language in languages:
        assert set(urls[f"{ORIGIN}/{language}/"]) == {*languages, "x-default"}
        assert f"{ORIGIN}/{language}/terms/" in urls


@pytest.mark.django_db
def test_sitemap_query_count_is_constant(client, make_article, django_assert_num_queries):
    make_article("one", {"en": ("One", "[a](/shared)"), "ko": ("하나", "[가](/shared)")})
    # The content generation (HTTP caching: the ETag); articles and where they are published; terms with their
    # articles, their names, where those are published: which languages an article is published in is ArticleVersion
    # rows now, one prefetch each.
    with django_assert_num_queries(6):
        client.get("/sitemap.xml")
    for index in range(10):
        make_article(f"more-{index}", {"en": (f"More {index}", "[b](/shared)"), "fr": ("Plus", "[c](/other)")})
    with django_assert_num_queries(6):
        client.get("/sitemap.xml")


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text

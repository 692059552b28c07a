"""The read-only JSON: shape, pagination, languages, errors and query counts."""

import json

import pytest

from glossary.models import Term, TermName
from public.api import PAGE_SIZE
from tests.conftest import set_drafts


def get_json(client, path: str, params: dict, *, status: int = 200) -> dict:
    response = client.get(path, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_terms_list_names_links_and_languages(client, imported):
    data = get_json(client, "/api/terms/", {"lang": "ko"})

    crowdsourcing = next(item for item in data["results"] if item["slug"] == "crowdsourcing")
    assert crowdsourcing["name"] == "크라우드소싱"
    assert crowdsourcing["name_language"] == "ko"
    assert crowdsourcing["url"] == "http://testserver/ko/terms/crowdsourcing/"
    assert crowdsourcing["article_url"] == "http://testserver/ko/articles/crowdsourcing/"
    assert crowdsourcing["article_languages"] == ["ko", "nb", "zh-hans", "en", "fr"]
    assert crowdsourcing["languages"] == ["ko", "nb", "zh-hans", "en", "fr"]
    assert {"language": "zh-hans", "name": "众包", "status": "preferred", "confirmed": True} in crowdsourcing["names"]
    assert data["count"] == Term.objects.count() and data["page"] == 1 and data["previous"] is None


def test_terms_name_every_form_with_status_and_fall_back_to_another_language(client, db):
    term = Term.objects.create(slug="ledger", definition_en="A book of accounts.")
    TermName.objects.create(term=term, language="en", name="ledger", confirmed=True, status="preferred")
    TermName.objects.create(term=term, language="en", name="book of account", confirmed=False, status="deprecated")

    english = get_json(client, "/api/terms/", {"lang": "en"})["results"][0]
    korean = get_json(client, "/api/terms/", {"lang": "ko"})["results"][0]

    assert english["definition"] == "A book of accounts."
    assert english["names"] == [
        {"language": "en", "name": "ledger", "status": "preferred", "confirmed": True},
        {"language": "en", "name": "book of account", "status": "deprecated", "confirmed": False},
    ]
    assert (korean["name"], korean["name_language"], korean["definition"]) == ("ledger", "en", "")
    assert korean["article_url"] is None and korean["languages"] == ["en"]


def test_terms_are_paginated_with_links_to_the_next_and_previous_pages(client, db):
    Term.objects.bulk_create([Term(slug=f"term-{index:03d}") for index in range(PAGE_SIZE + 5)])

    first = get_json(client, "/api/terms/", {"lang": "fr"})
    second = get_json(client, "/api/terms/", {"lang": "fr", "page": 2})

    assert (first["count"], first["pages"], len(first["results"])) == (PAGE_SIZE + 5, 2, PAGE_SIZE)
    assert first["next"] == "http://testserver/api/terms/?lang=fr&page=2"
    assert (len(second["results"]), second["next"]) == (5, None)
    assert second["previous"] == "http://testserver/api/terms/?lang=fr&page=1"
    assert second["results"][0]["slug"] == "term-100"


def test_cjk_stays_readable_in_the_response(client, imported):
    assert "크라우드소싱".encode() in client.get("/api/terms/", {"lang": "ko"}).content


def test_terms_query_count_is_constant(client, make_article, django_assert_num_queries):
    make_article("one", {"en": ("One", "[a](/shared)")})
    # The content generation (HTTP caching: the ETag), count, terms with their articles, names, and where those
    # articles are published (ArticleVersion rows).
    with django_assert_num_queries(5):
        get_json(client, "/api/terms/", {"lang": "en"})
    for index in range(20):
        make_article(f"more-{index}", {"en": (f"More {index}", f"[b](/other-{index})"), "ko": ("더", "[c](/x)")})
    with django_assert_num_queries(5):
        get_json(client, "/api/terms/", {"lang": "en"})


def test_article_returns_one_language_with_its_terms_and_languages(client, imported):
    data = get_json(client, "/api/articles/crowdsourcing/", {"lang": "fr"})

    assert data["title"] == "Crowdsourcing"
    assert "d'un" in data["description"]
    assert data["html"].startswith("<") and data["toc"]
    assert {
        "slug": "social-media",
        "name": "réseaux sociaux",
        "url": "http://testserver/fr/terms/social-media/",
    } in data["terms"]
    assert data["languages"]["ko"] == "http://testserver/ko/articles/crowdsourcing/"
    assert set(data["languages"]) == {"ko", "nb", "zh-hans", "en", "fr"}


def test_article_query_count_does_not_grow_with_its_links(client, make_article, django_assert_num_queries):
    make_article("payroll", {"en": ("Payroll", "[a](/wages)")})
    with django_assert_num_queries(4):  # the content generation, article, linked terms, their names
        get_json(client, "/api/articles/payroll/", {"lang": "en"})
    body = " ".join(f"[t{index}](/term-{index})" for index in range(15))
    make_article("payroll-two", {"en": ("Payroll two", body)})
    with django_assert_num_queries(4):
        get_json(client, "/api/articles/payroll-two/", {"lang": "en"})


def test_article_draft_or_missing_language_is_not_found_and_names_the_languages(client, imported):
    set_drafts(imported, "nb")

    data = get_json(client, "/api/articles/crowdsourcing/", {"lang": "nb"}, status=404)

    assert data["languages"] == ["ko", "zh-hans", "en", "fr"]


def test_unknown_article_is_a_json_404(client, db):
    assert get_json(client, "/api/articles/nothing/", {"lang": "en"}, status=404)["error"]


@pytest.mark.parametrize("path", ["/api/terms/", "/api/articles/crowdsourcing/"])
@pytest.mark.parametrize("params", [{}, {"lang": "xx"}, {"lang": "zh_Hans"}])
def test_a_missing_or_unknown_language_is_refused_with_the_list(client, imported, path, params):
    data = get_json(client, path, params, status=400)

    assert data["languages"] == ["ko", "nb", "zh-hans", "en", "fr"]


@pytest.mark.parametrize("page", [str(10**20), "-1", "x"])
def test_an_absurd_page_number_costs_what_a_real_page_does(client, make_article, django_assert_num_queries, page):
    make_article("one", {"en": ("One", "[a](/shared)")})

    # The content generation, count, terms with their articles, names, where those articles are published.
    with django_assert_num_queries(5):
        data = get_json(client, "/api/terms/", {"lang": "en", "page": page})

    assert data["page"] == 1

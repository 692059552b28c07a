"""The A–Z page: the language's own letters with counts, names in its alphabetical order, constant queries."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from glossary.collation import OTHER_LABEL
from glossary.models import Term, TermName
from glossary.services import term_name_save


def index_url(language: str) -> str:
    with translation.override(language):
        return reverse("glossary:index")


def index_page(client, language: str, **params) -> str:
    response = client.get(index_url(language), params)
    assert response.status_code == 200
    return response.content.decode()


def letter_section(page: str) -> str:
    return page.split('id="letter-title"')[1].split("</section>")[0]


@pytest.fixture
def korean_terms(db):
    for slug, name in [("a", "까치"), ("b", "가방"), ("c", "나무"), ("d", "Amazon"), ("e", "3D 프린팅")]:
        TermName.objects.create(term=Term.objects.create(slug=slug), language="ko", name=name, confirmed=True)


def test_index_shows_the_languages_letters_with_counts(client, korean_terms):
    page = index_page(client, "ko")

    assert re.search(r"ㄱ <span class=\"count\">\(2\)</span>", page)
    assert '<span class="empty-letter" aria-disabled="true">ㄷ</span>' in page
    assert page.index(">ㄱ <") < page.index(">ㅎ<") < page.index(">A <") < page.index(f">{OTHER_LABEL} <")


def test_index_lists_the_letters_names_in_alphabetical_order(client, korean_terms):
    section = letter_section(index_page(client, "ko", letter="ㄱ"))

    assert section.index("가방") < section.index("까치")
    assert "나무" not in section


def test_names_starting_with_a_digit_are_under_the_other_label(client, korean_terms):
    assert "3D 프린팅" in letter_section(index_page(client, "ko", letter=OTHER_LABEL))


def test_index_opens_on_the_first_letter_that_has_names(client, korean_terms):
    assert '<h2 id="letter-title">ㄱ</h2>' in index_page(client, "ko")


def test_unknown_letter_falls_back_to_the_first_letter(client, korean_terms):
    page = index_page(client, "ko", letter="<script>")

    assert "<script>" not in page
    assert '<h2 id="letter-title">ㄱ</h2>' in page


def test_alternative_names_lead_to_the_main_name_with_their_marks(client, db):
    term = Term.objects.create(slug="crowdsourcing")
    TermName.objects.create(term=term, language="en", name="Crowdsourcing", confirmed=True, status="preferred")
    TermName.objects.create(term=term, language="en", name="crowd-sourcing", confirmed=False, status="deprecated")

    section = letter_section(index_page(client, "en", letter="C"))

    assert section.count('href="/en/terms/crowdsourcing/"') == 2
    assert "crowd-sourcing</a> <span" in section
    assert "(deprecated)" in section and "(unconfirmed)" in section
    assert "main name:</span> <span>Crowdsourcing</span>" in section


def test_counts_are_written_the_languages_way(client, db):
    terms = Term.objects.bulk_create([Term(slug=f"t-{index}") for index in range(1234)])
    names = [TermName(term=term, language="fr", name=f"épargne {index}") for index, term in enumerate(terms)]
    for name in names:
        name.set_index_fields()
    TermName.objects.bulk_create(names)

    page = index_page(client, "fr")

    assert "1\xa0234 noms dans cette langue." in page
    assert 'E <span class="count">(1\xa0234)</span>' in page


def test_index_query_count_is_constant(client, korean_terms, django_assert_num_queries):
    with django_assert_num_queries(5):  # content generation, letter counts, page count, names, their terms' names
        client.get(index_url("ko"), {"letter": "ㄱ"})
    for index in range(30):
        term_name_save(name=TermName(term=Term.objects.create(slug=f"more-{index}"), language="ko", name=f"가{index}"))
    with django_assert_num_queries(5):
        client.get(index_url("ko"), {"letter": "ㄱ"})

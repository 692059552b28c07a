"""The A–Z page: the language's own letters with counts, names in its alphabetical order, constant queries."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation

from glossary.collation import OTHER_LABEL, index_labels
from glossary.models import Term, TermName
from glossary.services import term_name_save


def index_url(language: str) -> str:
    with translation.override(language):
        return reverse("glossary:index")


def index_page(client, language: str, *, status: int = 200, **params) -> str:
    response = client.get(index_url(language), params)
    assert response.status_code == status
    return response.content.decode()


def letter_bar(page: str) -> str:
    return page.split('<nav class="letters"')[1].split("</nav>")[0]


def letter_section(page: str) -> str:
    return page.split('id="letter-title"')[1].split("</section>")[0]


@pytest.fixture
def korean_terms(db):
    for slug, name in [("a", "까치"), ("b", "가방"), ("c", "나무"), ("d", "Amazon"), ("e", "3D 프린팅")]:
        TermName.objects.create(term=Term.objects.create(slug=slug), language="ko", name=name, confirmed=True)


def test_index_shows_the_languages_letters_with_counts(client, korean_terms):
    page = index_page(client, "ko")

    assert re.search(r"ㄱ <span class=\"count\">\(2\)</span>", page)
    assert '<span class="empty-letter" aria-disabled="true">ㄷ <span class="count">(0)</span></span>' in page
    assert page.index(">ㄱ <") < page.index(">ㅎ <") < page.index(">A <") < page.index(f">{OTHER_LABEL} <")


def test_index_lists_the_letters_names_in_alphabetical_order(client, korean_terms):
    section = letter_section(index_page(client, "ko", letter="ㄱ"))

    assert section.index("가방") < section.index("까치")
    assert "나무" not in section


def test_names_starting_with_a_digit_are_under_the_other_label(client, korean_terms):
    assert "3D 프린팅" in letter_section(index_page(client, "ko", letter=OTHER_LABEL))


def test_index_opens_on_the_first_letter_that_has_names(client, korean_terms):
    assert '<h2 id="letter-title">ㄱ</h2>' in index_page(client, "ko")


def test_every_letter_is_in_the_bar_and_only_letters_with_names_are_links(client, korean_terms):
    bar = letter_bar(index_page(client, "ko"))

    assert bar.count("<li>") == len(index_labels("ko"))
    assert re.findall(r'<a href="\?letter=([^"]+)"', bar) == [quote(label) for label in ["ㄱ", "ㄴ", "A", OTHER_LABEL]]


def test_an_empty_letter_chosen_explicitly_says_it_has_no_names(client, korean_terms):
    page = index_page(client, "ko", letter="ㄷ")

    assert '<h2 id="letter-title">ㄷ</h2>' in page
    assert '<span class="empty-letter" aria-disabled="true" aria-current="page">ㄷ <span' in letter_bar(page)
    assert "이 글자로 시작하는 이름이 없습니다." in letter_section(page)
    assert "가방" not in page


def test_an_unknown_letter_answers_404_with_the_bar_and_never_another_letter(client, korean_terms):
    page = index_page(client, "ko", status=404, letter="<script>")

    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'id="letter-title"' not in page and "가방" not in page
    assert letter_bar(page).count("<li>") == len(index_labels("ko"))


def test_a_letter_of_another_language_is_unknown(client, korean_terms):
    page = index_page(client, "en", status=404, letter="ㄱ")

    assert "This index has no letter “ㄱ”. Choose one of the letters above." in page


def test_an_empty_letter_parameter_opens_the_first_letter(client, korean_terms):
    assert '<h2 id="letter-title">ㄱ</h2>' in index_page(client, "ko", letter="")


def test_a_reading_files_a_chinese_name_under_the_letter_it_is_read_with(client, db):
    great_wall = Term.objects.create(slug="great-wall")
    TermName.objects.create(term=great_wall, language="zh-hans", name="长城", reading="changcheng", confirmed=True)
    TermName.objects.create(term=Term.objects.create(slug="growth"), language="zh-hans", name="增长", confirmed=True)

    assert "长城" in letter_section(index_page(client, "zh-hans", letter="C"))
    assert "长城" not in letter_section(index_page(client, "zh-hans", letter="Z"))


def test_changing_a_reading_moves_the_name_to_its_new_letter(client, db):
    name = TermName.objects.create(term=Term.objects.create(slug="great-wall"), language="zh-hans", name="长城")
    assert "长城" in letter_section(index_page(client, "zh-hans", letter="Z"))  # ICU reads 长 as zhǎng

    name.reading = "changcheng"
    name.save()

    assert "长城" in letter_section(index_page(client, "zh-hans", letter="C"))


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
    # The content generation (read again after a write), letter counts, page count, names, their terms' names.
    with django_assert_num_queries(5):
        client.get(index_url("ko"), {"letter": "ㄱ"})
    for index in range(30):
        term_name_save(name=TermName(term=Term.objects.create(slug=f"more-{index}"), language="ko", name=f"가{index}"))
    with django_assert_num_queries(5):
        client.get(index_url("ko"), {"letter": "ㄱ"})
    with django_assert_num_queries(4):  # no write since: the generation is known
        client.get(index_url("ko"))


@pytest.mark.parametrize("letter", ["ㄷ", "<script>"])
def test_an_empty_or_unknown_letter_costs_only_the_letter_counts(
    client, korean_terms, django_assert_num_queries, letter
):
    with django_assert_num_queries(2):  # the content generation and the letter counts
        client.get(index_url("ko"), {"letter": letter})


def test_an_editor_gives_a_name_its_reading_in_the_term_names_admin(admin_client, client, db):
    name = TermName.objects.create(term=Term.objects.create(slug="great-wall"), language="zh-hans", name="长城")
    url = reverse("admin:glossary_termname_change", args=[name.pk])
    assert 'name="reading"' in admin_client.get(url).content.decode()

    response = admin_client.post(
        url,
        {"term": name.term_id, "language": "zh-hans", "name": "长城", "status": "admitted", "reading": "changcheng"},
    )

    assert response.status_code == 302
    assert "长城" in letter_section(index_page(client, "zh-hans", letter="C"))


@pytest.mark.parametrize("page", [str(10**20), "-1", "x"])
def test_an_absurd_page_number_costs_what_a_real_page_does(client, korean_terms, django_assert_num_queries, page):
    with django_assert_num_queries(5):  # content generation, letter counts, page count, names, their terms' names
        response = client.get(index_url("ko"), {"letter": "ㄱ", "page": page})

    assert response.status_code == 200

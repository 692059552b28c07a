"""Search: hits and misses in each language, the CJK cases, awkward queries, and that the database does the work."""

import unicodedata

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from glossary.collation import fold
from glossary.models import Term, TermName
from public import search as public_search
from public.search import (
    MATCH_PIECE,
    MAX_QUERY_LENGTH,
    PAGE_SIZE,
    clean_query,
    did_you_mean,
    edit_distance,
    highlight,
    page_number,
    search,
    snippet,
)
from tests.conftest import set_drafts


def search_url(language: str) -> str:
    with translation.override(language):
        return reverse("search")


def search_page(client, language: str, query: str) -> str:
    response = client.get(search_url(language), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def add_name(term: Term, language: str, name: str, **fields) -> TermName:
    return TermName.objects.create(term=term, language=language, name=name, **fields)


# The query on its own: no database.


def test_query_is_normalised_into_words():
    query = clean_query("  social\t\tmedia \x00 ")

    assert query.text == "social media"
    assert query.words == ("social", "media")
    assert query.problem == ""


def test_decomposed_hangul_is_composed_before_searching():
    decomposed = "\u1106\u1175\u1103\u1175\u110b\u1165"  # 미디어 as a macOS keyboard may send it: jamo by jamo

    assert clean_query(decomposed).words == ("미디어",)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        *[("", "empty"), ("   ", "empty"), ("\x00\x01", "empty"), ("a", "short"), ("7", "short")],
        *[("众", ""), ("ab", "")],
        *[("q x", "short"), ("ꙮ ꙭ ꙮ", "short"), ("x 众", ""), ("x ab", ""), ("ß", "")],  # ß folds to ss
    ],
)
def test_queries_of_one_letter_words_are_refused_but_one_cjk_character_is_a_word(raw, problem):
    assert clean_query(raw).problem == problem


def test_long_query_is_cut_and_says_so():
    query = clean_query("word " * 100)

    assert len(query.text) <= MAX_QUERY_LENGTH
    assert query.truncated
    assert query.words == ("word",)


def test_highlight_escapes_the_text_and_marks_the_whole_phrase_before_its_words():
    marked = highlight("<b>Social media</b> and media", ("social", "media"))

    assert marked == "&lt;b&gt;<mark>Social media</mark>&lt;/b&gt; and <mark>media</mark>"


def test_highlight_cannot_be_tricked_into_markup_by_the_query():
    assert highlight("a <mark> b", ("<mark>",)) == "a <mark>&lt;mark&gt;</mark> b"


@pytest.mark.parametrize(
    "text",
    [
        "크라우드소싱은 크라우드의 힘",
        "크라우드크라우드",
        "众包众包众",
        "ababab aba",
        "no match here",
        "<b>크라우드</b> & 크라우드",
        "Aba ABA",
    ],
)
@pytest.mark.parametrize("word", ["크라우드", "众包", "aba", "ab"])
def test_one_word_marked_by_its_occurrences_as_the_pattern_marks_it(text, word):
    words = (word,)
    by_pattern = public_search._marked(text, public_search._pattern(words))

    assert public_search._marked(text, public_search._pattern(words), public_search._literal(words)) == by_pattern


def test_snippet_cuts_around_the_first_match():
    text = "x" * 500 + " 众包 " + "y" * 500

    cut = snippet(text, ("众包",))

    assert cut.startswith("…") and cut.endswith("…")
    assert "<mark>众包</mark>" in cut
    assert len(cut) < 250


# The pieces are MATCH_PIECE long, then twice the one before: they end at 1, 3 and 7 times MATCH_PIECE.
@pytest.mark.parametrize("offset", [0, MATCH_PIECE - 4, MATCH_PIECE, 3 * MATCH_PIECE - 4, 3 * MATCH_PIECE + 1])
def test_snippet_finds_the_first_match_wherever_the_pieces_folded_at_a_time_end(offset):
    text = "x" * offset + " Réseaux " + "y" * 100 + " réseaux"

    cut = snippet(text, ("reseaux",))

    assert "<mark>Réseaux</mark>" in cut


DECOMPOSED_HANGUL = "\u1106\u1175\u1103\u1175\u110b\u1165"  # 미디어, jamo by jamo: NFC composes it
DECOMPOSED_E = "e\u0301"  # é as an e and a combining accent


@pytest.mark.parametrize(
    "text",
    [
        "Café réseaux et médias. " + ("Texte " * 60) + DECOMPOSED_E + " fin",  # decomposed far after the match
        "Réseaux " + DECOMPOSED_E + " tout de suite",  # decomposed within the snippet
        "réseaux " + DECOMPOSED_E * 50 + " suite " + "x " * 100,  # decomposed: the snippet's cut moves
        DECOMPOSED_E + " avant: réseaux " + "x " * 200,  # decomposed before the match
        "réseaux " + "é" * 300 + DECOMPOSED_E,  # no ASCII character after the snippet: the whole text is checked
        "réseaux " + "y" * 81 + DECOMPOSED_E + "z" * 300,  # decomposed just past the snippet, before any ASCII
        "미디어 " + "미디어" * 100 + " " + DECOMPOSED_HANGUL,
        "크라우드 소싱 " * 40 + DECOMPOSED_HANGUL + " 미디어",
    ],
)
def test_a_hit_is_cut_from_its_nfc_text_though_only_its_start_is_checked(text):
    words = ("réseaux", "미디어")
    whole = unicodedata.normalize("NFC", text)
    found, read = public_search._first_match_read(text, words)

    source, match = public_search._normalized_to_match(text, found, read, words)

    pattern = public_search._pattern(words)
    assert match == public_search._first_match(whole, words)
    assert public_search._snippet(source, match, pattern) == public_search._snippet(whole, match, pattern)


def test_snippet_without_a_match_shows_the_start():
    assert snippet("Début du texte.", ("absent",)) == "Début du texte."


# Hits and misses, in each language, through the page.


@pytest.mark.parametrize(
    ("language", "query"),
    [("zh-hans", "众包"), ("ko", "크라우드"), ("fr", "réseaux"), ("nb", "sosiale"), ("en", "social media")],
)
def test_search_finds_the_article_in_each_language(client, imported, language, query):
    page = search_page(client, language, query)

    assert f'href="/{language}/articles/crowdsourcing/"' in page
    assert f"<mark>{query}</mark>" in page.replace("<mark>Social media</mark>", "<mark>social media</mark>")


@pytest.mark.parametrize(
    ("language", "query"),
    [("zh-hans", "区块链"), ("ko", "블록체인"), ("fr", "hypothèque"), ("nb", "boliglån"), ("en", "mortgage")],
)
def test_search_misses_words_the_articles_do_not_contain(client, imported, language, query):
    page = search_page(client, language, query)

    assert "/articles/crowdsourcing/" not in page.split("<main")[1]


@pytest.mark.parametrize(("language", "query"), [("fr", "RÉSEAUX SOCIAUX"), ("nb", "SØKER"), ("en", "SOCIAL MEDIA")])
def test_case_is_ignored_beyond_ascii(client, imported, language, query):
    page = search_page(client, language, query)

    assert f'href="/{language}/articles/crowdsourcing/"' in page


@pytest.mark.parametrize(
    ("language", "query"),
    [("fr", "reseaux sociaux"), ("fr", "COMPETENCES"), ("nb", "pa"), ("en", "Crowdsourcing")],
)
def test_accents_are_ignored_in_latin_scripts(client, imported, language, query):
    page = search_page(client, language, query)

    assert f'href="/{language}/articles/crowdsourcing/"' in page


def test_an_unaccented_query_marks_the_accented_word(client, imported):
    page = search_page(client, "fr", "reseaux")

    assert "<mark>réseaux</mark>" in page


@pytest.mark.parametrize(("language", "query"), [("ko", "크라"), ("ko", "군"), ("zh-hans", "众"), ("zh-hans", "众包")])
def test_one_and_two_character_korean_and_chinese_queries_find_the_article(client, imported, language, query):
    assert f'href="/{language}/articles/crowdsourcing/"' in search_page(client, language, query)


def test_hangul_is_never_decomposed_by_folding():
    assert fold("상환을") == "상환을"
    assert fold("長城") == "長城"


def test_folding_strips_greek_and_cyrillic_accents_and_case():
    assert fold("ΩΜΈΓΑ Ёлка Réseaux") == "ωμεγα елка reseaux"


def test_snippet_cuts_latin_text_at_word_boundaries():
    text = " ".join(["alphabet"] * 30) + " target " + " ".join(["omega"] * 30)

    cut = snippet(text, ("target",))
    inner = cut.removeprefix("…").removesuffix("…")

    assert inner.split(" ")[0] == "alphabet" and inner.split(" ")[-1] == "omega"


def test_snippet_of_chinese_text_inserts_no_space():
    text = "众包是一种" * 40 + "区块" + "方法" * 60

    cut = snippet(text, ("区块",))

    assert " " not in cut
    assert "<mark>区块</mark>" in cut


def test_chinese_lines_joined_without_a_space_in_the_searched_text(make_article):
    article = make_article("lines", {"zh-hans": ("众包", "众包是\n一种方法。")}, source_language="zh-hans")

    assert "众包是一种方法" in article.value("body_text", "zh-hans")


def test_term_names_ignore_case_beyond_ascii_too(db):
    term = Term.objects.create(slug="economy")
    add_name(term, "nb", "Økonomi", confirmed=True)

    assert [hit.term.slug for hit in search(raw_query="øKONOMI", language="nb").terms] == ["economy"]


def test_every_word_must_occur_but_in_any_order(client, imported):
    assert 'href="/en/articles/crowdsourcing/"' in search_page(client, "en", "media social")
    assert 'href="/en/articles/crowdsourcing/"' not in search_page(client, "en", "social mortgage")


def test_search_finds_term_names(client, imported):
    page = search_page(client, "fr", "rembour")

    assert 'href="/fr/terms/repayment/"' in page
    assert "<mark>rembour</mark>sement" in page


def test_single_chinese_character_is_a_real_query(client, imported):
    page = search_page(client, "zh-hans", "众")

    assert 'href="/zh-hans/articles/crowdsourcing/"' in page


def test_search_respects_the_current_language(client, imported):
    page = search_page(client, "ko", "réseaux")

    assert 'href="/ko/articles/crowdsourcing/"' not in page


def test_search_misses_offer_the_same_query_in_other_languages(client, imported):
    page = search_page(client, "fr", "众包")

    assert "Aucun résultat pour « 众包 » dans cette langue." in page
    assert 'href="/zh-hans/search/?q=%E4%BC%97%E5%8C%85"' in page
    assert 'href="/ko/search/' not in page


def make_draft(slug: str, language: str) -> None:
    set_drafts(Article.objects.get(slug=slug), language)


def test_other_languages_are_counted_without_drafts(make_article):
    make_article("payroll", {"en": ("Payroll", "Paying staff."), "fr": ("Paie", "Payroll en anglais.")})
    make_draft("payroll", "fr")

    results = search(raw_query="payroll", language="ko")

    assert results.elsewhere == {"en": 2}  # the English article and the term's English name; not the French draft


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "Type a word"),
        ("a", "a word of at least two letters"),
        ("ꙮ ꙭ", "a word of at least two letters"),
        ("<b>x</b>", "Nothing found"),
        ("x" * 5000, "Only the first 100 characters of your search were used."),
        ("%_%", "Nothing found"),
    ],
)
def test_awkward_queries_get_sensible_safe_answers(client, imported, query, expected):
    page = search_page(client, "en", query)

    assert expected in page
    assert "<b>x</b>" not in page


def test_like_wildcards_in_the_query_are_taken_literally(make_article):
    make_article("percent", {"en": ("Percent", "Growth of 5% a year.")})

    assert [hit.article.slug for hit in search(raw_query="5%", language="en").articles] == ["percent"]
    assert search(raw_query="5_", language="en").articles == []
    assert [hit.term.slug for hit in search(raw_query="perc%", language="en").terms] == []
    assert [hit.term.slug for hit in search(raw_query="perc", language="en").terms] == ["percent"]


# Ranking and names.


def test_title_hits_come_before_text_hits(make_article):
    make_article("aaa", {"en": ("Payroll tax", "A tax.")})
    make_article("bbb", {"en": ("Bonus", "Paid through payroll.")})
    make_article("ccc", {"en": ("Payroll", "Wages.")})

    hits = search(raw_query="payroll", language="en").articles

    assert [hit.article.slug for hit in hits] == ["ccc", "aaa", "bbb"]
    assert hits[0].title == "<mark>Payroll</mark>"


def test_a_title_hit_holds_the_words_literally_and_whatever_their_case(make_article):
    make_article("five", {"en": ("5 percent", "Growth of 5% a year.")})  # "5", not "5%", in the title
    make_article("zero", {"en": ("Zero 5% growth", "Nothing.")})
    make_article("upper", {"en": ("ÉCONOMIE", "Croissance de 5%.")})

    assert [hit.article.slug for hit in search(raw_query="5%", language="en").articles] == ["zero", "five", "upper"]
    assert [hit.article.slug for hit in search(raw_query="économie 5%", language="en").articles] == ["upper"]


def test_drafts_are_not_found(make_article):
    make_article("payroll", {"en": ("Payroll", "Paying staff."), "fr": ("Paie", "Verser les salaires.")})
    make_draft("payroll", "fr")

    assert search(raw_query="salaires", language="fr").articles == []
    assert search(raw_query="staff", language="en").articles != []


def test_a_term_appears_once_under_its_best_matching_name_with_its_main_name(db):
    term = Term.objects.create(slug="crowdsourcing")
    add_name(term, "en", "Crowdsourcing", confirmed=True, status=TermName.Status.PREFERRED)
    add_name(term, "en", "crowd sourcing", confirmed=True, status=TermName.Status.ADMITTED)
    add_name(term, "en", "crowd-sourcing", confirmed=False, status=TermName.Status.ADMITTED)
    add_name(term, "en", "peer production", confirmed=True, status=TermName.Status.ADMITTED)

    hits = search(raw_query="crowd", language="en").terms
    alternative = search(raw_query="peer", language="en").terms

    assert [(hit.name.name, hit.display.name) for hit in hits] == [("Crowdsourcing", "Crowdsourcing")]
    assert [(hit.name.name, hit.display.name) for hit in alternative] == [("peer production", "Crowdsourcing")]


def test_confirmed_names_come_before_unconfirmed_ones(db):
    harvested = Term.objects.create(slug="aaa")
    add_name(harvested, "en", "ledger line", confirmed=False)
    confirmed = Term.objects.create(slug="zzz")
    add_name(confirmed, "en", "ledger", confirmed=True)

    assert [hit.term.slug for hit in search(raw_query="ledger", language="en").terms] == ["zzz", "aaa"]


def test_alternative_name_hit_shows_the_main_name_and_marks(client, db):
    term = Term.objects.create(slug="crowdsourcing")
    add_name(term, "en", "Crowdsourcing", confirmed=True, status=TermName.Status.PREFERRED)
    add_name(term, "en", "crowd-sourcing", confirmed=False, status=TermName.Status.DEPRECATED)

    page = search_page(client, "en", "crowd-sourcing")

    assert "<mark>crowd-sourcing</mark></a>" in page
    assert "(unconfirmed)" in page and "(deprecated)" in page
    assert "main name:" in page and "<span>Crowdsourcing</span>" in page


# The database does the work.


def test_search_filters_in_the_database_not_in_python(make_article, monkeypatch):
    for index in range(20):
        make_article(f"other-{index}", {"en": (f"Other {index}", "Nothing relevant here.")})
    make_article("payroll", {"en": ("Payroll", "Paying staff.")})
    read = []
    original = public_search._rows
    monkeypatch.setattr(
        public_search, "_rows", lambda sql, params, **how: read.extend(rows := original(sql, params, **how)) or rows
    )

    hits = search(raw_query="staff", language="en").articles

    assert [hit.article.slug for hit in hits] == ["payroll"]
    assert len(read) == 1  # the one article, with the count (no term name holds "staff")


def test_search_query_count_does_not_grow_with_hits(client, make_article, django_assert_num_queries):
    make_article("payroll", {"en": ("Payroll", "Paying staff [wages](/wages).")})
    # content generation, the matching names (their terms counted), the articles counted with the page's, the page's
    # terms with their names
    with django_assert_num_queries(4):
        client.get(search_url("en"), {"q": "pa"})
    for index in range(25):
        make_article(f"payroll-{index}", {"en": (f"Payroll {index}", "Paying staff.")})
    with django_assert_num_queries(4):
        client.get(search_url("en"), {"q": "pa", "page": "2"})


def test_postgresql_plans_the_search_queries_once_for_any_words(make_article):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    make_article("payroll", {"en": ("Payroll", "Paying staff [wages](/wages).")})

    for query in ("staff", "paying", "payroll", "wages", "ying"):
        assert [hit.article.slug for hit in search(raw_query=query, language="en").articles] == ["payroll"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        generic_plans = {statement[:20]: count for statement, count in cursor.fetchall()}
    # Prepared after two runs, and run with the one plan made then: the articles' query and the names'.
    assert generic_plans["WITH matches AS (SEL"] >= 2
    assert generic_plans["SELECT n.term_id, n."] >= 2


# Pages.


def make_payroll_articles(make_article, count: int) -> None:
    for index in range(count):
        make_article(f"payroll-{index:02d}", {"en": (f"Payroll {index:02d}", "Paying staff.")})


def test_search_counts_every_hit_and_shows_one_page_of_each_list(make_article):
    make_payroll_articles(make_article, PAGE_SIZE + 3)

    first = search(raw_query="payroll", language="en")
    second = search(raw_query="payroll", language="en", page="2")

    assert (first.article_count, first.term_count, first.page, first.pages) == (PAGE_SIZE + 3, PAGE_SIZE + 3, 1, 2)
    assert len(first.articles) == len(first.terms) == PAGE_SIZE
    assert [hit.article.slug for hit in first.articles + second.articles] == [
        f"payroll-{index:02d}" for index in range(PAGE_SIZE + 3)
    ]
    assert [hit.term.slug for hit in first.terms + second.terms] == [
        f"payroll-{index:02d}" for index in range(PAGE_SIZE + 3)
    ]


def test_a_term_with_several_matching_names_is_counted_once_and_paged_where_its_best_name_ranks(db):
    journal = Term.objects.create(slug="journal")  # created first, but only an admitted name of it matches
    add_name(journal, "en", "Journal", confirmed=True, status=TermName.Status.PREFERRED)
    add_name(journal, "en", "ledger journal", confirmed=True, status=TermName.Status.ADMITTED)
    for index in range(PAGE_SIZE + 1):
        term = Term.objects.create(slug=f"ledger-{index:02d}")
        add_name(term, "en", f"Ledger {index:02d}", confirmed=True, status=TermName.Status.PREFERRED)
        add_name(term, "en", f"old ledger {index:02d}", confirmed=True, status=TermName.Status.ADMITTED)

    first = search(raw_query="ledger", language="en")
    second = search(raw_query="ledger", language="en", page="2")

    assert (first.term_count, first.pages, second.page) == (PAGE_SIZE + 2, 2, 2)
    assert [(hit.term.slug, hit.name.name) for hit in first.terms + second.terms] == [
        *((f"ledger-{index:02d}", f"Ledger {index:02d}") for index in range(PAGE_SIZE + 1)),
        ("journal", "ledger journal"),
    ]


def test_a_list_shorter_than_the_page_asked_for_shows_nothing_on_that_page(make_article):
    make_payroll_articles(make_article, PAGE_SIZE + 1)
    Term.objects.get(slug="payroll-00").names.update(name="Salaries", folded_name="salaries")

    second = search(raw_query="payroll", language="en", page="2")

    assert (second.article_count, second.term_count, second.pages) == (PAGE_SIZE + 1, PAGE_SIZE, 2)
    assert [hit.article.slug for hit in second.articles] == [f"payroll-{PAGE_SIZE:02d}"]
    assert second.terms == []


@pytest.mark.parametrize("asked", ["3", str(10**20)])
def test_past_the_last_article_the_page_of_the_longer_term_list_shows_with_the_articles_still_counted(
    make_article, asked
):
    make_payroll_articles(make_article, 2)
    for index in range(2 * PAGE_SIZE + 1):
        term = Term.objects.create(slug=f"payroll-term-{index:02d}")
        name = TermName(term=term, language="en", name=f"Payroll term {index:02d}", confirmed=True)
        name.set_index_fields()
        name.save()

    results = search(raw_query="payroll", language="en", page=asked)

    assert (results.article_count, results.term_count, results.page, results.pages) == (2, 2 * PAGE_SIZE + 3, 3, 3)
    assert results.articles == []
    assert [hit.term.slug for hit in results.terms] == ["payroll-term-18", "payroll-term-19", "payroll-term-20"]


def test_the_page_links_to_the_next_and_previous_pages_of_the_same_search(client, make_article):
    make_payroll_articles(make_article, PAGE_SIZE + 1)

    first = search_page(client, "en", "payroll staff")
    second = client.get(search_url("en"), {"q": "payroll staff", "page": "2"}).content.decode()

    assert "Page 1 of 2" in first and "Articles (11)" in first
    assert 'href="/en/search/?q=payroll+staff&amp;page=2" rel="next"' in first
    assert "Page 2 of 2" in second and "Articles (11)" in second
    assert 'href="/en/search/?q=payroll+staff" rel="prev"' in second
    assert 'rel="next"' not in second


def test_one_page_of_hits_has_no_page_links(client, imported):
    page = search_page(client, "en", "crowdsourcing")

    assert 'class="pages"' not in page


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        *[("abc", 1), ("", 1), ("0", 1), ("-1", 1), ("1.5", 1), ("²", 1)],
        *[("2", 2), ("3", 2), (str(10**20), 2), ("9" * 5000, 2)],
    ],
)
def test_a_page_number_out_of_range_or_not_a_number_shows_the_nearest_page(
    client, make_article, django_assert_num_queries, asked, shown
):
    make_payroll_articles(make_article, PAGE_SIZE + 1)

    # The same queries as any page: content generation, names, articles counted with the page's, the page's terms.
    with django_assert_num_queries(4):
        response = client.get(search_url("en"), {"q": "payroll", "page": asked})

    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.content.decode()


def test_page_number_reads_only_plain_digits():
    assert page_number("7", pages=9) == 7
    assert page_number(None, pages=9) == 1
    assert page_number("٣", pages=9) == 1  # an Arabic-Indic digit is a digit to str.isdigit, not a page number
    assert page_number("10" * 3000, pages=9) == 9
    assert page_number("0" * 20 + "2", pages=9) == 2


def test_a_miss_costs_two_more_queries_whatever_the_number_of_languages(client, imported, django_assert_num_queries):
    # content generation; matching names read and versions counted (none); then every other language's versions and
    # names counted; then near titles and names for "did you mean"
    with django_assert_num_queries(5):
        client.get(search_url("en"), {"q": "nothing-like-this"})


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("en", "crowdsorcing", "Crowdsourcing"),
        ("fr", "crowdsoucing", "Crowdsourcing"),
        ("nb", "crowdsourcng", "Crowdsourcing"),
    ],
)
def test_a_near_miss_offers_the_nearest_title(client, imported, language, query, expected):
    page = search_page(client, language, query)

    assert "did-you-mean" in page
    assert f">{expected}</a>" in page.split("did-you-mean")[1]


def test_a_near_miss_offers_a_term_name_of_the_same_language_only(db):
    term = Term.objects.create(slug="mortgage")
    add_name(term, "en", "mortgage", confirmed=True)
    add_name(term, "fr", "hypothèque", confirmed=True)

    assert search(raw_query="mortgae", language="en").did_you_mean == "mortgage"
    assert search(raw_query="hypotheqe", language="fr").did_you_mean == "hypothèque"
    assert search(raw_query="hypotheqe", language="en").did_you_mean == ""


def test_nothing_near_offers_no_suggestion_but_the_a_to_z_page(client, imported):
    page = search_page(client, "en", "zzzzqqqq")

    assert "did-you-mean" not in page
    assert 'href="/en/terms/"' in page.split("<main")[1]


def test_did_you_mean_costs_one_query_whatever_the_number_of_names(db, django_assert_num_queries):
    for index in range(30):
        term = Term.objects.create(slug=f"term-{index}")
        add_name(term, "en", f"mortgage {index}", confirmed=True)
    with django_assert_num_queries(1):
        did_you_mean("mortgaeg 1", language="en")


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("%rate", "%rat", "%rate"),  # LIKE's wildcards are letters like any other here
        ("_score", "_scor", "_score"),
        ("&rat", "%rat", ""),  # the character after "%": a name of another first letter is never offered
        ("\ud7ffabc", "\ud7ffab", "\ud7ffabc"),  # the last character before the surrogates
        ("\U0010ffffabc", "\U0010ffffab", "\U0010ffffabc"),  # the last character of all
    ],
)
def test_did_you_mean_offers_a_name_of_the_same_first_letter_whatever_the_letter(db, name, query, expected):
    term = Term.objects.create(slug="term")
    add_name(term, "en", name, confirmed=True)

    assert did_you_mean(query, language="en") == expected


def test_sqlite_did_you_mean_reads_the_names_and_titles_of_the_first_letter_only(db):
    """Not every name of the language: LIKE 'x%' cannot use SQLite's index (its LIKE ignores the case of ASCII
    letters), and "did you mean" read 11,000 names, 1.5 ms, for a miss at 10,000 terms."""
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    with CaptureQueriesContext(connection) as queries:
        did_you_mean("mortgaeg", language="en")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {queries[0]['sql']}")
        plan = "\n".join(str(row) for row in cursor.fetchall())

    assert "folded_name>? AND folded_name<?" in plan, plan
    assert "search_title>? AND search_title<?" in plan, plan


def test_edit_distance_stops_past_its_limit():
    assert edit_distance("crowdsorcing", "crowdsourcing", limit=2) == 1
    assert edit_distance("abc", "xyzw", limit=2) == 3


@pytest.mark.parametrize(("query", "kind"), [("crowdsourcing", "a hit"), ("zeppelinx", "a miss")])
def test_sqlite_reads_the_versions_the_index_found_not_every_version_of_the_language(imported, query, kind):
    """Not every version of the language by its index, each looked up in the index's list: that grew with the corpus
    (a planted word's page 1.4 ms at 10,000 versions, 5.1 at 100,000; a miss counted in the other languages 17 ms).
    Nor the rows themselves: a row's article lies past its long texts (13 ms for 1,000 Korean hits)."""
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    with CaptureQueriesContext(connection) as queries:
        public_search.search(raw_query=query, language="en")
    # The page's query, and for a miss the other languages' count (did you mean reads titles, not the index).
    versions = [
        query["sql"] for query in queries if "articles_articleversion v" in query["sql"] and "MATCH" in query["sql"]
    ]
    with connection.cursor() as cursor:
        plans = []
        for sql in versions:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plans.append("\n".join(str(row) for row in cursor.fetchall()))

    assert len(versions) == (1 if kind == "a hit" else 2)
    # By id, in the index that holds what the search reads of a row (articles migration 0021), not in the row.
    assert all("SEARCH v USING COVERING INDEX articles_version_hit (id=?)" in plan for plan in plans), plans
    assert not any("language=?" in plan for plan in plans), plans

import pytest
from django.urls import reverse
from django.utils import translation

from glossary.models import Term


def term_url(language: str, slug: str) -> str:
    with translation.override(language):
        return reverse("glossary:term", kwargs={"slug": slug})


def test_term_without_any_article_has_an_honest_page(client, imported):
    response = client.get(term_url("fr", "repayment"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>remboursement</h1>" in page
    assert "There is no article about this term yet." in page or "Il n" in page


def test_term_page_lists_the_articles_that_mention_it(client, imported):
    page = client.get(term_url("ko", "social-media")).content.decode()

    assert 'href="/ko/articles/crowdsourcing/"' in page
    assert "크라우드소싱" in page


def test_term_with_its_article_in_this_language_leads_to_it(client, imported):
    page = client.get(term_url("nb", "crowdsourcing")).content.decode()

    assert 'class="article-link" href="/nb/articles/crowdsourcing/"' in page


def test_term_with_an_article_only_elsewhere_offers_those_languages(client, make_article):
    make_article("payroll", {"en": ("Payroll", "Body."), "fr": ("Paie", "Texte.")})

    page = client.get(term_url("ko", "payroll")).content.decode()

    assert 'href="/en/articles/payroll/"' in page
    assert 'href="/fr/articles/payroll/"' in page


def test_term_name_from_another_language_is_marked_with_its_lang(client, make_article):
    make_article("payroll", {"en": ("Payroll", "Body.")})

    page = client.get(term_url("ko", "payroll")).content.decode()

    assert '<h1 lang="en">Payroll</h1>' in page


@pytest.mark.django_db
def test_term_page_query_count_is_constant(client, make_article, django_assert_num_queries):
    make_article("one", {"en": ("One", "[a](/shared)")})
    make_article("two", {"en": ("Two", "[b](/shared) [c](/shared)")})

    # content generation, term, names, mentions, closest related, terms whose article links here, related terms,
    # their names, the sentences where it is used (no definition)
    with django_assert_num_queries(8):
        client.get(term_url("en", "shared"))
    make_article("three", {"en": ("Three", "[d](/shared)"), "fr": ("Trois", "[e](/shared)")})
    with django_assert_num_queries(8):
        client.get(term_url("en", "shared"))


@pytest.mark.django_db
def test_unknown_term_is_not_found(client):
    assert client.get(term_url("en", "no-such-term")).status_code == 404


def test_source_link_form_redirects_to_the_term_in_the_visitors_language(client, imported):
    response = client.get("/social-media", headers={"accept-language": "ko,en;q=0.5"})

    assert response.status_code == 302
    assert response["Location"] == "/ko/terms/social-media/"


def test_source_link_form_prefers_the_language_cookie(client, imported):
    client.cookies["django_language"] = "nb"

    response = client.get("/social-media", headers={"accept-language": "ko"})

    assert response["Location"] == "/nb/terms/social-media/"


@pytest.mark.django_db
def test_source_link_form_for_an_unknown_term_is_not_found(client):
    assert client.get("/nothing-here").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        ("fr", "ko", "/fr/"),
        (None, "zh-CN,zh;q=0.9", "/zh-hans/"),
        (None, "nb-NO", "/nb/"),
        (None, "de", "/en/"),
    ],
)
def test_root_redirects_to_the_visitors_language(client, cookie, accept, expected):
    if cookie:
        client.cookies["django_language"] = cookie

    response = client.get("/", headers={"accept-language": accept})

    assert response.status_code == 302
    assert response["Location"] == expected


def test_home_lists_articles_and_terms_in_the_page_language(client, imported):
    page = client.get("/zh-hans/").content.decode()

    assert 'href="/zh-hans/articles/crowdsourcing/"' in page
    assert "众包" in page
    assert 'href="/zh-hans/terms/social-media/"' in page


@pytest.mark.django_db
def test_switch_view_remembers_the_language_and_goes_to_the_page(client):
    response = client.get("/i18n/switch/fr/", {"next": "/fr/articles/crowdsourcing/"})

    assert response.status_code == 302
    assert response["Location"] == "/fr/articles/crowdsourcing/"
    assert response.cookies["django_language"].value == "fr"
    assert client.get("/").headers["Location"] == "/fr/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/fr/", "/en/articles/x/", ""])
def test_switch_view_never_leaves_the_site_or_the_chosen_language(client, next_url):
    response = client.get("/i18n/switch/fr/", {"next": next_url})

    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_switch_view_rejects_an_unknown_language(client):
    assert client.get("/i18n/switch/xx/", {"next": "/xx/"}).status_code == 404


@pytest.mark.django_db
def test_every_language_home_page_has_the_switcher(client, languages):
    for language in languages:
        page = client.get(f"/{language}/").content.decode()
        assert f'<html lang="{language}">' in page
        assert 'aria-current="page"' in page


def test_term_page_shows_related_terms(client, imported):
    page = client.get(term_url("fr", "social-media")).content.decode()

    related = page.split('id="related-title"')[1].split("</section>")[0]
    assert 'href="/fr/terms/repayment/"' in related
    assert 'href="/fr/terms/crowdsourcing/"' in related
    assert 'href="/fr/terms/social-media/"' not in related


def test_related_terms_are_ranked_by_closeness_and_capped(make_article):
    from public.selectors import related_term_ids, related_terms

    make_article("shared", {"en": ("Shared", "[own](/own-link)")})
    make_article("close", {"en": ("Close", "[s](/shared) [t](/together) [u](/usual)")})
    make_article("closer", {"en": ("Closer", "[s](/shared) [t](/together)")})
    for number in range(5):
        make_article(f"far-{number}", {"en": (f"Far {number}", "[s](/shared)")})
    shared = Term.objects.get(slug="shared")

    ranked = [term.slug for term in related_terms(related_term_ids(shared, language="en", limit=4), language="en")]

    # its own article's link first, then by the number of articles shared, then the terms of the latest articles
    # that link here
    assert ranked == ["own-link", "together", "usual", "far-4"]
    assert len(related_term_ids(shared, language="en", limit=50)) == 10


def test_term_page_mentioned_by_many_articles_lists_only_the_closest_related_terms(
    client, make_article, django_assert_num_queries
):
    from public.selectors import RELATED_SHOWN

    for number in range(RELATED_SHOWN + 5):
        make_article(f"article-{number}", {"en": (f"Article {number}", "[s](/shared)")})

    with django_assert_num_queries(8):  # as above, the content generation included
        page = client.get(term_url("en", "shared")).content.decode()

    related = page.split('id="related-title"')[1].split("</section>")[0]
    assert related.count("<li>") == RELATED_SHOWN


@pytest.mark.django_db
def test_health_view_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.content == b"ok"


def test_term_page_lists_at_most_fifty_mentions_and_counts_the_rest(client, make_article):
    for index in range(53):
        make_article(f"article-{index:02d}", {"en": (f"Article {index:02d}", "See [shared](/shared).")})

    page = client.get(term_url("en", "shared")).content.decode()

    mentioned = page.split('id="mentioned-title"')[1].split("</section>")[0]
    assert mentioned.count('href="/en/articles/article-') == 50
    assert "and 3 more articles" in page


def test_term_page_shows_its_other_names_here_and_every_name_elsewhere_each_with_its_lang(client, db):
    from glossary.models import Term, TermName

    term = Term.objects.create(slug="ledger", definition_en="A book of accounts.")
    for language, name, status, confirmed in [
        ("en", "ledger", "preferred", True),
        ("en", "book of account", "deprecated", True),
        ("fr", "grand livre", "preferred", True),
        ("fr", "livre de comptes", "admitted", False),
        ("ko", "원장", "preferred", True),
    ]:
        TermName.objects.create(term=term, language=language, name=name, status=status, confirmed=confirmed)

    page = client.get(term_url("en", "ledger")).content.decode()

    assert '<p class="definition">A book of accounts.</p>' in page
    assert 'Also called: book of account <span class="deprecated">(deprecated)</span></p>' in page
    names = page.split('id="names-title"')[1].split("</section>")[0]
    assert '<span lang="fr">grand livre</span>, <span lang="fr">livre de comptes</span>' in names
    assert '<span lang="fr">livre de comptes</span> <span class="unconfirmed">(unconfirmed)</span>' in names
    assert '<span lang="ko">원장</span>' in names
    assert ">ledger<" not in names


def test_home_lists_its_terms_in_the_languages_alphabetical_order(client, make_article):
    names = {"a": "Åpen", "b": "Ærlig", "c": "zebra", "d": "Øl", "e": "ape"}
    make_article("x", {"nb": ("Lenker", " ".join(f"[{name}](/{slug})" for slug, name in names.items()))})

    page = client.get("/nb/").content.decode()

    positions = [page.index(f">{name}</a>") for name in ["ape", "zebra", "Ærlig", "Øl", "Åpen"]]
    assert positions == sorted(positions)


def home_term_links(page: str) -> int:
    return page.split('id="terms-title"')[1].split("</section>")[0].count("<li>")


def test_home_lists_the_latest_articles_and_the_most_mentioned_terms_a_fixed_number_of_each(client, make_article):
    from public.views import HOME_ARTICLES, HOME_TERMS

    linked = " ".join(f"[term {index}](/term-{index:02d})" for index in range(HOME_TERMS + 5))
    for index in range(HOME_ARTICLES + 2):
        body = f"[most mentioned](/popular) {linked if index == 0 else ''}"
        make_article(f"article-{index:02d}", {"en": (f"Article {index:02d}", body)})

    page = client.get("/en/").content.decode()

    listed = page.split('id="articles-title"')[1].split("</section>")[0]
    assert listed.count("<li>") == HOME_ARTICLES
    assert listed.index(f"Article {HOME_ARTICLES + 1:02d}") < listed.index(f"Article {HOME_ARTICLES:02d}")
    assert "Article 00" not in listed  # the oldest are left for the A–Z index and search
    assert home_term_links(page) == HOME_TERMS
    assert 'href="/en/terms/popular/">most mentioned</a>' in page


def test_home_leads_to_every_index_letter_with_its_count(client, make_article):
    make_article("payroll", {"fr": ("Paie", "Texte."), "en": ("Payroll", "Body.")})
    make_article("ledger", {"fr": ("Écriture", "Texte.")})

    page = client.get("/fr/").content.decode()

    assert '<a href="/fr/terms/?letter=E">E <span class="count">(1)</span></a>' in page
    assert '<a href="/fr/terms/?letter=P">P <span class="count">(1)</span></a>' in page
    assert '<span class="empty-letter" aria-disabled="true">Z <span class="count">(0)</span></span>' in page
    assert '<a href="/fr/terms/">' in page


@pytest.mark.django_db
def test_home_queries_and_size_stay_the_same_with_2000_more_terms(client, make_article, django_assert_num_queries):
    from django.core.cache import cache

    from articles.models import Article, ArticleLink
    from glossary.models import Term, TermName
    from public.views import HOME_TERMS

    make_article("payroll", {"en": ("Payroll", "See [ledger](/ledger).")})
    # content generation, index letters, latest articles, most mentioned terms, their names
    with django_assert_num_queries(5):
        before = client.get("/en/").content
    terms = Term.objects.bulk_create(Term(slug=f"extra-{index:04d}") for index in range(2000))
    names = [TermName(term=term, language="en", name=f"Extra {term.slug}", confirmed=True) for term in terms]
    for name in names:
        name.set_index_fields()
    TermName.objects.bulk_create(names)
    article = Article.objects.get(slug="payroll")
    ArticleLink.objects.bulk_create(ArticleLink(article=article, term=term, language="en") for term in terms)
    cache.clear()  # the page cache would answer with no query; bulk_create moved no generation on
    with django_assert_num_queries(4):
        after = client.get("/en/").content.decode()

    assert home_term_links(after) == HOME_TERMS
    assert len(after) < len(before) + 10_000


def test_a_term_without_definition_shows_the_sentences_it_is_used_in_marked(client, imported):
    page = client.get(term_url("fr", "social-media")).content.decode()

    usages = page.split('id="usage-title"')[1].split("</section>")[0]
    assert "<mark>les réseaux sociaux</mark>" in usages
    assert "Internet, <mark>les réseaux sociaux</mark> et les applications" in usages
    assert 'href="/fr/articles/crowdsourcing/"' in usages


def test_a_term_with_a_definition_in_the_readers_language_shows_it_instead(client, imported):
    from glossary.models import Term
    from glossary.services import term_save

    term_save(term=Term.objects.get(slug="social-media"), definitions={"fr": "Plateformes de partage en ligne."})

    page = client.get(term_url("fr", "social-media")).content.decode()
    assert "Plateformes de partage en ligne." in page
    assert 'id="usage-title"' not in page
    assert 'id="usage-title"' in client.get(term_url("ko", "social-media")).content.decode()


def test_a_drafts_sentences_are_not_shown(client, imported):
    from tests.conftest import set_drafts

    set_drafts(imported, "fr")

    assert 'id="usage-title"' not in client.get(term_url("fr", "social-media")).content.decode()

"""Home and term pages rendered after the writes that change them, served as stored (public/stored.py)."""

import re

import pytest
from django.core.management import call_command

from core.generation import EVERYTHING, TOPICS_LIMIT, content_changed, content_state
from core.models import ContentGeneration
from glossary.models import Term, TermName
from glossary.services import term_name_save, terms_delete
from public.models import StoredPage
from public.stored import stored_pages_refresh
from tests.conftest import ask_front, save_edits

TERM = "/en/terms/social-media/"
OTHER_TERM = "/en/terms/repayment/"


@pytest.fixture
def no_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def stored(no_cache, imported):
    """The seeds imported and every stored page rendered, as `render_stored_pages` does first."""
    refresh = stored_pages_refresh()
    assert refresh.everything and refresh.rendered
    return imported


def _served(client, path: str) -> str:
    """The page as the front serves it once Django has answered one page of its kind (its headers learned)."""
    client.get(path)
    status, _headers, body = ask_front(path)
    assert status == "200 OK", path
    return body.decode()


STORED_KINDS = [
    "/ko/",
    "/fr/",
    TERM,
    "/zh-hans/terms/crowdsourcing/",
    "/en/terms/",
    "/ko/terms/?letter=%E3%85%85",
    "/api/terms/?lang=fr",
    "/api/terms/?lang=nb&page=1",
    "/api/articles/crowdsourcing/?lang=zh-hans",
]


def test_the_front_answers_every_stored_kind_as_django_does(stored, client, django_assert_num_queries):
    for path in STORED_KINDS:
        django = client.get(path)

        with django_assert_num_queries(1):
            status, headers, body = ask_front(path)

        assert status == "200 OK", path
        assert body == django.content, path
        assert headers == {name: value for name, value in django.items() if name != "Date"}, path


def test_pages_are_stored_and_served_when_production_redirects_http_to_https(no_cache, settings, client, imported):
    settings.SECURE_SSL_REDIRECT = True  # the default with debug off

    refresh = stored_pages_refresh()
    django = client.get(TERM, secure=True)
    status, _headers, body = ask_front(TERM, secure=True)

    assert refresh.rendered and StoredPage.objects.filter(path=TERM).exists()
    assert (status, body) == ("200 OK", django.content)
    assert b"https://testserver/en/terms/social-media/" in body


def test_a_write_makes_stored_pages_wait_for_the_renderer_and_readers_get_the_live_page(stored, client):
    client.get(TERM)
    stored.set_value("body", "en", stored.value("body", "en").replace("social media", "social networks"))
    save_edits(stored, languages=["en"])

    assert ask_front(TERM)[0] == "599 Asked Django"  # never the page from before the save
    assert ask_front(OTHER_TERM)[0] == "599 Asked Django"  # nor any other until the renderer has looked


def test_an_article_save_renders_again_the_pages_of_the_terms_it_links_and_keeps_the_rest(stored, client, make_article):
    make_article("unrelated", {"en": ("Unrelated", "Nothing linked here.")})
    stored_pages_refresh()
    before = StoredPage.objects.get(path="/en/terms/unrelated/").html
    stored.set_value("title", "en", "Crowdsourcing, retitled")
    save_edits(stored, languages=["en"])

    refresh = stored_pages_refresh()

    assert not refresh.everything
    assert refresh.kept  # the pages of terms the article does not link were moved on, not rendered
    assert "Crowdsourcing, retitled" in _served(client, TERM)  # "mentioned in" names the article by its title
    assert StoredPage.objects.get(path="/en/terms/unrelated/").html == before
    assert _served(client, "/en/terms/unrelated/") == client.get("/en/terms/unrelated/").content.decode()


def test_a_new_article_linking_a_term_is_on_that_terms_stored_page(stored, client, make_article):
    make_article("payroll", {"en": ("Payroll", "Paid [after repayment](/repayment).")})

    stored_pages_refresh()

    assert "Payroll" in _served(client, OTHER_TERM)
    assert StoredPage.objects.filter(path="/en/terms/payroll/").exists()  # the new article's own term


def test_a_term_pages_dependencies_are_its_term_its_articles_in_every_language_and_its_related_terms(stored):
    from articles.models import Article, ArticleLink
    from public.selectors import related_term_ids

    term = Term.objects.select_related("article").get(slug="social-media")
    articles = set(ArticleLink.objects.filter(term=term).values_list("article_id", flat=True))
    articles |= set(Article.objects.filter(term=term).values_list("pk", flat=True))
    for language in ("en", "zh-hans"):
        related = related_term_ids(term, language=language)
        page = StoredPage.objects.get(path=f"/{language}/terms/social-media/")

        assert related and articles
        assert set(page.depends.split()) == {
            f"term:{term.pk}",
            *(f"article:{pk}" for pk in articles),
            *(f"term:{pk}" for pk in related),
        }


def test_a_renamed_term_is_on_its_page_and_on_the_pages_listing_it_as_related(stored, client):
    term = Term.objects.get(slug="repayment")
    related = [page.path for page in StoredPage.objects.filter(depends__contains=f" term:{term.pk} ", language="en")]
    assert TERM in related  # the seed article links both: each is related to the other

    term_name_save(name=TermName(term=term, language="en", name="Pay-back", confirmed=True))
    stored_pages_refresh()

    assert "Pay-back" in _served(client, OTHER_TERM)
    assert "Pay-back" in _served(client, TERM)


def test_a_deleted_terms_stored_pages_go(stored, client):
    term = Term.objects.get(slug="repayment")

    terms_delete(term_ids=[term.pk])
    stored_pages_refresh()

    assert not StoredPage.objects.filter(path__endswith="/terms/repayment/").exists()
    client.get(TERM)
    assert "/terms/repayment/" not in ask_front(TERM)[2].decode()


def test_a_write_with_no_topics_renders_every_page_again(stored, django_capture_on_commit_callbacks):
    from django.db import transaction

    with transaction.atomic():
        content_changed()

    refresh = stored_pages_refresh()

    assert refresh.everything
    assert refresh.rendered == StoredPage.objects.count()
    assert refresh.kept == 0


def test_topics_beyond_the_limit_become_everything(db):
    from django.db import transaction

    for _ in range(3):
        with transaction.atomic():
            content_changed(topics=["term:1" * (TOPICS_LIMIT // 3)])

    assert ContentGeneration.objects.get(pk=1).topics == EVERYTHING


def test_topics_of_several_writes_are_noted_together_and_taken_once(stored):
    from django.db import transaction

    for pk in (1, 2):
        with transaction.atomic():
            content_changed(topics=[f"term:{pk}"])
    assert ContentGeneration.objects.get(pk=1).topics.split() == ["term:1", "term:2"]

    stored_pages_refresh()

    row = ContentGeneration.objects.get(pk=1)
    assert row.topics == ""
    assert row.pages_generation == row.value == content_state().generation


def test_pages_a_stopped_pass_left_behind_are_rendered_by_the_next(stored, client):
    StoredPage.objects.filter(path=TERM).update(valid_at=0)  # as when the renderer stopped before storing it

    refresh = stored_pages_refresh()

    assert not refresh.everything
    assert StoredPage.objects.get(path=TERM).valid_at == content_state().generation
    assert _served(client, TERM) == client.get(TERM).content.decode()


def test_pages_stored_by_other_code_are_not_served(stored, client):
    client.get(TERM)
    StoredPage.objects.filter(path=TERM).update(page_version="rendered by another deploy")

    assert ask_front(TERM)[0] == "599 Asked Django"


def test_the_command_runs_a_pass_and_reports_it(stored):
    from io import StringIO

    out = StringIO()
    call_command("render_stored_pages", stdout=out)

    assert "page(s) rendered" in out.getvalue()


def test_every_a_to_z_page_a_reader_can_follow_is_stored_with_the_address_its_link_gives(stored, client):
    index = client.get("/ko/terms/").content.decode()
    letters = re.findall(r'href="(\?letter=[^"]+)"', index)  # relative to the index itself

    assert len(letters) == 3
    for address in (f"/ko/terms/{letter}" for letter in letters):
        assert StoredPage.objects.filter(path=address, view_name="glossary:index").exists(), address
        assert _served(client, address) == client.get(address).content.decode()


def test_a_letter_the_language_does_not_have_is_left_to_django(stored, client):
    client.get("/ko/terms/")

    assert ask_front("/ko/terms/?letter=QQ")[0] == "599 Asked Django"  # Django answers 404 with the letters
    assert client.get("/ko/terms/?letter=QQ").status_code == 404


def test_a_new_term_name_is_on_the_a_to_z_pages_after_the_next_pass(stored, client):
    term = Term.objects.get(slug="repayment")
    term_name_save(name=TermName(term=term, language="en", name="Zzz repayment", confirmed=True))

    stored_pages_refresh()

    assert "Zzz repayment" in _served(client, "/en/terms/?letter=Z")


def test_the_api_is_answered_stored_in_the_language_its_query_names_whatever_the_browser_asks(stored, client):
    client.get("/api/terms/?lang=fr", HTTP_ACCEPT_LANGUAGE="ko")
    django = client.get("/api/terms/?lang=fr", HTTP_ACCEPT_LANGUAGE="en")

    status, headers, body = ask_front("/api/terms/?lang=fr", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert status == "200 OK"
    assert headers["Content-Language"] == django["Content-Language"] == "fr"
    assert body == django.content
    assert ask_front("/api/terms/?lang=xx")[0] == "599 Asked Django"  # a 400 with the languages, from Django
    assert ask_front("/api/terms/?lang=fr&lang=ko")[0] == "599 Asked Django"


def test_an_articles_json_follows_a_rename_of_a_term_it_links_to(stored, client):
    term = Term.objects.get(slug="repayment")
    term_name_save(name=TermName(term=term, language="en", name="Pay-back", confirmed=True))

    stored_pages_refresh()

    assert "Pay-back" in _served(client, "/api/articles/crowdsourcing/?lang=en")


INDEX_PAGES = ["/en/terms/", "/en/terms/?letter=S", "/api/terms/?lang=en"]


def _index_rows() -> dict[str, tuple[str, int]]:
    return {page.path: (page.html, page.valid_at) for page in StoredPage.objects.filter(path__in=INDEX_PAGES)}


def test_a_body_saved_with_no_new_name_keeps_the_a_to_z_and_api_lists_and_they_stay_served(stored, client, monkeypatch):
    import public.stored

    rendered = []
    render = public.stored._render
    monkeypatch.setattr(
        public.stored, "_render", lambda client, page, **kw: rendered.append(page.path) or render(client, page, **kw)
    )
    before = _index_rows()
    assert len(before) == len(INDEX_PAGES)
    stored.set_value("body", "en", stored.value("body", "en") + "\n\nOne sentence more, with no link.\n")
    save_edits(stored, languages=["en"])

    assert "names" not in ContentGeneration.objects.get(pk=1).topics.split()
    stored_pages_refresh()

    assert "/en/" in rendered and TERM in rendered  # the home page and the linked terms' pages
    assert not [path for path in rendered if "/terms/?" in path or path.endswith("/terms/") or "/api/terms/" in path]
    after = _index_rows()
    generation = content_state().generation
    for path in INDEX_PAGES:
        assert after[path] == (before[path][0], generation), path  # moved on, not rendered again
        assert _served(client, path) == client.get(path).content.decode(), path


def test_a_link_text_harvested_as_a_name_renders_the_a_to_z_again(stored, client):
    stored.set_value("body", "en", stored.value("body", "en") + "\n\nSee [shared funding pools](/crowdfunding).\n")
    save_edits(stored, languages=["en"])

    assert "names" in ContentGeneration.objects.get(pk=1).topics.split()  # noted by the database's trigger
    stored_pages_refresh()

    assert TermName.objects.filter(language="en", name="shared funding pools").exists()
    assert "shared funding pools" in _served(client, "/en/terms/?letter=S")
    assert "shared funding pools" in _served(client, "/api/terms/?lang=en")


def test_a_name_saved_through_the_glossary_renders_the_a_to_z_again(stored, client):
    term = Term.objects.get(slug="repayment")

    term_name_save(name=TermName(term=term, language="en", name="Settlement of debt", confirmed=True))
    stored_pages_refresh()

    assert "Settlement of debt" in _served(client, "/en/terms/?letter=S")


def test_a_language_made_a_draft_changes_the_api_term_list(stored, client):
    import json

    from tests.conftest import set_drafts

    def article_languages() -> list[str]:
        listed = _served(client, "/api/terms/?lang=en")
        assert listed == client.get("/api/terms/?lang=en").content.decode()
        return next(item for item in json.loads(listed)["results"] if item["slug"] == stored.term.slug)[
            "article_languages"
        ]

    assert "fr" in article_languages()
    set_drafts(stored, "fr")

    assert "names" in ContentGeneration.objects.get(pk=1).topics.split()
    stored_pages_refresh()

    assert "fr" not in article_languages()


def test_the_names_topic_is_noted_once_and_never_past_everything(stored):
    from django.db import transaction

    with transaction.atomic():
        content_changed(topics=["term:1"])
        for name in ("One", "Two"):
            TermName.objects.create(term_id=Term.objects.get(slug="repayment").pk, language="en", name=name)
    assert ContentGeneration.objects.get(pk=1).topics.split() == ["term:1", "names"]

    with transaction.atomic():
        content_changed()
        TermName.objects.create(term_id=Term.objects.get(slug="repayment").pk, language="en", name="Three")
    assert ContentGeneration.objects.get(pk=1).topics == EVERYTHING

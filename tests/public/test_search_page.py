"""The search page written around the site's template, and answered before Django runs (public/search_page.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import translation

from core.languages import language_codes
from core.stored_pages import PAGE_ORIGIN, RENDER
from glossary.models import Term, TermName
from public.search import MAX_QUERY_LENGTH, PAGE_SIZE
from tests.conftest import ask_front

NOT_COMPARED = ("Date", "ETag", "Last-Modified")  # a page rendered live (RENDER) has no validators: compared apart
# Every part of the page: hits of both kinds, marks, a main name, pages, a miss found elsewhere, a near miss, the
# empty and short queries, a long query, markup and an origin-like text typed in the box, a repeated parameter.
QUERIES = [
    "",
    "?q=",
    "?q=a",
    "?q=crowdsourcing",
    "?q=%ED%81%AC%EB%9D%BC%EC%9A%B0%EB%93%9C",  # 크라우드
    "?q=%E4%BC%97%E5%8C%85",  # 众包
    "?q=search+term",
    "?q=search+term&page=2",
    "?q=old+search",
    "?q=new+search",
    "?q=search+term&page=99999999999999999999",
    "?q=zzqxv",
    "?q=crowdsorcing",
    "?q=" + "x" * (MAX_QUERY_LENGTH + 20),
    "?q=%3Cb%3E%26%22%27",
    "?q=" + PAGE_ORIGIN,
    "?q=a&q=crowdsourcing",
    "?page=2",
]


def search_url(language: str) -> str:
    with translation.override(language):
        return reverse("search")


@pytest.fixture
def no_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def names(imported):
    """Terms enough for two pages of hits, with a deprecated, an unconfirmed and an alternative name."""
    for number in range(PAGE_SIZE + 2):
        term = Term.objects.create(slug=f"search-term-{number}")
        for language in language_codes():
            TermName.objects.create(term=term, language=language, name=f"Search term {number}")
    term = Term.objects.create(slug="marked-term")
    TermName.objects.create(term=term, language="en", name="Main search term")
    TermName.objects.create(term=term, language="en", name="Old search term", status="deprecated")
    TermName.objects.create(term=term, language="en", name="New search term", confirmed=False)
    return imported


def django_answer(client, path: str, **meta):
    """Django's own answer: RENDER makes the middleware render the page live rather than ask the front."""
    return client.get(path, **{RENDER: "1"}, **meta)


@pytest.mark.parametrize("language", ["ko", "nb", "zh-hans", "en", "fr"])
def test_the_front_answers_every_kind_of_search_page_as_django_does(no_cache, client, names, language):
    client.get(search_url(language))  # Django answers the first: the front learns its headers

    for query in QUERIES:
        django = django_answer(client, search_url(language) + query)
        status, headers, body = ask_front(search_url(language) + query)

        assert status == "200 OK", query
        assert body == django.content, query
        assert {name: value for name, value in headers.items() if name not in NOT_COMPARED} == {
            name: value for name, value in django.items() if name not in NOT_COMPARED
        }, query
        validators = client.get(search_url(language) + query)
        assert (headers["ETag"], headers["Last-Modified"]) == (validators["ETag"], validators["Last-Modified"])


def test_the_search_page_shows_every_part_the_template_showed(no_cache, client, names):
    pages = {query: django_answer(client, search_url("en") + query).content.decode() for query in QUERIES}

    assert "<mark>Search term</mark>" in pages["?q=search+term"]
    assert 'class="deprecated"' in pages["?q=old+search"]
    assert 'class="see"' in pages["?q=old+search"]  # the name it goes by
    assert 'class="unconfirmed"' in pages["?q=new+search"]
    assert 'rel="next"' in pages["?q=search+term"]
    assert 'rel="prev"' in pages["?q=search+term&page=2"]
    assert 'class="did-you-mean"' in pages["?q=crowdsorcing"]
    assert 'class="notice"' in pages["?q=" + "x" * (MAX_QUERY_LENGTH + 20)]
    assert "&lt;b&gt;&amp;&quot;&#x27;" in pages["?q=%3Cb%3E%26%22%27"]
    assert "<b>&" not in pages["?q=%3Cb%3E%26%22%27"]
    assert '<link rel="canonical" href="http://testserver/en/search/">' in pages["?q=crowdsourcing"]
    assert 'value="crowdsourcing"' in pages["?q=a&q=crowdsourcing"]  # the last of a repeated parameter, as Django
    assert pages[""].count("<title>") == 1


def test_the_origin_typed_in_a_query_is_left_as_typed(no_cache, client, imported):
    client.get(search_url("en"))

    body = ask_front(search_url("en") + "?q=" + PAGE_ORIGIN)[2].decode()

    assert f'value="{PAGE_ORIGIN}"' in body  # stored pages' placeholder for the host: not replaced in a query
    assert '<link rel="canonical" href="http://testserver/en/search/">' in body


def test_the_front_writes_the_host_and_mount_point_it_was_asked_for(no_cache, settings, client, imported):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "glossary.example"]
    meta = {"HTTP_HOST": "glossary.example", "SCRIPT_NAME": "/glossary"}
    client.get(search_url("fr"), **meta)

    try:
        status, _headers, body = ask_front(search_url("fr") + "?q=crowdsourcing", **meta)
    finally:
        set_script_prefix("/")  # the front sets it, as Django's handler does, for each request; tests share it

    # Not compared with Django's answer: the test client, unlike Django's WSGI handler, keeps the mount point out.
    assert status == "200 OK"
    assert '<link rel="canonical" href="http://glossary.example/glossary/fr/search/">' in body.decode()
    assert 'action="/glossary/fr/search/"' in body.decode()
    assert 'href="/glossary/fr/articles/crowdsourcing/"' in body.decode()


def test_the_front_leaves_to_django_what_django_must_refuse_or_has_not_seen(no_cache, settings, client, imported):
    assert ask_front(search_url("en") + "?q=crowdsourcing")[0] == "599 Asked Django"  # no headers learned yet
    client.get(search_url("en"))
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    too_many = search_url("en") + "?q=a&b=1&c=2&d=3"

    assert ask_front(too_many)[0] == "599 Asked Django"
    assert client.get(too_many).status_code == 400
    assert ask_front(search_url("en") + "?q=crowdsourcing", method="post")[0] == "599 Asked Django"
    assert ask_front(search_url("en") + "?q=crowdsourcing", HTTP_HOST="other.example")[0] == "599 Asked Django"


def test_the_front_costs_no_more_queries_than_django(no_cache, client, names):
    client.get(search_url("en"))

    for query in ("?q=search+term", "?q=zzqxv", "?q=crowdsorcing"):
        with CaptureQueriesContext(connection) as by_django:
            django_answer(client, search_url("en") + query)
        with CaptureQueriesContext(connection) as by_front:
            assert ask_front(search_url("en") + query)[0] == "200 OK"

        assert len(by_front) <= len(by_django), query


def test_a_template_without_a_slot_is_refused_with_its_name(no_cache, settings, client, imported, tmp_path):
    (tmp_path / "glossary").mkdir()
    no_title = (  # the title's slot missing
        '{% extends "base.html" %}{% block alternates %}{{ alternates }}{% endblock %}'
        "{% block content %}{{ content }}{% endblock %}"
    )
    (tmp_path / "glossary" / "search.html").write_text(no_title)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    with pytest.raises(RuntimeError, match=r"glossary/search\.html"):
        client.get(search_url("en") + "?q=crowdsourcing")


def test_with_debug_on_a_changed_template_shows_on_the_next_search(no_cache, settings, client, imported, tmp_path):
    settings.DEBUG = True
    (tmp_path / "glossary").mkdir()
    template = tmp_path / "glossary" / "search.html"
    shell = (
        '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}{% block alternates %}{{ alternates }}'
        "{% endblock %}{% block content %}<p>VERSION</p>{{ content }}{% endblock %}"
    )
    template.write_text(shell.replace("VERSION", "first"))
    engine = settings.TEMPLATES[0]
    # Templates read on each use, as the development server has them once a template changed (its autoreloader).
    loaders = ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
    options = {**engine["OPTIONS"], "loaders": loaders}
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]], "APP_DIRS": False, "OPTIONS": options}]
    assert "<p>first</p>" in client.get(search_url("en") + "?q=crowdsourcing").content.decode()

    template.write_text(shell.replace("VERSION", "second"))

    assert "<p>second</p>" in client.get(search_url("en") + "?q=crowdsourcing").content.decode()

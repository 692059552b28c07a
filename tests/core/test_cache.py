import environ
import pytest
from django.core.cache import cache
from django.db.models import F

from core.cache import code_version, library_versions
from core.generation import content_generation, content_state
from core.models import ContentGeneration
from glossary.services import term_name_save
from tests.conftest import ask_front, save_edits
from tests.core.conftest import _free_port


def test_an_unchanged_page_is_served_from_the_cache(client, imported, django_assert_num_queries):
    client.get("/ko/articles/crowdsourcing/")

    with django_assert_num_queries(0):  # the generation is known until a write changes its stamp
        response = client.get("/ko/articles/crowdsourcing/")

    assert response.status_code == 200
    assert "크라우드소싱" in response.content.decode()


def test_an_edit_invalidates_the_cached_page_at_once(client, imported):
    client.get("/fr/articles/crowdsourcing/")

    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    save_edits(imported, languages=["fr"])

    assert "En résumé" in client.get("/fr/articles/crowdsourcing/").content.decode()


def test_a_new_term_name_invalidates_index_and_term_pages(client, imported):
    from glossary.models import Term, TermName

    client.get("/ko/terms/?letter=ㅅ")
    assert "<h1>상환</h1>" in client.get("/ko/terms/repayment/").content.decode()  # harvested, particle taken off

    term_name_save(name=TermName(term=Term.objects.get(slug="repayment"), language="ko", name="상환금", confirmed=True))

    assert ">상환금</a>" in client.get("/ko/terms/?letter=ㅅ").content.decode()
    assert "<h1>상환금</h1>" in client.get("/ko/terms/repayment/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_committed_changes_move_the_generation_on(seed_path):
    from io import StringIO

    from django.core.management import call_command

    before = content_generation()
    call_command("import_articles", str(seed_path), stdout=StringIO())

    assert content_generation() > before


def test_error_pages_and_redirects_are_not_cached(client, imported, make_article):
    assert client.get("/fr/articles/nothing/").status_code == 404
    make_article("nothing", {"fr": ("Rien", "x")})

    assert client.get("/fr/articles/nothing/").status_code == 200


def test_cached_pages_ask_browsers_to_revalidate_and_let_shared_caches_keep_them(settings, client, imported):
    settings.GLOSSARY_SHARED_CACHE_SECONDS = 5
    settings.GLOSSARY_STALE_SECONDS = 30

    response = client.get("/en/")

    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5, stale-while-revalidate=30"


READER_PAGES = [
    "/en/",
    "/ko/articles/crowdsourcing/",
    "/ko/terms/repayment/",
    "/ko/terms/?letter=ㅅ",
    "/ko/search/?q=크라우드",
    "/api/terms/?lang=fr",
    "/api/articles/crowdsourcing/?lang=fr",
    "/sitemap.xml",
]


@pytest.mark.parametrize("path", READER_PAGES)
def test_every_reader_page_has_validators_and_answers_304_to_its_etag(
    path, client, imported, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"].endswith(" GMT")

    with django_assert_num_queries(0):  # not even the cached page is read
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "s-maxage" in again["Cache-Control"]


@pytest.mark.parametrize("path", READER_PAGES)
def test_every_reader_page_answers_304_since_its_last_modified(path, client, imported):
    first = client.get(path)

    again = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_a_page_modified_after_the_date_asked_about_is_sent_whole(client, imported):
    first = client.get("/ko/articles/crowdsourcing/")

    again = client.get("/ko/articles/crowdsourcing/", HTTP_IF_MODIFIED_SINCE="Sat, 01 Jan 2000 00:00:00 GMT")

    assert again.status_code == 200
    assert again.content == first.content


def test_another_etag_gets_the_whole_page(client, imported):
    response = client.get("/ko/articles/crowdsourcing/", HTTP_IF_NONE_MATCH='"not-ours"')

    assert response.status_code == 200
    assert "크라우드소싱" in response.content.decode()


def test_a_save_changes_the_etag_and_the_old_one_gets_the_new_page(client, imported):
    before = client.get("/fr/articles/crowdsourcing/")

    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    save_edits(imported, languages=["fr"])
    after = client.get("/fr/articles/crowdsourcing/", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "En résumé" in after.content.decode()


def test_a_save_moves_last_modified_on(client, imported):
    before = content_state()

    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    save_edits(imported, languages=["fr"])

    assert content_state().generation > before.generation
    assert content_state().changed > before.changed


def test_error_pages_carry_no_etag(client, imported):
    response = client.get("/fr/articles/nothing/")

    assert response.status_code == 404
    assert not response.has_header("ETag")
    assert client.get("/api/terms/?lang=xx").status_code == 400
    assert not client.get("/api/terms/?lang=xx").has_header("ETag")


def test_the_same_address_on_another_host_has_another_etag(client, imported):
    local = client.get("/en/", HTTP_HOST="localhost")

    other = client.get("/en/", HTTP_HOST="127.0.0.1", HTTP_IF_NONE_MATCH=local["ETag"])

    assert other.status_code == 200


def test_a_page_from_the_cache_keeps_every_security_header(client, imported):
    first = client.get("/ko/articles/crowdsourcing/")
    second = client.get("/ko/articles/crowdsourcing/")

    assert not hasattr(second, "templates") or not second.templates  # answered without rendering
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Content-Language"):
        assert second[header] == first[header], header
    assert second.content == first.content


def test_pages_are_cached_per_host_since_they_link_to_themselves(client, imported):
    client.get("/en/", HTTP_HOST="localhost")

    page = client.get("/en/", HTTP_HOST="127.0.0.1").content.decode()

    assert 'rel="canonical" href="http://127.0.0.1/en/"' in page


def test_a_deploy_changes_the_cache_keys(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>old</p>")
    settings.BASE_DIR = tmp_path
    before = code_version.__wrapped__()

    template.write_text("<p>new</p>")

    assert code_version.__wrapped__() != before


@pytest.mark.parametrize("library", ["markdown-it-py", "mdit-py-plugins", "nh3", "PyICU"])
def test_an_upgraded_library_changes_the_cache_keys_and_the_version_of_stored_pages(monkeypatch, library):
    from importlib import metadata

    from articles.pages import page_version

    before_code, before_page = code_version.__wrapped__(), page_version()
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "999.0" if name == library else real(name))
    code_version.cache_clear()
    try:
        assert code_version() != before_code
        assert page_version() != before_page
    finally:
        monkeypatch.undo()
        code_version.cache_clear()


def test_the_icu_version_is_part_of_the_digest():
    import icu

    assert f"ICU={icu.ICU_VERSION}" in library_versions()


def test_a_write_committed_by_another_process_is_seen_by_this_ones_cache(settings, client, imported):
    """Another worker's write moves the generation in the database and changes the stamp; this process reads both."""
    from glossary.models import TermName

    client.get("/ko/terms/repayment/")
    TermName.objects.filter(term__slug="repayment", language="ko").update(name="다른 프로세스")
    ContentGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    assert "다른 프로세스" not in client.get("/ko/terms/repayment/").content.decode()

    settings.GLOSSARY_GENERATION_FILE.write_text("stamp of the other process's commit")

    assert "다른 프로세스" in client.get("/ko/terms/repayment/").content.decode()


def test_pages_outside_the_language_prefix_read_no_generation(client, imported, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/robots.txt").status_code == 200


def test_readers_get_pages_when_the_cache_server_is_down(settings, client, imported):
    settings.CACHES = {"default": environ.Env.cache_url_config(f"redis://127.0.0.1:{_free_port()}/0")}

    response = client.get("/ko/articles/crowdsourcing/")

    assert response.status_code == 200
    assert "크라우드소싱" in response.content.decode()


@pytest.fixture
def shared_cache(settings, cache_server_url):
    """Point the default cache at the real server exactly as CACHE_URL would."""
    settings.CACHES = {"default": environ.Env.cache_url_config(cache_server_url)}
    cache.clear()
    yield cache_server_url
    cache.clear()


def test_cache_url_selects_the_real_server_backend(shared_cache):
    from django.core.cache import caches

    backend = type(caches["default"]).__name__

    assert backend == ("RedisCache" if shared_cache.startswith("redis") else "PyMemcacheCache")
    cache.set("glossary:probe", "ok")
    assert cache.get("glossary:probe") == "ok"


def test_a_shared_cache_serves_unchanged_pages_with_no_query(shared_cache, client, imported, django_assert_num_queries):
    client.get("/ko/articles/crowdsourcing/")

    with django_assert_num_queries(0):  # the generation's stamp is in the shared cache too
        response = client.get("/ko/articles/crowdsourcing/")

    assert response.status_code == 200
    assert "크라우드소싱" in response.content.decode()


def test_a_shared_cache_is_invalidated_by_an_edit_at_once(shared_cache, client, imported):
    client.get("/fr/articles/crowdsourcing/")
    generation = content_generation()

    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    save_edits(imported, languages=["fr"])

    assert content_generation() > generation
    assert "En résumé" in client.get("/fr/articles/crowdsourcing/").content.decode()


def test_a_shared_cache_takes_long_non_ascii_queries(shared_cache, client, imported, django_assert_num_queries):
    path = "/ko/search/?q=" + "크라우드 소싱 " * 40
    first = client.get(path)

    with django_assert_num_queries(0):
        second = client.get(path)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content


def test_the_wsgi_front_serves_a_stored_page_with_every_header_and_no_query(
    client, imported, django_assert_num_queries
):
    page = client.get("/ko/articles/crowdsourcing/")

    with django_assert_num_queries(0):
        status, headers, body = ask_front("/ko/articles/crowdsourcing/")

    assert status == "200 OK"
    assert body == page.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "ETag", "Cache-Control"):
        assert headers[header] == page[header], header


def test_the_wsgi_front_leaves_pages_not_stored_and_other_requests_to_django(client, imported):
    client.get("/ko/articles/crowdsourcing/")

    assert ask_front("/fr/articles/crowdsourcing/")[0] == "599 Asked Django"  # not read yet
    assert ask_front("/ko/articles/crowdsourcing/", method="post")[0] == "599 Asked Django"
    assert ask_front("/admin/")[0] == "599 Asked Django"
    assert ask_front("/ko/articles/crowdsourcing/?again=1")[0] == "599 Asked Django"


def test_the_wsgi_front_answers_conditional_requests_and_head(client, imported):
    page = client.get("/ko/articles/crowdsourcing/")

    by_etag = ask_front("/ko/articles/crowdsourcing/", HTTP_IF_NONE_MATCH=page["ETag"])
    by_date = ask_front("/ko/articles/crowdsourcing/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    head = ask_front("/ko/articles/crowdsourcing/", method="head")

    assert by_etag[0] == by_date[0] == "304 Not Modified"
    assert by_etag[2] == by_date[2] == b""
    assert by_date[1]["ETag"] == page["ETag"]
    assert "Content-Security-Policy" not in by_date[1]  # a 304 carries validators and caching headers only
    assert head[0] == "200 OK"
    assert head[2] == b""
    assert head[1]["Content-Length"] == str(len(page.content))


def test_the_wsgi_front_never_serves_a_page_after_a_save(client, imported):
    client.get("/fr/terms/")

    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    save_edits(imported, languages=["fr"])

    assert ask_front("/fr/terms/")[0] == "599 Asked Django"


def test_the_wsgi_front_keeps_pages_apart_by_host_and_scheme(client, imported):
    client.get("/en/", HTTP_HOST="localhost")

    assert ask_front("/en/", HTTP_HOST="localhost")[0] == "200 OK"
    assert ask_front("/en/", HTTP_HOST="127.0.0.1")[0] == "599 Asked Django"
    assert ask_front("/en/", HTTP_HOST="localhost", secure=True)[0] == "599 Asked Django"

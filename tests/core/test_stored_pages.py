"""Stored pages answered before Django: the bytes and headers Django sends, or Django answers (core/stored_pages.py)."""

import pytest
from django.db import connection

from core.stored_pages import stored_bytes
from tests.articles.conftest import article_url
from tests.conftest import ask_front, save_edits

NOT_COMPARED = ("Date",)


@pytest.fixture
def no_cache(settings):
    """What the benchmarks call "no cache": only stored pages, no page cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.mark.parametrize("language", ["ko", "nb", "zh-hans", "en", "fr"])
def test_the_front_answers_a_stored_article_page_as_django_does(
    no_cache, client, imported, language, django_assert_num_queries
):
    django = client.get(article_url(language))

    with django_assert_num_queries(1):  # the stored page's read
        status, headers, body = ask_front(article_url(language))

    assert status == "200 OK"
    assert body == django.content
    assert headers == {name: value for name, value in django.items() if name not in NOT_COMPARED}


def test_the_front_sends_the_page_stored_by_a_save_with_its_new_etag(no_cache, client, imported):
    before = client.get(article_url("fr"))

    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    save_edits(imported, languages=["fr"])
    status, headers, body = ask_front(article_url("fr"))

    assert status == "200 OK"
    assert "En résumé" in body.decode()
    assert headers["ETag"] != before["ETag"]
    assert body == client.get(article_url("fr")).content


def test_the_front_answers_conditional_requests_and_head_for_stored_pages(no_cache, client, imported):
    page = client.get(article_url("ko"))

    by_date = ask_front(article_url("ko"), HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    head = ask_front(article_url("ko"), method="head")

    assert by_date[0] == "304 Not Modified"
    assert by_date[2] == b""
    assert by_date[1]["ETag"] == page["ETag"]
    assert "Content-Security-Policy" not in by_date[1]  # validators and caching headers only
    assert head[0] == "200 OK"
    assert head[2] == b""
    assert head[1]["Content-Length"] == str(len(page.content))


def test_the_front_leaves_to_django_what_it_has_no_stored_page_or_headers_for(no_cache, client, imported):
    client.get(article_url("ko"))
    imported.versions.filter(language="nb").update(published=False)

    assert ask_front(article_url("nb"))[0] == "599 Asked Django"  # its headers were never seen
    client.get(article_url("nb"))  # Django's 404 page for a language not published: nothing learned from it
    assert ask_front(article_url("nb"))[0] == "599 Asked Django"
    assert ask_front("/ko/articles/no-such-article/")[0] == "599 Asked Django"
    assert ask_front(article_url("ko") + "?utm=1")[0] == "599 Asked Django"
    assert ask_front(article_url("ko"), method="post")[0] == "599 Asked Django"
    assert ask_front(article_url("ko"), HTTP_HOST="other.example")[0] == "599 Asked Django"  # headers are per origin
    assert ask_front(article_url("ko"), secure=True)[0] == "599 Asked Django"
    assert ask_front(article_url("ko"), SCRIPT_NAME="/glossary")[0] == "599 Asked Django"  # rendered for another mount


def test_a_stored_page_answered_by_the_front_links_to_the_host_asked(no_cache, settings, client, imported):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "glossary.example"]
    client.get(article_url("en"), HTTP_HOST="glossary.example")

    body = ask_front(article_url("en"), HTTP_HOST="glossary.example")[2].decode()

    assert f'<link rel="canonical" href="http://glossary.example{article_url("en")}">' in body


def test_a_stored_page_the_front_answered_is_kept_in_the_page_cache(client, imported, django_assert_num_queries):
    from django.core.cache import cache

    client.get(article_url("ko"))  # Django answers: its headers are learned
    cache.clear()
    with django_assert_num_queries(1):
        first = client.get(article_url("ko"))  # the front answers from the stored page

    with django_assert_num_queries(0):
        second = client.get(article_url("ko"))

    assert second.content == first.content


def _stored_page_runs(connection) -> int:
    """How many times this connection ran the stored pages' read as a prepared statement (0: never prepared)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%page_html%"],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_on_postgresql_the_stored_page_read_is_a_prepared_statement(no_cache, client, imported):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    django = client.get(article_url("ko"))
    before = _stored_page_runs(connection)

    answers = [ask_front(article_url("ko")) for _ in range(2)]

    assert all(body == django.content for _status, _headers, body in answers)
    assert _stored_page_runs(connection) == before + 2


@pytest.mark.django_db
def test_without_prepared_statements_the_stored_page_is_read_all_the_same(no_cache, client, imported):
    """DJANGO_DB_PREPARED_STATEMENTS=false (behind a pooler that cannot keep them): psycopg prepares nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    django = client.get(article_url("fr"))
    before = _stored_page_runs(connection)
    threshold, connection.connection.prepare_threshold = connection.connection.prepare_threshold, None
    try:
        status, _headers, body = ask_front(article_url("fr"))
    finally:
        connection.connection.prepare_threshold = threshold

    assert (status, body) == ("200 OK", django.content)
    assert _stored_page_runs(connection) == before


def test_postgresql_prepares_a_stored_page_read_at_once_and_plans_it_once(db):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(3):
        assert stored_bytes("SELECT convert_to(%s::text || 'ed', 'UTF8')", ["prepar"]) == b"prepared"

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement = 'SELECT convert_to($1::text || ''ed'', ''UTF8'')'"
        )
        assert cursor.fetchall() == [(3, 0)]  # prepared on the first run, and every run with the plan made then


def test_postgresql_sends_a_read_not_prepared_with_its_values_for_the_server_to_plan_for_them(db):
    """Under plan_cache_mode=force_generic_plan the server plans any statement whose values it binds generically:
    "did you mean"'s LIKE 'q%' then never used the index of the titles' first letters."""
    from core.stored_pages import prepared_execute

    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    sql = "SELECT current_query() WHERE %s = 'q'"

    assert prepared_execute(sql, ["q"], prepare=False).fetchall() == [("SELECT current_query() WHERE 'q' = 'q'",)]
    assert prepared_execute(sql, ["q"]).fetchall() == [("SELECT current_query() WHERE $1 = 'q'",)]


def _libpq_reads() -> int:
    """How many times this connection ran a stored page's read prepared through libpq (core.stored_pages)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements"
            " WHERE name LIKE 'glossary_page_%%' AND statement LIKE '%%page_html%%'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # as an app server reads: no transaction open
def test_outside_a_transaction_postgresql_reads_a_stored_page_through_libpq_prepared_once(no_cache, client, imported):
    if connection.vendor != "postgresql":
        pytest.skip("libpq is PostgreSQL's")
    django = client.get(article_url("zh-hans"))
    before = _libpq_reads()

    answers = [ask_front(article_url("zh-hans")) for _ in range(3)]

    assert all(answer == ("200 OK", answers[0][1], django.content) for answer in answers)
    assert _libpq_reads() == before + 3


@pytest.mark.django_db(transaction=True)
def test_a_stored_page_read_prepares_its_statement_again_after_psycopg_deallocated_every_statement(
    no_cache, client, imported
):
    """psycopg sends DEALLOCATE ALL after a rollback (a savepoint's too), which takes out the read's statement."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    django = client.get(article_url("nb"))
    ask_front(article_url("nb"))
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    status, _headers, body = ask_front(article_url("nb"))

    assert (status, body) == ("200 OK", django.content)
    assert _libpq_reads() == 1


@pytest.mark.django_db(transaction=True)
def test_without_prepared_statements_libpq_sends_the_read_with_its_values_each_time(no_cache, client, imported):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    django = client.get(article_url("en"))
    before = _libpq_reads()
    threshold, connection.connection.prepare_threshold = connection.connection.prepare_threshold, None
    try:
        answers = [ask_front(article_url("en")) for _ in range(2)]
    finally:
        connection.connection.prepare_threshold = threshold

    assert [(status, body) for status, _headers, body in answers] == [("200 OK", django.content)] * 2
    assert _libpq_reads() == before


@pytest.mark.django_db(transaction=True)
def test_a_failed_read_through_libpq_raises_djangos_database_error_and_leaves_the_connection_usable():
    if connection.vendor != "postgresql":
        pytest.skip("libpq is PostgreSQL's")
    from django.db import ProgrammingError

    with pytest.raises(ProgrammingError, match="no_such_table"):
        stored_bytes("SELECT convert_to(html, 'UTF8') FROM no_such_table WHERE path = %s", ["/"])
    with pytest.raises(ProgrammingError, match="one column of text or bytes"):
        stored_bytes("SELECT %s::integer", [7])

    assert stored_bytes("SELECT convert_to(%s::text, 'UTF8') WHERE %s = 2", ["read", 2]) == b"read"
    assert stored_bytes("SELECT convert_to(%s::text, 'UTF8') WHERE %s = 3", ["read", 2]) is None


@pytest.mark.django_db(transaction=True)
def test_sqlite_reads_a_stored_page_through_its_driver_with_djangos_errors(no_cache, client, imported):
    if connection.vendor != "sqlite":
        pytest.skip("the driver's cursor is SQLite's here")
    from django.db import OperationalError

    django = client.get(article_url("ko"))

    assert ask_front(article_url("ko"))[2] == django.content
    with pytest.raises(OperationalError, match="no_such_table"):
        stored_bytes("SELECT CAST(html AS BLOB) FROM no_such_table WHERE path = %s", ["/"])


PAGE_TEXT = "크라우드소싱 · 众包 · Crowdsourcing · «réseaux» · å"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_reads_a_text_column_as_its_utf8_bytes_through_libpq():
    """Read in binary, text is its bytes in the connection's encoding (UTF-8, as Django connects): no convert_to,
    which checked and copied every byte of a page on the server."""
    if connection.vendor != "postgresql":
        pytest.skip("libpq is PostgreSQL's")
    before = _libpq_reads()

    # `page_html` in the statement: _libpq_reads counts the prepared statements that name it.
    assert stored_bytes("SELECT %s::text AS page_html", [PAGE_TEXT]) == PAGE_TEXT.encode()
    assert _libpq_reads() == before + 1  # through libpq, not psycopg's cursor


def test_in_a_transaction_a_stored_page_text_column_is_read_as_its_utf8_bytes_too(db):
    """Inside a transaction (and when queries are logged) psycopg's cursor reads, and decodes text: the bytes come
    back all the same."""
    if connection.vendor != "postgresql":
        pytest.skip("psycopg is PostgreSQL's")

    assert stored_bytes("SELECT %s::text", [PAGE_TEXT]) == PAGE_TEXT.encode()

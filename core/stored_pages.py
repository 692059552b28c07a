"""Pages rendered on write, answered before Django runs, as the page cache answers its hits.

An article's page is rendered whole when the article is saved and stored in its language row (articles/pages.py):
serving it is one indexed read. Django's request cycle around that read costs several times the read itself, and
none of it shapes the page: the headers the middleware adds (security, CSP, language, caching) follow from the
code, the settings, the address's origin (scheme, host, mount point) and the page's language, never from the page.

So the first time a process's Django answers a stored page of some kind (a view registered here) for an origin and a
language, the headers it sent are kept; from then on the WSGI front (core/cache.py) answers that kind's pages for
that origin and language itself: the stored body from the view's own reader, the kept headers, and ETag,
Last-Modified and Content-Length of this page. A page with no stored render (not published, or rendered by other
code), an address the kind does not take (a query string, a language it does not name), or anything else goes to
Django as before.

The search page is such a kind too, though not stored: its page depends on the query, the content and the same
origin and language, not on the request's cookies or user, so the front answers it with the same function the
view answers with (public/search_page.py), without Django's request cycle.
"""

import itertools
import re
import threading
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import NamedTuple
from urllib.parse import parse_qs

from django.core.handlers.wsgi import get_script_name
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.dispatch import receiver
from django.urls import get_script_prefix, set_script_prefix

from core.languages import language_codes
from core.links import SLUG, route_url, slug_url

# Stands for the scheme and host in stored pages (canonical and alternate links are absolute); never a real host.
PAGE_ORIGIN = "http://stored-page.invalid"
_PAGE_ORIGIN_BYTES = PAGE_ORIGIN.encode()
STORED = "glossary_stored_page"  # set on a response whose body is a stored render, as its view's reader gives it
# What differs between two stored pages of one kind, origin and language: set for each answer, never kept.
PAGE_HEADERS = frozenset(("content-length", "date", "etag", "last-modified"))
SLUG_MARK = "stored-page-slug"
RENDER = "glossary.render"  # in the WSGI environ of a request rendering a page to store: never answered stored


class Kind(NamedTuple):
    """A view whose pages are stored, as `stored_pages_register` describes it."""

    # reader(language=, path=, slug=): the stored page's UTF-8 bytes (page_bytes), or None to ask Django; with
    # `origin`, the page made for this request, as text
    reader: Callable[..., bytes | str | None]
    slug: bool  # its URL takes one slug
    query: bool  # its pages differ by query string (the reader gets it with the path)
    language_parameter: str | None  # the query parameter naming the page's language, outside the language prefixes
    origin: bool  # the reader takes the request's origin and writes it in the page itself (not PAGE_ORIGIN)


# view name ("articles:detail") → its kind
_kinds: dict[str, Kind] = {}
# (view name, origin, language) → the headers Django's middleware gave that kind's stored page there
_headers: dict[tuple[str, str, str], list[tuple[str, str]]] = {}


class Route(NamedTuple):
    view_name: str
    language: str
    slug: str | None


def stored_pages_register(
    view_name: str,
    reader: Callable[..., bytes | str | None],
    *,
    slug: bool = True,
    query: bool = False,
    language_parameter: str | None = None,
    origin: bool = False,
) -> None:
    """Let the front answer the pages of `view_name` with what `reader(language=, path=, slug=)` returns.

    The view's URL takes one slug, or none (`slug=False`); with `query`, addresses with a query string are asked
    for too, and `path` holds it ("/fr/terms/?letter=A"). A URL outside the language prefixes names its language
    in the query parameter `language_parameter` (the API's `lang`; the view then sends that Content-Language
    itself). With `origin`, the reader is given the request's scheme and host (`origin=`) and writes them itself:
    a page made for each request (the search page) rather than stored. The view marks the responses whose headers
    stand for every page of its kind (`stored_kind`).
    """
    _kinds[view_name] = Kind(reader, slug, query or language_parameter is not None, language_parameter, origin)
    _routes.cache_clear()
    _exact_routes.cache_clear()


def stored_kind(view):
    """Mark a view's pages as a kind the front answers once it has seen Django's headers for one of them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            setattr(response, STORED, True)
        return response

    return wrapper


def page_origin(meta: dict) -> str:
    """Scheme and host of a request, as Django reads them from the WSGI environ (without the mount point)."""
    from django.conf import settings

    scheme = meta.get("wsgi.url_scheme", "http")
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        if header in meta:
            scheme = "https" if meta[header].split(",", 1)[0].strip() == secure else "http"
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        host = meta["HTTP_X_FORWARDED_HOST"]
    elif "HTTP_HOST" in meta:
        host = meta["HTTP_HOST"]
    else:  # as HttpRequest.get_host(): the port only when it is not the scheme's own
        host, port = meta.get("SERVER_NAME", ""), str(meta.get("SERVER_PORT", ""))
        if port != ("443" if scheme == "https" else "80"):
            host = f"{host}:{port}"
    return f"{scheme}://{host}"


@lru_cache(maxsize=1)
def _routes() -> tuple[tuple[re.Pattern, str, str, str], ...]:
    """Each registered view's path in each language, as Django reverses it, as a pattern (for the slug, if any),
    with that path itself for a view without a slug ("" for one with).

    A view outside the language prefixes has one path for every language (its query names the language): one route
    with no language.
    """
    routes = []
    prefix = get_script_prefix()
    for view_name, kind in _kinds.items():
        languages = language_codes()[:1] if kind.language_parameter else language_codes()
        for language in languages:
            if kind.slug:
                path = slug_url(view_name, slug=SLUG_MARK, language=language)
            else:
                path = route_url(view_name, language=language)
            address = "/" + path[len(prefix) :]
            pattern = re.escape(address).replace(re.escape(SLUG_MARK), f"({SLUG.pattern})")
            language_named = "" if kind.language_parameter else language
            routes.append((re.compile(pattern), view_name, language_named, "" if kind.slug else address))
    return tuple(routes)


@lru_cache(maxsize=1)
def _exact_routes() -> dict[str, tuple[re.Pattern, str, str, str]]:
    """The routes without a slug by their one path, each as the first route that path matches (as route_of's loop
    finds it): such a page (search, home) is told without trying every route's pattern."""
    routes = _routes()
    return {
        address: next(route for route in routes if route[0].fullmatch(address))
        for _pattern, _view_name, _language, address in routes
        if address
    }


def route_of(path: str, query: str = "") -> Route | None:
    exact = _exact_routes().get(path)
    for pattern, view_name, language, _address in _routes() if exact is None else (exact,):
        if match := pattern.fullmatch(path):
            if not language:
                asked = parse_qs(query).get(_kinds[view_name].language_parameter, [""])
                language = asked[0] if len(asked) == 1 and asked[0] in language_codes() else ""
                if not language:
                    return None
            return Route(view_name, language, match[1] if pattern.groups else None)
    return None


def headers_learn(request, response) -> None:
    """Keep the headers Django gave a stored page (PageCacheMiddleware calls this for cacheable 200 pages)."""
    match = request.resolver_match
    if not getattr(response, STORED, False) or RENDER in request.META:
        return
    if match is None or match.view_name not in _kinds:
        return
    route = route_of(request.path_info, request.META.get("QUERY_STRING", ""))
    if route is None or route.view_name != match.view_name:
        return
    key = (route.view_name, page_origin(request.META) + request.META.get("SCRIPT_NAME", ""), route.language)
    _headers[key] = [(name, value) for name, value in response.items() if name.lower() not in PAGE_HEADERS]


def stored_page(meta: dict, *, etag: str, last_modified: str) -> tuple[list[tuple[str, str]], bytes] | None:
    """The headers and body Django would answer a GET of this stored page with, or None to ask Django.

    Raises the database's errors for the caller to leave the request to Django.
    """
    if not _kinds or RENDER in meta:
        return None
    query = meta.get("QUERY_STRING", "")
    route = route_of(meta.get("PATH_INFO", ""), query)
    if route is None or (query and not _kinds[route.view_name].query):
        return None
    origin = page_origin(meta)
    headers = _headers.get((route.view_name, origin + meta.get("SCRIPT_NAME", ""), route.language))
    if headers is None:
        return None
    set_script_prefix(get_script_name(meta))  # as Django does first: stored pages are versioned with the mount point
    path = meta.get("PATH_INFO", "") + (f"?{query}" if query else "")
    kind = _kinds[route.view_name]
    given = {"origin": origin} if kind.origin else {}
    html = kind.reader(language=route.language, path=path, slug=route.slug, **given)
    if html is None:
        return None
    body = html.encode() if kind.origin else with_origin(html, origin)
    return [*headers, ("ETag", etag), ("Last-Modified", last_modified), ("Content-Length", str(len(body)))], body


def with_origin(page: bytes, origin: str) -> bytes:
    """A stored page (UTF-8) with its links under `origin` ("https://host"), where it was rendered with PAGE_ORIGIN."""
    return page.replace(_PAGE_ORIGIN_BYTES, origin.encode())


def page_bytes(column: str) -> str:
    """SQL reading a stored page's text `column` as its UTF-8 bytes, which the front sends as they are.

    Decoding a page into text, then encoding it again to send it, cost a fifth of a stored page's answer. On
    PostgreSQL the column itself: read in binary, text is its bytes in the connection's encoding, UTF-8 as Django
    sets it, with nothing done to them (stored_bytes). `convert_to(column, 'UTF8')` checked and copied every byte:
    the Korean article page's read cost the server 64-71 µs of CPU with it, 51-59 without.
    """
    if connection.vendor == "postgresql":
        return column
    return f"CAST({column} AS BLOB)"


def stored_bytes(sql: str, params: list) -> bytes | None:
    """The value of the one row and one column (page_bytes: the page's UTF-8 bytes) a stored page's query reads, or
    None without a row: the one query of a reader's request.

    Through the database's driver, not Django's cursor (the drivers' own error wrapping kept), unless queries are
    logged or wrapped (tests, the debug toolbar): on SQLite Django's cursor took 15 µs of a stored page's 86. On
    PostgreSQL the statement is prepared on its first run in a connection and planned once (parsing and planning took
    most of the read: the article page's 391 µs became 145 in-process) and read in binary, as bytes; outside a
    transaction, as an app server reads, straight through libpq (_libpq_bytes): psycopg's cursor took 78 µs of CPU a
    read, libpq 43.
    """
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks the thread's connection up on each use
    if db.vendor != "postgresql":
        row = sqlite_execute(db, sql, params).fetchone()
    elif not _queries_watched(db) and _outside_transaction(db):
        return _libpq_bytes(db, sql, params)
    else:
        row = prepared_execute(sql, params, prepare=True, binary=True).fetchone()
        if row is not None and isinstance(row[0], str):  # psycopg decodes text: the page's bytes again
            return row[0].encode()
    return None if row is None else row[0]


def _queries_watched(db) -> bool:
    """Whether Django logs or wraps the connection's queries (tests, the debug toolbar): its cursor runs them then."""
    return db.queries_logged or bool(db.execute_wrappers)


def sqlite_execute(db, sql: str, params: list):
    """Run `sql` (Django's %s placeholders) on SQLite's driver cursor, as Django's cursor would, and return the
    cursor to fetch its rows from; on Django's own cursor when queries are logged or wrapped, so that it is logged."""
    if _queries_watched(db):
        cursor = db.cursor()
        cursor.execute(sql, params)
        return cursor
    db.ensure_connection()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        return db.connection.execute(_question_marks(sql), params)


@lru_cache(maxsize=256)
def _question_marks(sql: str) -> str:
    """The query with SQLite's placeholders, as Django's SQLite cursor writes them (%s becomes ?, %% becomes %)."""
    return re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%")


@lru_cache(maxsize=64)
def _numbered(sql: str) -> bytes:
    """The query with PostgreSQL's placeholders ($1, $2…), as psycopg sends a query it binds on the server."""
    numbers = itertools.count(1)
    return re.sub(r"(?<!%)%s", lambda _match: f"${next(numbers)}", sql).replace("%%", "%").encode()


def _outside_transaction(db) -> bool:
    """Whether psycopg runs the next statement on its own (autocommit, no transaction open): libpq may run it then.

    In a transaction psycopg's cursor runs the read: psycopg begins a transaction before its first statement, which a
    statement sent through libpq would run outside of, and an error there (a statement psycopg deallocated, below)
    would end the caller's transaction.
    """
    from psycopg import pq

    db.ensure_connection()
    raw = db.connection
    return raw.autocommit and raw.pgconn.transaction_status == pq.TransactionStatus.IDLE


def _libpq_bytes(db, sql: str, params: list) -> bytes | None:
    """stored_bytes through libpq: the statement prepared under a name of this thread's, executed with its values as
    text (strings and integers), its one column (text or bytea, page_bytes) read in binary: its bytes.

    psycopg deallocates every prepared statement of its connection after a rollback (a savepoint's too): a read that
    finds its statement gone prepares it again and runs once more, which is safe outside a transaction. Without
    prepared statements (prepare_threshold None: DJANGO_DB_PREPARED_STATEMENTS=false, behind a pooler that cannot keep
    them) the statement is sent with its values each time, unnamed, as psycopg would.
    """
    from psycopg import ProgrammingError, pq
    from psycopg.errors import error_from_result

    raw = db.connection
    values = [str(value).encode() for value in params]
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        if raw.prepare_threshold is None:
            result = raw.pgconn.exec_params(_numbered(sql), values, result_format=BINARY)
        else:
            result = _exec_prepared(raw.pgconn, sql, values)
        if result.status != pq.ExecStatus.TUPLES_OK:
            raise error_from_result(result, encoding=raw.info.encoding)
        if result.nfields != 1 or result.ftype(0) not in PAGE_TYPES:
            raise ProgrammingError("a stored page's query reads one column of text or bytes (page_bytes)")
        return result.get_value(0, 0) if result.ntuples else None


BINARY = 1  # libpq's format code of a value sent or read in binary
# The types of a stored page's column read in binary as its bytes: bytea, and text in the connection's encoding,
# UTF-8 (Django's connections are opened with client_encoding UTF8).
PAGE_TYPES = frozenset({17, 25})  # bytea, text
INVALID_STATEMENT_NAME = b"26000"  # SQLSTATE: no prepared statement of that name


def _exec_prepared(pgconn, sql: str, values: list[bytes]):
    """Run `sql`, prepared on this connection under a name of this thread's (once), and return libpq's result."""
    from psycopg import pq

    kept = getattr(_thread, "statements", None)
    if kept is None or kept[0] is not pgconn:
        kept = (pgconn, {})
        _thread.statements = kept
    names = kept[1]
    result = _run_prepared(pgconn, names, sql, values)
    if result.error_field(pq.DiagnosticField.SQLSTATE) == INVALID_STATEMENT_NAME:
        names.clear()  # psycopg deallocated them all
        result = _run_prepared(pgconn, names, sql, values)
    return result


def _run_prepared(pgconn, names: dict[str, bytes], sql: str, values: list[bytes]):
    from psycopg import pq

    name = names.get(sql)
    if name is None:
        name = f"glossary_page_{next(_statement_numbers)}".encode()
        prepared = pgconn.prepare(name, _numbered(sql))
        if prepared.status != pq.ExecStatus.COMMAND_OK:
            return prepared
        names[sql] = name
    return pgconn.exec_prepared(name, values, result_format=BINARY)


_statement_numbers = itertools.count()


def prepared_execute(sql: str, params: list, *, prepare: bool | None = None, binary: bool = False):
    """Run one of the reader's queries on PostgreSQL on the thread's prepared_cursor, and return a cursor to fetch
    its rows from: `prepare` and `binary` as psycopg takes them (None: prepared once psycopg's threshold is reached;
    False: planned for its values on each run, so bound on the client, by the thread's client_cursor: under
    plan_cache_mode=force_generic_plan the server plans any statement whose values it binds generically, prepared or
    not, and "did you mean"'s LIKE 'q%' read every title of the language, 24 ms at 100,000 versions, not 1).

    When queries are logged or wrapped (tests, the debug toolbar), Django's cursor runs it around the same cursor so
    that it is logged (prepared once the threshold is reached, read in text); otherwise the driver's cursor, with
    Django's error wrapping: Django's cursor took 19 µs of the 48 a short query took.
    """
    raw = client_cursor() if prepare is False else prepared_cursor()
    if _queries_watched(connection):
        cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
        cursor.execute(sql, params)
        return cursor
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        return raw.execute(sql, params, prepare=prepare, binary=binary)


def prepared_cursor():
    """The psycopg cursor of this thread's PostgreSQL connection that binds parameters on the server, for the
    reader's queries that run on every request (stored pages, search).

    psycopg prepares its statements once they have run a few times on the connection, and PostgreSQL plans them once
    (generic plans; both set in config/settings.py): planning took most of a stored page's read, and half the
    server's time of a search. Django's cursors bind on the client and are never prepared. A query that runs here
    must be one whose generic plan is as good as a plan made for its values: no LIKE that a trigram index serves for
    some patterns only (public/search.py writes strpos for the words pg_trgm takes no trigram from).
    """
    import psycopg

    return _thread_cursor("cursor", psycopg.Cursor)


def client_cursor():
    """The psycopg cursor of this thread's PostgreSQL connection that binds parameters on the client: the server
    sees the values in the statement, and plans it for them."""
    import psycopg

    return _thread_cursor("client_cursor", psycopg.ClientCursor)


def _thread_cursor(name: str, kind):
    """This thread's psycopg cursor of class `kind` on its PostgreSQL connection, kept as `name`: one a connection,
    not one a request (Django's connections are per thread: so are these cursors)."""
    connection.ensure_connection()
    raw = getattr(_thread, name, None)
    if raw is None or raw.connection is not connection.connection or raw.closed:
        with connection.wrap_database_errors:
            raw = kind(connection.connection)
        setattr(_thread, name, raw)
    return raw


_thread = threading.local()


@receiver(setting_changed)
def _forget_headers(**kwargs) -> None:
    """Tests change settings inside one process; a real process never does."""
    _headers.clear()
    _routes.cache_clear()
    _exact_routes.cache_clear()

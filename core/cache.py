"""Whole-page caching for readers, invalidated exactly when content changes, in every process.

Every cached page's key holds the current content generation, a number kept in the database (ContentGeneration):
every write moves it on inside its own transaction (`content_changed`, called by the write services), and every
cacheable request reads it once. So a page one process cached is never served after a write committed by another
(another gunicorn worker, a command-line import), even with a per-process local-memory cache, and a reader never
sees a generation whose content is not yet committed. The key also holds a digest of the code, templates, message
catalogues and the versions of the libraries that shape the output, so a deploy never serves pages the old code
rendered.

Views opt in with `cached_page`; `PageCacheMiddleware`, early in MIDDLEWARE, answers from the cache before sessions,
locale, CSRF and authentication run, and stores the finished page (with the headers those add) on the way out.
Reader pages are the same for every visitor: the language is in the path, and no page shows who is logged in.
"""

import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache as once
from functools import lru_cache, wraps
from http import HTTPStatus
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from core.generation import CACHE_ERRORS, ContentState, content_state
from core.languages import language_codes
from core.stored_pages import RENDER, headers_learn, page_origin, stored_page

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60 * 24
CACHEABLE = "glossary_cacheable"
IDENTITY = "glossary.page_identity"  # the WSGI environ's key for the page identity the front computed
# Besides the language prefixes: the JSON API and the sitemap are pages of content too.
CACHEABLE_ROOTS = ("api", "sitemap.xml")
# Static files are in it too: pages name them by their hashed names (whitenoise's manifest).
CODE_FOLDERS = ("config", "core", "glossary", "articles", "public", "markup", "templates", "locale", "static")
CODE_SUFFIXES = (".py", ".html", ".mo", ".css", ".js", ".svg")
# What a 304 carries of the page it stands for (RFC 9110, 15.4.5; as django.utils.cache does).
NOT_MODIFIED_HEADERS = ("cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary")


# Libraries whose versions change the HTML, the findings or the sort keys that are stored and cached.
OUTPUT_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "nh3", "PyICU", "Django")


def library_versions() -> str:
    """Versions of the libraries (and of ICU itself) that shape what is rendered and stored."""
    import icu

    versions = []
    for name in OUTPUT_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return ";".join([*versions, f"ICU={icu.ICU_VERSION}"])


def _code_files() -> Iterator[Path]:
    base = Path(settings.BASE_DIR)
    for folder in CODE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                yield path


@once
def code_version() -> str:
    """Digest of what renders the pages: libraries, Python, templates, catalogues, static files (once a process)."""
    digest = hashlib.sha256(library_versions().encode())
    for path in _code_files():
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@once
def code_changed() -> datetime:
    """When the newest of those files changed (once a process): a deploy is a change of every page."""
    newest = max((path.stat().st_mtime for path in _code_files()), default=0)
    return datetime.fromtimestamp(int(newest), tz=UTC)


def page_address(meta: dict) -> str:
    """The address a request asks for, as Django reads it (scheme, host, path, query), from the WSGI environ alone.

    Pages link to themselves absolutely (canonical and alternate links), so scheme and host are part of it. Read
    without Django's request so that a hit is served before Django runs; only pages Django answered (for a host it
    allows) are ever stored under it.
    """
    query = meta.get("QUERY_STRING", "")
    path = meta.get("SCRIPT_NAME", "") + meta.get("PATH_INFO", "")
    return f"{page_origin(meta)}{path}{'?' if query else ''}{query}"


class PageIdentity(NamedTuple):
    """Who a reader's page is: its cache key and its validators, all from the address and the content state."""

    key: str
    etag: str
    last_modified: datetime


def page_identity(meta: dict) -> PageIdentity:
    """Key, ETag and Last-Modified of the page at this address, now: no query beyond the content state's.

    Last-Modified is the later of the last content change and the newest code file, so a deploy counts as a change
    for a client that only sends a date.
    """
    state = content_state()
    # Hashed: a long or non-ASCII query would make a key memcached refuses.
    address = hashlib.sha256(page_address(meta).encode("utf-8", "surrogateescape")).hexdigest()
    version, last_modified = _content_version(state)
    return PageIdentity(f"glossary:page:{version}:{address}", f'"{version[:12]}-{address[:20]}"', last_modified)


@lru_cache(maxsize=4)
def _content_version(state: ContentState) -> tuple[str, datetime]:
    """What every page's key and validators share at this state: the code's digest and the generation, and when."""
    digest = hashlib.sha256(f"{code_version()}:{state.generation}".encode()).hexdigest()[:16]
    return f"{digest}:{state.generation}", max(state.changed.replace(microsecond=0), code_changed())


def shared_cache_control() -> str:
    """Browsers revalidate every time; a shared cache (nginx, a CDN) may keep a page briefly and revalidate it."""
    return (
        f"public, max-age=0, s-maxage={settings.GLOSSARY_SHARED_CACHE_SECONDS}, "
        f"stale-while-revalidate={settings.GLOSSARY_STALE_SECONDS}"
    )


def cached_page(view):
    """Mark a reader's page as cacheable; the page cache serves and stores it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            setattr(response, CACHEABLE, True)
            response["Cache-Control"] = shared_cache_control()
        return response

    return wrapper


class Answer(NamedTuple):
    """A reader's page answered from the cache: status, headers and body, ready for WSGI or Django."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def cached_answer(meta: dict, identity: PageIdentity) -> Answer | None:
    """Answer before the view: a 304 for a validator of the current page, the cached page, the stored page, or None.

    The stored page is one rendered on write (core/stored_pages.py): the same bytes and headers Django would send.
    """
    # Only a 200 reader's page of this very address, generation and code was ever given this ETag: the same page
    # again, so a cache revalidating it (nginx, a browser) gets a 304 without a cache read.
    asked_etags = meta.get("HTTP_IF_NONE_MATCH")
    if asked_etags and identity.etag in parse_etags(asked_etags):
        return _not_modified(identity)
    stored = cache.get(identity.key)
    if stored is None:
        stored = stored_page(meta, etag=identity.etag, last_modified=http_date(identity.last_modified.timestamp()))
        if stored is not None and meta.get("REQUEST_METHOD") == "GET":
            cache.set(identity.key, stored, PAGE_TIMEOUT)  # the next read at this generation costs no query
    if stored is None:
        return None
    headers, body = stored
    asked_date = meta.get("HTTP_IF_MODIFIED_SINCE")
    if asked_date and asked_etags is None:
        since = parse_http_date_safe(asked_date)
        if since is not None and since >= int(identity.last_modified.timestamp()):
            return _not_modified(identity, headers)
    return Answer(200, headers, b"" if meta.get("REQUEST_METHOD") == "HEAD" else body)


def _not_modified(identity: PageIdentity, headers: list[tuple[str, str]] | None = None) -> Answer:
    if headers is None:
        headers = [
            ("ETag", identity.etag),
            ("Last-Modified", http_date(identity.last_modified.timestamp())),
            ("Cache-Control", shared_cache_control()),
        ]
    return Answer(304, [(name, value) for name, value in headers if name.lower() in NOT_MODIFIED_HEADERS], b"")


def cacheable_request(meta: dict) -> bool:
    """Reader pages live under a language prefix, the API or the sitemap; anything else costs nothing here."""
    if meta.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    first = meta.get("PATH_INFO", "").split("/", 2)[1:2]
    return bool(first) and (first[0] in language_codes() or first[0] in CACHEABLE_ROOTS)


class PageCacheMiddleware:
    """Serve an unchanged reader's page from the cache; store the pages `cached_page` marks.

    First in MIDDLEWARE, so that what it stores carries every header the others add (security, CSP, language), and
    a hit skips them all. Under WSGI, `CachedPagesApplication` answers hits before Django runs; this serves them to
    every other caller (the test client, ASGI).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request.META) or RENDER in request.META:  # a page rendered to be stored: live
            return self.get_response(request)
        try:
            # config/wsgi.py's front looked the page up already and found nothing: the same request, the same moment.
            identity = request.META.get(IDENTITY)
            answer = None
            if identity is None:
                identity = page_identity(request.META)
                answer = cached_answer(request.META, identity)
        except DatabaseError:
            return self.get_response(request)  # the view answers with the 503 page (config/middleware.py)
        except CACHE_ERRORS as error:  # a cache server that is down slows readers down, it does not fail them
            logger.warning("page cache unavailable: %s", error)
            answer = None
        if answer is not None:
            return _response(answer)
        response = self.get_response(request)
        if not (getattr(response, CACHEABLE, False) and response.status_code == 200 and not response.streaming):
            return response
        response["ETag"] = identity.etag
        response["Last-Modified"] = http_date(identity.last_modified.timestamp())
        if request.method == "GET" and not response.cookies:
            headers_learn(request, response)
            try:
                cache.set(identity.key, (list(response.items()), response.content), PAGE_TIMEOUT)
            except CACHE_ERRORS as error:
                logger.warning("page cache unavailable: %s", error)
        return get_conditional_response(
            request, etag=identity.etag, last_modified=identity.last_modified.timestamp(), response=response
        )


def _response(answer: Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    return response


class CachedPagesApplication:
    """Serve unchanged reader pages before Django handles the request at all, as whitenoise does static files.

    A hit costs the content stamp's read, one cache read and no Django request, middleware or URL resolving; a miss
    (and every other request) goes to Django, whose PageCacheMiddleware stores the page.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if cacheable_request(environ):
            try:
                identity = page_identity(environ)
                answer = cached_answer(environ, identity)
            except (DatabaseError, *CACHE_ERRORS):
                answer = None  # Django answers, and says what is wrong (a 503 page, a logged warning)
            else:
                if answer is None:
                    environ[IDENTITY] = identity  # PageCacheMiddleware stores the page Django makes under it
            if answer is not None:
                start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}", answer.headers)
                return [answer.body]
        return self.application(environ, start_response)

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
from functools import wraps
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_etags

from core.languages import language_codes
from core.models import ContentGeneration

logger = logging.getLogger(__name__)


def _cache_errors() -> tuple[type[Exception], ...]:
    """What the cache clients raise when their server is unreachable (OSError covers refused connections)."""
    errors: list[type[Exception]] = [OSError]
    try:
        from redis.exceptions import RedisError
    except ImportError:
        pass
    else:
        errors.append(RedisError)
    try:
        from pymemcache.exceptions import MemcacheError
    except ImportError:
        pass
    else:
        errors.append(MemcacheError)
    return tuple(errors)


CACHE_ERRORS = _cache_errors()
PAGE_TIMEOUT = 60 * 60 * 24
CACHEABLE = "glossary_cacheable"
# Besides the language prefixes: the JSON API and the sitemap are pages of content too.
CACHEABLE_ROOTS = ("api", "sitemap.xml")
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# Static files are in it too: pages name them by their hashed names (whitenoise's manifest).
CODE_FOLDERS = ("config", "core", "glossary", "articles", "public", "markup", "templates", "locale", "static")
CODE_SUFFIXES = (".py", ".html", ".mo", ".css", ".js", ".svg")


# Libraries whose versions change the HTML, the findings or the sort keys that are stored and cached.
OUTPUT_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "nh3", "PyICU", "Django")


class ContentState(NamedTuple):
    generation: int
    changed: datetime


def content_state() -> ContentState:
    """Return the current content generation and when it moved (one indexed read)."""
    row = ContentGeneration.objects.filter(pk=1).values_list("value", "changed").first()
    return ContentState(1, EPOCH) if row is None else ContentState(*row)


def content_generation() -> int:
    """Return the current content generation (one indexed read)."""
    return content_state().generation


def content_changed() -> None:
    """Move the content generation on, inside the caller's write transaction.

    Call it first in a write transaction: on PostgreSQL the row stays locked until commit, so writers take their
    locks in one order (generation, then rows) and never deadlock; readers are not blocked, and they see the new
    number only together with the committed content.
    """
    if transaction.get_autocommit():
        raise RuntimeError("content_changed() belongs inside the write's transaction")
    now = timezone.now()
    if not ContentGeneration.objects.filter(pk=1).update(value=F("value") + 1, changed=now):
        ContentGeneration.objects.create(pk=1, value=2, changed=now)


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


def _address_digest(request) -> str:
    # Hashed: a long or non-ASCII query would make a key memcached refuses. Scheme and host are in it because
    # pages link to themselves absolutely (canonical and alternate links).
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return hashlib.sha256(address.encode()).hexdigest()


def page_key(request, generation: int | None = None) -> str:
    if generation is None:
        generation = content_generation()
    return f"glossary:page:{code_version()}:{generation}:{_address_digest(request)}"


def page_validators(request, state: ContentState) -> tuple[str, datetime]:
    """The ETag and Last-Modified of a reader's page: its address, the content generation and the code's version.

    No query beyond the generation's: a page is a function of these three. Last-Modified is the later of the last
    content change and the newest code file, so a deploy counts as a change for a client that only sends a date.
    """
    digest = hashlib.sha256(f"{code_version()}:{state.generation}:{_address_digest(request)}".encode())
    return f'"{digest.hexdigest()[:32]}"', max(state.changed.replace(microsecond=0), code_changed())


def shared_cache_control() -> str:
    """Browsers revalidate every time; a shared cache (nginx, a CDN) may keep a page briefly and revalidate it."""
    return (
        f"public, max-age=0, s-maxage={settings.GLOSSARY_SHARED_CACHE_SECONDS}, "
        f"stale-while-revalidate={settings.GLOSSARY_STALE_SECONDS}"
    )


def cached_page(view):
    """Mark a reader's page as cacheable; PageCacheMiddleware serves and stores it."""

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


def _not_modified(etag: str, last_modified: datetime) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = shared_cache_control()
    return response


class PageCacheMiddleware:
    """Serve an unchanged reader's page from the cache; store the pages `cached_page` marks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Cacheable pages live under a language prefix, the API or the sitemap: anything else (admin, /healthz,
        # robots.txt) costs no query here.
        if request.method not in ("GET", "HEAD") or not _may_be_cached(request.path_info):
            return self.get_response(request)
        try:
            state = content_state()
            key = page_key(request, state.generation)
            etag, last_modified = page_validators(request, state)
            # Only a 200 reader's page of this very address, generation and code was ever given this ETag: the
            # same page again, so a cache revalidating it (nginx, a browser) gets a 304 without a cache read.
            if etag in parse_etags(request.headers.get("If-None-Match", "")):
                return _not_modified(etag, last_modified)
            response = cache.get(key)
        except DisallowedHost:
            return self.get_response(request)  # refused further in, once the visitor's language is known
        except DatabaseError:
            return self.get_response(request)  # the view answers with the 503 page (config/middleware.py)
        except CACHE_ERRORS as error:  # a cache server that is down slows readers down, it does not fail them
            logger.warning("page cache unavailable: %s", error)
            response = None
        if response is None:
            response = self.get_response(request)
            if not (getattr(response, CACHEABLE, False) and response.status_code == 200 and not response.streaming):
                return response
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified.timestamp())
            if request.method == "GET" and not response.cookies:
                try:
                    cache.set(key, response, PAGE_TIMEOUT)
                except CACHE_ERRORS as error:
                    logger.warning("page cache unavailable: %s", error)
        return get_conditional_response(request, etag=etag, last_modified=last_modified.timestamp(), response=response)


def _may_be_cached(path: str) -> bool:
    first = path.split("/")[1]
    return first in language_codes() or first in CACHEABLE_ROOTS

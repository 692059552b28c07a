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
from functools import cache as once
from functools import wraps
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils.cache import patch_cache_control

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
# Static files are in it too: pages name them by their hashed names (whitenoise's manifest).
CODE_FOLDERS = ("config", "core", "glossary", "articles", "public", "markup", "templates", "locale", "static")
CODE_SUFFIXES = (".py", ".html", ".mo", ".css", ".js", ".svg")


# Libraries whose versions change the HTML, the findings or the sort keys that are stored and cached.
OUTPUT_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "nh3", "PyICU", "Django")


def content_generation() -> int:
    """Return the current content generation (one indexed read)."""
    value = ContentGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    return 1 if value is None else value


def content_changed() -> None:
    """Move the content generation on, inside the caller's write transaction.

    Call it first in a write transaction: on PostgreSQL the row stays locked until commit, so writers take their
    locks in one order (generation, then rows) and never deadlock; readers are not blocked, and they see the new
    number only together with the committed content.
    """
    if transaction.get_autocommit():
        raise RuntimeError("content_changed() belongs inside the write's transaction")
    if not ContentGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        ContentGeneration.objects.create(pk=1, value=2)


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


@once
def code_version() -> str:
    """Digest of what renders the pages: libraries, Python, templates, catalogues, static files (once a process)."""
    digest = hashlib.sha256(library_versions().encode())
    base = Path(settings.BASE_DIR)
    for folder in CODE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(request) -> str:
    # Hashed: a long or non-ASCII query would make a key memcached refuses. Scheme and host are in it because
    # pages link to themselves absolutely (canonical and alternate links).
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(address.encode()).hexdigest()
    return f"glossary:page:{code_version()}:{content_generation()}:{path}"


def cached_page(view):
    """Mark a reader's page as cacheable; PageCacheMiddleware serves and stores it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            setattr(response, CACHEABLE, True)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapper


class PageCacheMiddleware:
    """Serve an unchanged reader's page from the cache; store the pages `cached_page` marks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Cacheable pages all live under a language prefix: anything else (admin, API, /healthz) costs no query here.
        if request.method not in ("GET", "HEAD") or request.path_info.split("/")[1] not in language_codes():
            return self.get_response(request)
        try:
            key = page_key(request)
            response = cache.get(key)
        except DisallowedHost:
            return self.get_response(request)  # refused further in, once the visitor's language is known
        except DatabaseError:
            return self.get_response(request)  # the view answers with the 503 page (config/middleware.py)
        except CACHE_ERRORS as error:  # a cache server that is down slows readers down, it does not fail them
            logger.warning("page cache unavailable: %s", error)
            return self.get_response(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if (
            request.method == "GET"
            and getattr(response, CACHEABLE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            try:
                cache.set(key, response, PAGE_TIMEOUT)
            except CACHE_ERRORS as error:
                logger.warning("page cache unavailable: %s", error)
        return response

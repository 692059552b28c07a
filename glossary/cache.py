"""Whole-page caching for readers, invalidated exactly when content changes.

Every cached page's key holds the current content generation; any save or delete of an article, term, term name or
article link moves the generation on, so the next request renders afresh and older entries expire unused. The key
also holds a digest of the code, templates and message catalogues, so a deploy never serves pages the old code
rendered from a shared cache.

Views opt in with `cached_page`; `PageCacheMiddleware`, early in MIDDLEWARE, answers from the cache before sessions,
locale, CSRF and authentication run, and stores the finished page (with the headers those add) on the way out.
Reader pages are the same for every visitor: the language is in the path, and no page shows who is logged in.
"""

import hashlib
import logging
from functools import cache as once
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.utils.cache import patch_cache_control

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
GENERATION_KEY = "glossary:content-generation"
PAGE_TIMEOUT = 60 * 60 * 24
CACHEABLE = "glossary_cacheable"
# Static files are in it too: pages name them by their hashed names (whitenoise's manifest).
CODE_FOLDERS = ("config", "glossary", "articles", "markup", "templates", "locale", "static")
CODE_SUFFIXES = (".py", ".html", ".mo", ".css", ".js", ".svg")


def content_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def content_changed(**kwargs) -> None:
    """Move the generation on now and again at commit.

    Now, so this transaction's own requests never see an old page; at commit, because a reader's request in
    between could have cached the old content under the new generation. A rollback costs one needless render.
    """
    _next_generation()
    transaction.on_commit(_next_generation)


def _next_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


@once
def code_version() -> str:
    """Digest of what renders the pages: Python, templates, compiled catalogues, static files (once a process)."""
    digest = hashlib.sha256()
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
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            key = page_key(request)
            response = cache.get(key)
        except DisallowedHost:
            return self.get_response(request)  # refused further in, once the visitor's language is known
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

"""Whole-page caching for readers, invalidated exactly when content changes.

Every cached page's key holds the current content generation; any save or delete of an article, term, term name or
article link moves the generation on, so the next request renders afresh and older entries expire unused.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.cache import patch_cache_control

GENERATION_KEY = "glossary:content-generation"
PAGE_TIMEOUT = 60 * 60 * 24


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


def cached_page(view):
    """Serve a reader's page from the cache when nothing changed since it was rendered."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Hashed: a long or non-ASCII query would make a key memcached refuses.
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"glossary:page:{content_generation()}:{translation.get_language()}:{path}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response, PAGE_TIMEOUT)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapper

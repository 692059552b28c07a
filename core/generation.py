"""The content generation: kept in the database, known to every process without a query per request.

The database row (ContentGeneration) is the truth, and writers move it on inside their own transaction
(`content_changed`, called by the write services). Reading it on every reader's request would cost a query, so each
process keeps the state it last read together with the *stamp* it saw just before reading it. A writer changes the
stamp when it moves the number on and again once its transaction has committed. A process reads the row again only
when the stamp differs from the one it kept, so no process keeps a number older than a commit whose stamp it has seen:
a save, an import from the command line or another worker's write is seen on the next request.

The stamp lives where every app server can see it:
- a file (GLOSSARY_GENERATION_FILE, kept open: one pread() a request, written in place) when the cache is local to
  each process (local memory, the default): every process of this host shares it;
- the shared cache (Redis, memcached), when there is one: app servers on other hosts share it too. Writers still
  write the file as well (if they can), for nginx on their host, whose cache key holds it (deploy/nginx.conf).
When no stamp exists yet (a fresh cache server, a new file), a reader creates one, then reads the row. When no stamp
can be read or created (the cache server is down, the folder is not writable) every request reads the row. And each
process reads the row anyway once GLOSSARY_GENERATION_RECHECK_SECONDS have passed: a writer that could not change
the stamp (a command run without the servers' CACHE_URL, a process killed between its commit and the stamp) delays
pages by that long at most, never for good.
"""

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from core.models import ContentGeneration

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
EVERYTHING = "*"  # the topic of a write that may change any page
TOPICS_LIMIT = 20_000  # characters of topics noted between two runs of the stored pages' renderer; then EVERYTHING
STAMP_KEY = "glossary:generation-stamp"
# Cache backends whose server every app server shares; any other cache lives in one process, or one host at most.
SHARED_BACKENDS = ("redis", "memcached")


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


class ContentState(NamedTuple):
    generation: int
    changed: datetime
    pages: int = 0  # the generation the stored reader pages were last brought up to (public/stored.py)


class _Kept(NamedTuple):
    stamp: str
    state: ContentState
    read_at: float  # time.monotonic() of the row's read


_kept: _Kept | None = None


def content_state() -> ContentState:
    """Return the current content generation and when it moved: no query unless a write happened since."""
    global _kept
    kept, now = _kept, time.monotonic()
    recent = kept is not None and now - kept.read_at < settings.GLOSSARY_GENERATION_RECHECK_SECONDS
    if not recent:
        _close_stamp_file()  # a stamp file deleted or replaced since is opened anew
    stamp = _read_stamp()
    if stamp is None:
        _create_stamp()
        stamp = _read_stamp()
        if stamp is None:
            return _database_state()
    if recent and kept.stamp == stamp:
        return kept.state
    state = _database_state()  # read after the stamp was: a commit after this read changes the stamp again
    _kept = _Kept(stamp, state, now)
    return state


def content_generation() -> int:
    """Return the current content generation."""
    return content_state().generation


def content_changed(*, topics: Iterable[str] = (EVERYTHING,)) -> None:
    """Move the content generation on, inside the caller's write transaction, and note what the write changes.

    Call it first in a write transaction: on PostgreSQL the row stays locked until commit, so writers take their
    locks in one order (generation, then rows) and never deadlock. Readers are not blocked; they see the new number
    only together with the committed content, and the stamp changes now and once more after the commit.

    `topics` name what the write changes ("article:12", "term:7", "article-slug:new-one"; EVERYTHING by default),
    for the stored pages' renderer (public/stored.py). They go into the same UPDATE: no query more.
    """
    if transaction.get_autocommit():
        raise RuntimeError("content_changed() belongs inside the write's transaction")
    now = timezone.now()
    topics = list(topics)
    added = " ".join(topics)
    params = [connection.ops.adapt_datetimefield_value(now), EVERYTHING]
    if EVERYTHING not in topics:
        # Past the limit, or after a write that changed everything, the topics say "everything".
        params += [TOPICS_LIMIT - len(added), EVERYTHING, f" {added}"]
    with connection.cursor() as cursor:
        cursor.execute(_move_on_sql(connection.vendor, noted=EVERYTHING not in topics), params)
        moved = cursor.rowcount
    if not moved:
        ContentGeneration.objects.create(pk=1, value=2, changed=now, topics=EVERYTHING)
    # Now, for readers inside this transaction (this process reads the row again); after the commit, for everyone.
    publish_stamp()
    transaction.on_commit(publish_stamp)


@lru_cache(maxsize=8)
def _move_on_sql(vendor: str, *, noted: bool) -> str:
    """content_changed's UPDATE, written out once: every write runs it, and composing it with the ORM cost more than
    running it. With `noted`, the write's topics are added to those noted (parameters: the time, EVERYTHING, the
    length past which the topics say EVERYTHING instead, EVERYTHING, the topics); else they become EVERYTHING."""
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(ContentGeneration._meta.get_field(name).column)

    topics = column("topics")
    new_topics = f"CASE WHEN {topics} = %s OR LENGTH({topics}) > %s THEN %s ELSE {topics} || %s END" if noted else "%s"
    return (
        f"UPDATE {quote(ContentGeneration._meta.db_table)} SET {column('value')} = {column('value')} + 1, "
        f"{column('changed')} = %s, {topics} = {new_topics} WHERE {column('id')} = 1"
    )


def forget_content_state() -> None:
    """Read the row again on the next request (tests empty the database between them)."""
    global _kept
    _kept = None
    _close_stamp_file()


def _database_state() -> ContentState:
    row = ContentGeneration.objects.filter(pk=1).values_list("value", "changed", "pages_generation").first()
    return ContentState(1, EPOCH) if row is None else ContentState(*row)


def shared_cache() -> bool:
    """Say whether the cache is one every app server shares (then it holds the stamp)."""
    backend = settings.CACHES["default"]["BACKEND"].lower()
    return any(name in backend for name in SHARED_BACKENDS)


# The stamp file stays open in each process, and is read with one pread(): a file opened anew on every request would
# cost a third of a page served from the cache. Writers write the token in place, so the open file sees it.
_stamp_file: tuple[str, int] | None = None  # (path, descriptor)
TOKEN_BYTES = 32


def _read_stamp() -> str | None:
    if shared_cache():
        try:
            return cache.get(STAMP_KEY)
        except CACHE_ERRORS as error:
            logger.warning("content generation stamp unavailable in the cache: %s", error)
            return None
    global _stamp_file
    path = os.fspath(settings.GLOSSARY_GENERATION_FILE)
    try:
        if _stamp_file is None or _stamp_file[0] != path:
            _close_stamp_file()
            _stamp_file = (path, os.open(path, os.O_RDONLY))
        # A read racing a write may see half of the new token: it differs from the kept stamp all the same.
        return os.pread(_stamp_file[1], 2 * TOKEN_BYTES, 0).decode("ascii", "replace")
    except OSError:
        return None


def _close_stamp_file() -> None:
    global _stamp_file
    if _stamp_file is not None:
        with contextlib.suppress(OSError):
            os.close(_stamp_file[1])
        _stamp_file = None


def publish_stamp() -> None:
    """Have every process read the row again on its next request (writers call it; so does the pages' renderer)."""
    global _kept
    _kept = None
    _write_stamp(replace=True)


def _create_stamp() -> None:
    _write_stamp(replace=False)


def _write_stamp(*, replace: bool) -> None:
    token = uuid.uuid4().hex
    if shared_cache():
        try:
            if replace:
                cache.set(STAMP_KEY, token, None)
            else:
                cache.add(STAMP_KEY, token, None)
        except CACHE_ERRORS as error:
            logger.warning("content generation stamp unavailable in the cache: %s", error)
        if replace:  # the file too, for nginx on this host (deploy/nginx.conf keys its cache with it)
            _write_stamp_file(token, replace=True, failure=logging.DEBUG)
        return
    _write_stamp_file(token, replace=replace, failure=logging.WARNING)


def _write_stamp_file(token: str, *, replace: bool, failure: int) -> None:
    path = settings.GLOSSARY_GENERATION_FILE
    flags = os.O_WRONLY | os.O_CREAT | (0 if replace else os.O_EXCL)  # creating: only when there is none
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    except OSError as error:
        logger.log(failure, "content generation stamp %s cannot be written: %s", path, error)
        return
    try:
        os.pwrite(descriptor, token.encode("ascii"), 0)  # in place, one write: every process's open file sees it
    except OSError as error:
        logger.log(failure, "content generation stamp %s cannot be written: %s", path, error)
    finally:
        os.close(descriptor)

"""The import's second process: the next article's files parsed, checked and rendered (with their search texts)
while this one is written.

What it makes is put in use for that article's save only where the save's inputs are the ones it read
(markup.ahead, articles.search_text), so the stored rows are the same with or without it. It runs at a low
priority and is never waited for: an article it has not finished when its save starts is parsed, checked and
rendered by the save, as without it. So it takes only time no other process wants (a core the import leaves idle,
or the one the database server leaves idle between queries), and a busy machine makes the import no slower than
one process would. Should it fail, the saves do that work themselves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from django.conf import settings

from articles.search_text import read_ahead_process_start, read_ahead_unless_taken, search_texts_made_ahead
from articles.sources import SourceFolder
from markup.ahead import ReadAhead, noted_link_resolutions, noting_link_resolutions, use_read_ahead

# Starting the process (a fresh interpreter importing markup/ and glossary.collation) takes about 0.3 s: what
# parsing and checking ten articles saves.
AHEAD_MIN_ARTICLES = 10
# Its priority: below every process at the default (the import, the database server, the web workers).
AHEAD_NICENESS = 10
# How many articles the second process may be ahead: two, so that a moment it gets less of a core than the import
# does not leave the next article to the save; three articles are in memory at a time, whatever the folder holds.
READ_AHEAD_ARTICLES = 2


def read_ahead_worth_it(articles: int) -> bool:
    """Whether a second process may pay for itself: enough articles, and a second core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return articles >= AHEAD_MIN_ARTICLES and cores > 1


class FilesReadAhead:
    """With a second process (`enabled`), yield import folder parts each with what was read ahead of it in use."""

    # Whether a save waits for the second process to finish its article: never, but tests wait, to know which
    # process did the work.
    wait = False
    # Of the last import that read ahead: for how many articles the second process's work was put in use, of how
    # many it was sent (bench/bench_import.py prints them).
    last_used: tuple[int, int] = (0, 0)

    def __init__(self, *, enabled: bool = False):
        self.enabled = enabled
        self.started = False
        self.pool: ProcessPoolExecutor | None = None
        self.submitted = 0  # articles sent to the second process
        self.used = 0  # articles whose save put its work in use
        self.taken = None  # shared with it: the number of the last article a save did without waiting for it

    def __enter__(self) -> FilesReadAhead:
        if self.enabled:
            self.start()
        return self

    def start(self) -> None:
        """Start the second process (once), while the caller goes on: it is ready by the time parts are yielded.

        Its start-up (a fresh interpreter importing markup/ and glossary.collation, 0.3 s) overlaps whatever the
        caller does meanwhile (the import's checking pass) rather than the first articles' saves.
        """
        if self.started:
            return
        self.started = True
        try:
            # A fresh interpreter, not a fork of this one: it needs markup/ only, and shares no connection.
            context = multiprocessing.get_context("spawn")
            self.taken = context.RawValue("q", 0)
            self.pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=read_ahead_process_start,
                initargs=(AHEAD_NICENESS, self.taken),
            )
            # Nothing to read: the process starts and imports what reading ahead needs, now.
            self.pool.submit(read_ahead_unless_taken, 0, [], source_language=settings.LANGUAGE_CODE)
        except (OSError, RuntimeError):
            self.pool = None  # no process to be had: the saves do the work
        noting_link_resolutions(self.pool is not None)

    def __exit__(self, *exc_info) -> None:
        if self.started:
            FilesReadAhead.last_used = (self.used, self.submitted)
        use_read_ahead(None)
        search_texts_made_ahead({})
        noting_link_resolutions(False)
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def parts(self, parts: Iterable[SourceFolder]) -> Iterator[SourceFolder]:
        """Yield every part; while the caller writes one, the next are read ahead (without a process: one by one)."""
        if self.pool is None:
            yield from parts
            return
        pending: deque[tuple[SourceFolder, Future | None, int]] = deque()
        for part in parts:
            pending.append((part, self._submit(part), self.submitted))
            if len(pending) > READ_AHEAD_ARTICLES:
                yield self._in_use(*pending.popleft())
        while pending:
            yield self._in_use(*pending.popleft())

    def _submit(self, part: SourceFolder) -> Future | None:
        if self.pool is None or not part.files:
            return None
        documents = [(source.language, source.document) for source in part.files]
        self.submitted += 1
        try:
            return self.pool.submit(
                read_ahead_unless_taken,
                self.submitted,
                documents,
                source_language=settings.LANGUAGE_CODE,
                resolved=noted_link_resolutions(),
            )
        except RuntimeError:  # the process broke: the saves do the work
            self.pool = None
            return None

    def _in_use(self, part: SourceFolder, future: Future | None, number: int = 0) -> SourceFolder:
        read: ReadAhead | None = None
        texts: dict[str, tuple[str, str]] = {}
        if future is not None and (self.wait or future.done()):
            try:
                read, texts = future.result() or (None, {})
                self.used += read is not None
            except Exception:  # whatever went wrong there, this article's save parses and checks it here
                read, texts = None, {}
        elif future is not None:
            # Not finished: the save does the work. The second process skips it if it has not begun it (one it has
            # begun runs on, unused), and goes on with the next.
            if self.taken is not None:
                self.taken.value = max(self.taken.value, number)
            future.cancel()
        use_read_ahead(read)
        search_texts_made_ahead(texts)
        return part

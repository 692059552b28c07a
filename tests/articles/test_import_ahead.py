"""The import's second process (articles/import_ahead.py): when it is used, and what a failure of it leaves."""

from concurrent.futures import Future

from articles import import_ahead
from articles.import_ahead import AHEAD_MIN_ARTICLES, FilesReadAhead, read_ahead_worth_it
from articles.sources import SourceFolder
from markup import parse as parse_module
from markup.ahead import ReadAhead, use_read_ahead
from markup.parse import parse_cache_clear, parse_markdown


def test_a_second_process_only_for_enough_articles_and_a_second_core(monkeypatch):
    monkeypatch.setattr(import_ahead.os, "sched_getaffinity", lambda pid: {0, 1})
    assert read_ahead_worth_it(AHEAD_MIN_ARTICLES)
    assert not read_ahead_worth_it(AHEAD_MIN_ARTICLES - 1)

    monkeypatch.setattr(import_ahead.os, "sched_getaffinity", lambda pid: {0})
    assert not read_ahead_worth_it(1000)


def test_without_a_second_process_parts_pass_through_one_at_a_time():
    read, seen = [], []

    def parts():
        for index in range(3):
            read.append(index)
            yield SourceFolder()

    with FilesReadAhead(enabled=False) as ahead:
        for _part in ahead.parts(parts()):
            seen.append(len(read))

    assert seen == [1, 2, 3]  # each part is read only when the one before it is written


def test_a_second_process_that_failed_leaves_its_article_to_the_save():
    body = "Read ahead once.\n"
    use_read_ahead(ReadAhead(parses={body: parse_module._parse_fresh("Something else.\n", 1)}))
    failed: Future = Future()
    failed.set_exception(RuntimeError("the process died"))
    part = SourceFolder()

    assert FilesReadAhead(enabled=False)._in_use(part, failed) is part
    parse_cache_clear()
    assert parse_markdown(body).blocks[0].text == "Read ahead once."  # parsed here, not the previous article's


def test_an_article_the_second_process_has_not_finished_is_left_to_the_save_without_waiting():
    body = "Read ahead once.\n"
    use_read_ahead(ReadAhead(parses={body: parse_module._parse_fresh("Something else.\n", 1)}))
    unfinished: Future = Future()
    part = SourceFolder()

    assert FilesReadAhead(enabled=False)._in_use(part, unfinished) is part  # returns at once: it would block else
    assert unfinished.cancelled()
    parse_cache_clear()
    assert parse_markdown(body).blocks[0].text == "Read ahead once."

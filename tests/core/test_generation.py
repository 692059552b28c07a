import environ
import pytest
from django.db import transaction

from core.generation import STAMP_KEY, content_changed, content_state
from core.models import ContentGeneration


def _move_the_row_on() -> None:
    """What another process's write does to the database, without touching the stamp."""
    row = ContentGeneration.objects.get(pk=1)
    row.value += 1
    row.save()


def test_the_generation_is_read_once_while_the_stamp_stays(db, django_assert_num_queries):
    first = content_state()

    with django_assert_num_queries(0):
        assert content_state() == first


def test_a_changed_stamp_makes_the_process_read_the_row_again(db, settings):
    before = content_state()
    _move_the_row_on()
    assert content_state() == before  # this process cannot know yet

    settings.GLOSSARY_GENERATION_FILE.write_text("another process committed")

    assert content_state().generation == before.generation + 1


def test_a_write_changes_the_stamp_at_once_for_its_own_transaction(db, settings):
    before = content_state()
    stamp = settings.GLOSSARY_GENERATION_FILE.read_text()

    with transaction.atomic():
        content_changed()
        assert content_state().generation == before.generation + 1

    assert settings.GLOSSARY_GENERATION_FILE.read_text() != stamp


@pytest.mark.django_db(transaction=True)
def test_a_commit_changes_the_stamp_again_once_the_content_is_in(settings):
    content_state()

    with transaction.atomic():
        content_changed()
        during = settings.GLOSSARY_GENERATION_FILE.read_text()

    # A process that read the row while the transaction was open (the old number) reads it again.
    assert settings.GLOSSARY_GENERATION_FILE.read_text() != during


def test_a_reader_creates_the_stamp_when_there_is_none(db, settings):
    settings.GLOSSARY_GENERATION_FILE.unlink(missing_ok=True)

    content_state()

    assert settings.GLOSSARY_GENERATION_FILE.read_text()


def test_with_no_stamp_possible_every_read_asks_the_database(db, settings, tmp_path, django_assert_num_queries):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings.GLOSSARY_GENERATION_FILE = blocked / "stamp"  # its folder is a file: nothing can be written there
    before = content_state()
    _move_the_row_on()

    with django_assert_num_queries(1):
        assert content_state().generation == before.generation + 1


def test_the_row_is_read_again_after_the_recheck_time_whatever_the_stamp(db, settings):
    settings.GLOSSARY_GENERATION_RECHECK_SECONDS = 0
    before = content_state()

    _move_the_row_on()  # by a writer that could not change the stamp

    assert content_state().generation == before.generation + 1


def test_a_shared_cache_holds_the_stamp_for_every_app_server(db, settings, cache_server_url):
    settings.CACHES = {"default": environ.Env.cache_url_config(cache_server_url)}
    from django.core.cache import cache

    before = content_state()
    assert cache.get(STAMP_KEY)
    _move_the_row_on()
    assert content_state() == before

    cache.set(STAMP_KEY, "another app server committed")

    assert content_state().generation == before.generation + 1


def test_with_a_shared_cache_a_write_changes_the_stamp_file_too_for_nginx(
    db, settings, cache_server_url, tmp_path, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": environ.Env.cache_url_config(cache_server_url)}
    settings.GLOSSARY_GENERATION_FILE = tmp_path / "proxy.generation"
    content_state()
    assert not settings.GLOSSARY_GENERATION_FILE.exists()  # readers use the cache's stamp

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        content_changed()
        during = settings.GLOSSARY_GENERATION_FILE.read_text()

    assert settings.GLOSSARY_GENERATION_FILE.read_text() != during  # and once more after the commit


def test_a_stamp_file_that_cannot_be_written_is_reported_by_the_checks(settings, tmp_path):
    from core.checks import generation_stamp_writable

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings.GLOSSARY_GENERATION_FILE = blocked / "stamp"
    assert [warning.id for warning in generation_stamp_writable(None)] == ["core.W001"]

    settings.GLOSSARY_GENERATION_FILE = tmp_path / "new-folder" / "stamp"
    assert generation_stamp_writable(None) == []

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from core.languages import language_codes
from tools.corpus import DEFAULT_OUT, DEFAULT_SOURCE, build, is_current

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
SEED_SLUG = "crowdsourcing"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request leaves its language active in the thread after it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def seed_path() -> Path:
    return FIXTURES


@pytest.fixture
def languages() -> list[str]:
    return language_codes()


@pytest.fixture
def articles_copy(tmp_path) -> Path:
    """A writable copy of the seed article folders, for tests that change files."""
    target = tmp_path / "articles"
    shutil.copytree(FIXTURES, target)
    for path in target.rglob("*.md"):
        path.chmod(0o644)
    return target


@pytest.fixture
def imported(db):
    """The seed articles, imported as `bin/serve` does."""
    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    from articles.models import Article

    return Article.objects.get(slug=SEED_SLUG)


@pytest.fixture
def make_article(db):
    """Build an article from Markdown per language, through the write service every writer uses."""
    from articles.services import article_write

    def build(slug: str, versions: dict[str, tuple[str, str]], *, source_language: str = "en"):
        changes = {("slug", ""): slug, ("source_language", ""): source_language}
        for language, (title, body) in versions.items():
            changes[("title", language)] = title
            changes[("body", language)] = body
        return article_write(article_id=None, changes=changes, seen_version=None, source="command").article

    return build


@pytest.fixture(scope="session", autouse=True)
def generation_stamp(tmp_path_factory):
    """This test run's own content generation stamp: another run in the same tree (the other database) keeps its own."""
    from django.test import override_settings

    # A slow test must not read the generation again on its own: tests/core/test_generation.py tests the recheck.
    with override_settings(
        GLOSSARY_GENERATION_FILE=tmp_path_factory.mktemp("stamp") / "content.generation",
        GLOSSARY_GENERATION_RECHECK_SECONDS=3600,
    ):
        yield


@pytest.fixture(autouse=True)
def empty_cache(generation_stamp):
    """Each test starts with no cached pages (the local-memory cache outlives a test) and reads the generation anew."""
    from django.core.cache import cache

    from core.generation import forget_content_state

    cache.clear()
    forget_content_state()
    yield
    cache.clear()
    forget_content_state()


@pytest.fixture(scope="session")
def tldr_corpus(tmp_path_factory) -> Path:
    """The tldr-pages evaluation corpus (tools/corpus.py): the build in artifacts/ if current, else a fresh one."""
    source = Path(os.environ.get("GLOSSARY_CORPUS_GIT", DEFAULT_SOURCE))
    if not (source / "HEAD").is_file():
        pytest.skip(f"no tldr-pages snapshot at {source} (set GLOSSARY_CORPUS_GIT to a bare clone of tldr-pages/tldr)")
    cached = ROOT / DEFAULT_OUT
    if is_current(cached, source, 150):
        return cached
    out = tmp_path_factory.mktemp("corpus") / "tldr"
    build(source, out, 150)
    return out


def save_edits(article, *, languages):
    """Write what a test set on `article` in `languages` through the write service, as an editor's save does."""
    from articles.models import SOURCE_FIELDS, Article
    from articles.services import article_write

    changes = {(name, code): article.value(name, code) or "" for code in languages for name in SOURCE_FIELDS}
    seen = Article.objects.get(pk=article.pk).version
    return article_write(article_id=article.pk, changes=changes, seen_version=seen, source="command").article


def set_drafts(article, *languages):
    """Make exactly `languages` drafts, through the write service (as the admin's draft switches and actions do)."""
    from articles.services import article_write
    from core.languages import language_codes

    drafts = {code: code in languages for code in language_codes()}
    return article_write(article_id=article.pk, changes={}, seen_version=None, source="bulk", drafts=drafts).article


def ask_front(path: str, method: str = "get", **meta) -> tuple[str, dict[str, str], bytes]:
    """Ask config/wsgi.py's front for a page, with a Django behind it that answers 599: (status, headers, body).

    What the front answers itself (the page cache, a 304, a stored page) comes back; anything else is "599 Asked
    Django".
    """
    from django.test import RequestFactory

    from core.cache import CachedPagesApplication

    answered = {}

    def django_behind(environ, start_response):
        start_response("599 Asked Django", [])
        return [b""]

    def start_response(status, headers):
        answered.update(status=status, headers=dict(headers))

    environ = getattr(RequestFactory(), method)(path, **meta).environ
    body = b"".join(CachedPagesApplication(django_behind)(environ, start_response))
    return answered["status"], answered["headers"], body

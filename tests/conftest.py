import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from glossary.languages import language_codes
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
    """Build an article from Markdown per language, through the same service the import uses."""
    from articles.models import Article
    from articles.services import article_languages_refresh
    from glossary.services import terms_ensure

    def build(slug: str, versions: dict[str, tuple[str, str]], *, source_language: str = "en") -> Article:
        term = terms_ensure(slugs=[slug])[slug]
        article = Article(slug=slug, term=term, source_language=source_language)
        for language, (title, body) in versions.items():
            article.set_value("title", language, title)
            article.set_value("body", language, body)
        article_languages_refresh(article=article, languages=versions)
        return article

    return build


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages (the local-memory cache outlives a test)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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

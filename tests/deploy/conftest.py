"""A real site for the deployment tests: its own database, gunicorn app servers, Redis, nginx, all on loopback.

The servers are separate processes, as in production, so these tests use no pytest-django database: the site's
database is a fresh SQLite file, or a fresh database on the PostgreSQL server DATABASE_URL names (bin/with-postgres).
"""

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import environ
import pytest

from tests.core.conftest import _free_port, _wait_for_port, cache_server

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "articles"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """GET `url` without following redirects; return status, headers and text (a 302, 304 or 404 too)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def site_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Environment of a production-like site (debug off) on a fresh database holding the seed articles."""
    folder = tmp_path_factory.mktemp("site")
    url = os.environ.get("DATABASE_URL", "")
    database = f"glossary_site_{uuid.uuid4().hex[:12]}"
    if url.startswith(("postgres", "pgsql")):
        _postgres(url, f'CREATE DATABASE "{database}"')
        site_url = url.rsplit("/", 1)[0] + f"/{database}"
    else:
        site_url = f"sqlite:///{folder / 'site.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": site_url,
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "GLOSSARY_SHARED_CACHE_SECONDS": "1",
        "GLOSSARY_STALE_SECONDS": "1",
        "GLOSSARY_GENERATION_FILE": str(folder / "site.generation"),  # nginx's cache key reads it (stamp_of)
    }
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "import_articles", str(SEED))
    try:
        yield env
    finally:
        if url.startswith(("postgres", "pgsql")):
            _postgres(url, f'DROP DATABASE "{database}" WITH (FORCE)')


def _postgres(url: str, statement: str) -> None:
    import psycopg

    config = environ.Env.db_url_config(url)
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"], user=config["USER"], dbname=config["NAME"], autocommit=True
    ) as connection:
        connection.execute(statement)


def stamp_of(env: dict[str, str]) -> Path:
    """The site's content stamp file, which deploy/nginx.conf puts in its cache key."""
    return Path(env["GLOSSARY_GENERATION_FILE"])


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=300
    )


@pytest.fixture
def edit_article(site_env, tmp_path) -> Callable[..., None]:
    """Change a seed article's text in one language and import it: a save through the write service.

    The command runs in the servers' environment (`env`, the site's by default), as a deployment's commands do.
    """
    copy = tmp_path / "articles"
    shutil.copytree(SEED, copy)

    def edit(language: str, old: str, new: str, *, env: dict[str, str] | None = None) -> None:
        source = copy / "crowdsourcing" / f"{language}.md"
        text = source.read_text("utf-8")
        assert old in text
        source.write_text(text.replace(old, new), "utf-8")
        manage(env or site_env, "import_articles", str(copy))

    return edit


@contextmanager
def app_server(env: dict[str, str]) -> Iterator[str]:
    """Run the site under gunicorn (one worker) on a free loopback port; yield HOST:PORT."""
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait_for_port(port, server)
        deadline = time.monotonic() + 30
        while fetch(f"http://127.0.0.1:{port}/healthz")[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A real Redis server on loopback (bin/test installs it)."""
    with cache_server("redis", tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def nginx_prefix(tmp_path) -> Path:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (bin/test installs it)")
    return tmp_path / "nginx"

"""Real concurrency: the site under gunicorn (two worker processes, each with its own local-memory page cache),
editors posting at the same instant from two sessions, a command-line import racing them.

Runs against the database DATABASE_URL names: SQLite by default (a file, in WAL mode, as deployed), PostgreSQL
under bin/with-postgres (a database of its own on that server). Nothing here uses the test database: the server
and the commands are separate processes, as in production.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from functools import partial
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import environ
import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 4
CHANGE = "/admin/articles/article/{pk}/change/"


# The site: a database of its own, migrated and imported, served by gunicorn with two workers ----------------------


class Site:
    def __init__(self, env: dict, url: str, database: dict):
        self.env, self.url, self.database = env, url, database

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        )

    def stored(self, column: str, slug: str = "crowdsourcing"):
        """Read one column of an article straight from the database, as committed."""
        sql = f'SELECT "{column}" FROM articles_article WHERE slug = %s'
        if self.database["ENGINE"].endswith("sqlite3"):
            with sqlite3.connect(self.database["NAME"]) as connection:
                return connection.execute(sql.replace("%s", "?"), [slug]).fetchone()[0]
        import psycopg

        with psycopg.connect(**_pg_params(self.database)) as connection:
            return connection.execute(sql, [slug]).fetchone()[0]


def _pg_params(database: dict, name: str | None = None) -> dict:
    return {
        "host": database["HOST"],
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"] or None,
        "dbname": name or database["NAME"],
        "autocommit": True,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    configured = os.environ.get("DATABASE_URL", "")
    postgres = environ.Env.db_url_config(configured) if configured.startswith("postgres") else None
    if postgres is not None:
        import psycopg

        name = f"glossary_concurrency_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(**_pg_params(postgres)) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        scheme, rest = configured.split("://", 1)
        database_url = f"{scheme}://{rest.split('/', 1)[0]}/{name}"
    else:
        database_url = f"sqlite:///{folder / 'site.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "true",
        "CACHE_URL": "locmemcache://glossary",  # per process: only the shared generation keeps pages fresh
        "AXES_FAILURE_LIMIT": "1000",
    }
    port = _free_port()
    result = Site(env, f"http://127.0.0.1:{port}", environ.Env.db_url_config(database_url))
    result.manage("migrate", "--no-input")
    result.manage("import_articles", str(FIXTURES))
    result.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User\n"
        "for name in ('first', 'second'): User.objects.create_superuser(name, f'{name}@example.com', 'pw')",
    )
    log = (folder / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{result.url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield result
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
        log.close()
        if postgres is not None:
            import psycopg

            with psycopg.connect(**_pg_params(postgres)) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{result.database["NAME"]}" WITH (FORCE)')


@pytest.fixture(scope="module")
def article_pk(site) -> int:
    return int(site.stored("id"))


# A browser, as far as the admin needs one: cookies, forms as posted, no redirects followed -------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, site: Site, username: str = ""):
        self.site = site
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)
        if username:
            form = self.form("/admin/login/")
            status, _page = self.post("/admin/login/", {**form, "username": username, "password": "pw"})
            assert status == 302, "login failed"

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.site.url + path))

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._open(urllib.request.Request(self.site.url + path, data=body, method="POST"))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form(self, path: str) -> dict:
        status, page = self.get(path)
        assert status == 200, (path, status)
        return form_values(page)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, object] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.values[name] = attrs.get("value") or "on"
            else:
                self.values[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # Browsers drop the newline right after <textarea>, which Django's widget writes.
            text = self.values[self._textarea]
            self.values[self._textarea] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_values(page: str) -> dict:
    reader = _FormReader()
    reader.feed(page)
    return {name: unescape(value) if isinstance(value, str) else value for name, value in reader.values.items()}


def at_once(*calls):
    """Run the calls in threads released at the same instant; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def title_shown(browser: Browser, language: str) -> str:
    status, page = browser.get(f"/{language}/articles/crowdsourcing/")
    assert status == 200, (language, status)
    return unescape(re.search(r"<h1>(.*?)</h1>", page).group(1))


# The tests ------------------------------------------------------------------------------------------------------


def test_simultaneous_saves_of_different_fields_by_two_editors_are_both_kept(site, article_pk):
    first, second, reader = Browser(site, "first"), Browser(site, "second"), Browser(site)
    path = CHANGE.format(pk=article_pk)
    for round_ in range(ROUNDS):
        for _warm in range(4):  # both workers cache the pages
            title_shown(reader, "fr"), title_shown(reader, "nb")
        mine, theirs = first.form(path), second.form(path)

        responses = at_once(
            partial(first.post, path, {**mine, "title_fr": f"Premier {round_}"}),
            partial(second.post, path, {**theirs, "title_nb": f"Andre {round_}"}),
        )
        statuses = [status for status, _page in responses]

        assert statuses == [302, 302], statuses
        assert (site.stored("title_fr"), site.stored("title_nb")) == (f"Premier {round_}", f"Andre {round_}")
        for _read in range(4):  # whichever worker answers, the page is fresh
            assert title_shown(reader, "fr") == f"Premier {round_}"
            assert title_shown(reader, "nb") == f"Andre {round_}"


def test_simultaneous_saves_of_the_same_field_save_one_and_keep_the_other_in_the_form(site, article_pk):
    first, second = Browser(site, "first"), Browser(site, "second")
    path = CHANGE.format(pk=article_pk)
    for round_ in range(ROUNDS):
        mine, theirs = first.form(path), second.form(path)
        # The same heading, rewritten by both: a block both changed (different paragraphs would merge).
        texts = [
            re.sub(r"^## .*$", f"## Premier titre {round_}", mine["body_fr"], count=1, flags=re.MULTILINE),
            re.sub(r"^## .*$", f"## Second titre {round_}", theirs["body_fr"], count=1, flags=re.MULTILINE),
        ]

        (status_a, page_a), (status_b, page_b) = at_once(
            partial(first.post, path, {**mine, "body_fr": texts[0]}),
            partial(second.post, path, {**theirs, "body_fr": texts[1]}),
        )

        assert sorted([status_a, status_b]) == [200, 302], (status_a, status_b)
        saved, refused = (0, 1) if status_a == 302 else (1, 0)
        stored = site.stored("body_fr").replace("\r\n", "\n")
        assert stored == texts[saved].replace("\r\n", "\n")
        page = [page_a, page_b][refused]
        assert "You and the other editor changed the same passages" in page
        assert form_values(page)["body_fr"].replace("\r\n", "\n") == texts[refused].replace("\r\n", "\n")


def test_an_import_racing_an_editor_loses_neither_change(site, article_pk, tmp_path):
    editor, reader = Browser(site, "first"), Browser(site)
    path = CHANGE.format(pk=article_pk)
    files = tmp_path / "articles"
    shutil.copytree(FIXTURES, files)
    english = files / "crowdsourcing" / "en.md"
    for round_ in range(ROUNDS):
        english.write_text(english.read_text(encoding="utf-8") + f"\nImported paragraph {round_}.\n", encoding="utf-8")
        title_shown(reader, "en")
        saves = []
        command = [sys.executable, "manage.py", "import_articles", str(files)]
        importing = subprocess.Popen(command, cwd=ROOT, env=site.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while importing.poll() is None or not saves:  # the editor saves again and again while the import runs
            title = f"Édité {round_}.{len(saves)}"
            saves.append((title, editor.post(path, {**editor.form(path), "title_fr": title})[0]))
        _output, errors = importing.communicate()

        assert importing.returncode == 0, errors
        assert {status for _title, status in saves} == {302}, saves
        assert site.stored("title_fr") == saves[-1][0]
        assert site.stored("body_en").endswith(f"Imported paragraph {round_}.\n")
        assert f"Imported paragraph {round_}." in reader.get("/en/articles/crowdsourcing/")[1]
        assert title_shown(reader, "fr") == saves[-1][0]


def test_a_page_read_in_the_server_is_fresh_after_a_command_writes_in_another_process(site, tmp_path):
    reader = Browser(site)
    files = tmp_path / "articles"
    shutil.copytree(FIXTURES, files)
    for _warm in range(4):
        title_shown(reader, "ko")
    korean = files / "crowdsourcing" / "ko.md"
    korean.write_text(korean.read_text(encoding="utf-8") + "\n명령으로 추가한 문단.\n", encoding="utf-8")

    site.manage("import_articles", str(files))

    for _read in range(4):
        assert "명령으로 추가한 문단." in reader.get("/ko/articles/crowdsourcing/")[1]


def test_a_bulk_action_refreshes_the_pages_it_affects_in_every_worker(site, article_pk):
    editor, reader = Browser(site, "first"), Browser(site)
    for _warm in range(4):
        assert reader.get("/nb/articles/crowdsourcing/")[0] == 200
    form = editor.form("/admin/articles/article/")

    status, _page = editor.post(
        "/admin/articles/article/",
        {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "action": "mark_draft_nb", "_selected_action": article_pk},
    )

    assert status == 302
    for _read in range(4):
        assert reader.get("/nb/articles/crowdsourcing/")[0] == 404
    editor.post(
        "/admin/articles/article/",
        {
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
            "action": "mark_published_nb",
            "_selected_action": article_pk,
        },
    )
    for _read in range(4):
        assert reader.get("/nb/articles/crowdsourcing/")[0] == 200

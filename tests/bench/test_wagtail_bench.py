"""bench/wagtail_bench.py: Wagtail is measured serving the very article bodies our import stores."""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from articles.models import ArticleVersion
from articles.services import import_articles
from bench import wagtail_bench
from bench.bench_site import generate_articles, serving
from bench.wagtail_bench import article_sources, import_wagtail, wagtail_installed, worker_rss
from core.languages import language_codes

ROOT = Path(__file__).resolve().parent.parent.parent
needs_wagtail = pytest.mark.skipif(not wagtail_installed(), reason="Wagtail (the optional bench group) is absent")


def without_link_attributes(html: str) -> str:
    """Wagtail has no term base: its links go to the same term pages, without our missing marks and previews."""
    return re.sub(r"<a\b[^>]*>", "<a>", html)


@pytest.mark.django_db
def test_wagtail_pages_get_the_body_and_title_our_import_stores(tmp_path):
    generate_articles(tmp_path, 2)
    import_articles(path=tmp_path)

    sources = list(article_sources(tmp_path, languages=language_codes()))

    assert {(source.slug, source.language) for source in sources} == {
        (f"article-0000{index}", language) for index in range(2) for language in language_codes()
    }
    for source in sources:
        ours = ArticleVersion.objects.get(article__slug=source.slug, language=source.language)
        assert source.title == ours.display_title
        assert source.description == ours.display_description
        assert without_link_attributes(source.body_html) == without_link_attributes(ours.body_html)


def test_wagtail_links_go_to_the_term_pages_of_their_language(tmp_path):
    generate_articles(tmp_path, 1)

    korean = next(article_sources(tmp_path, languages=["ko"]))

    assert '<a class="term-link" href="/ko/terms/social-media/"' in korean.body_html


@needs_wagtail
def test_wagtail_serves_each_language_of_an_article_as_a_page_with_its_translations(tmp_path):
    generate_articles(tmp_path / "articles", 1)
    env = {**os.environ, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "testserver"}
    wagtail_env = import_wagtail(env, tmp_path, tmp_path / "articles", 1)
    paths = [f"/{language}/articles/article-00000/" for language in language_codes()]
    code = f"""
import django, json; django.setup()
from django.test import Client
responses = {{path: Client().get(path) for path in {paths!r}}}
print(json.dumps({{path: [r.status_code, r.content.decode()] for path, r in responses.items()}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=wagtail_env, check=True, capture_output=True, text=True
    ).stdout
    pages = json.loads(output)

    for source in article_sources(tmp_path / "articles", languages=language_codes()):
        status, html = pages[f"/{source.language}/articles/{source.slug}/"]
        assert status == 200
        assert f"<h1>{source.title}</h1>" in html
        assert source.body_html in html
        for other in set(language_codes()) - {source.language}:
            assert f'hreflang="{other}" href="/{other}/articles/{source.slug}/"' in html


def test_without_wagtail_the_bench_goes_on_and_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(wagtail_bench, "wagtail_installed", lambda: False)

    assert import_wagtail(dict(os.environ), tmp_path, tmp_path, 1) is None

    assert "pip install -r bench/requirements-wagtail.lock" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_worker_memory_is_read_for_each_gunicorn_worker_and_not_the_master(tmp_path):
    bodies = tmp_path / "pages.json"
    bodies.write_text(json.dumps([{"content_type": "text/plain", "body": ""}]), "utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.minimal", "BENCH_MINIMAL_BODIES": str(bodies)}

    with serving("django.core.wsgi:get_wsgi_application()", env, "/0") as site:
        urllib.request.urlopen(f"{site}/0", timeout=10).read()
        # One worker answering does not mean the other has been forked yet (a busy machine: it failed once).
        deadline = time.monotonic() + 20
        while len(memory := worker_rss(site)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)

    assert len(memory) == 2
    assert all(kb > 1000 for kb in memory)

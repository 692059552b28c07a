"""Wagtail 8 serving the bench's articles as pages, measured by bench/bench_site.py beside our site (issue 15).

Wagtail is in the optional `bench` dependency group, never a dependency of the app or its tests:
    .venv/bin/python -m pip install -r bench/requirements-wagtail.lock     (exact versions, as bin/setup installs)
or  .venv/bin/python -m pip install -e '.[bench]'
bench/wagtail_site/ is the Wagtail site: the project template's settings and middleware, made multilingual as
Wagtail's documentation says, an ArticlePage(Page) with a rich-text body, wagtail_urls serving every path, DEBUG
off, its own SQLite database in the bench's scratch folder. Its import publishes a page per article and language
(a revision each, every language a translation of the original) with the body our renderer makes from the same
files; it is timed like ours, the whole command. The page is served by the same gunicorn command as our site and
measured against the minimal view (bench/minimal.py) returning the very bytes Wagtail returned, in interleaved rounds.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from statistics import median

from markup.document import decode_source, parse_document, plain_text
from markup.render import TermLink, render_markdown

ROOT = Path(__file__).resolve().parent.parent
WAGTAIL_SETTINGS = "bench.wagtail_site.settings"
ARTICLES_SLUG = "articles"  # the page below each language's home that holds the articles: /<language>/articles/<slug>/
INSTALL_HINT = (
    "Wagtail is not installed, so it is not measured: install the bench group, "
    ".venv/bin/python -m pip install -r bench/requirements-wagtail.lock (or -e '.[bench]')"
)


@dataclass(frozen=True)
class ArticleSource:
    """One language version of an article as the Wagtail import stores it on a page."""

    slug: str
    language: str
    title: str
    description: str
    body_html: str


def wagtail_installed() -> bool:
    return importlib.util.find_spec("wagtail") is not None


def article_sources(folder: Path, *, languages: list[str]) -> Iterator[ArticleSource]:
    """Read every `<slug>/<language>.md` below `folder` and render its body as our import does, `languages` in order.

    Wagtail has no term base, so a `/slug` link goes to that term's address on our site, never marked missing.
    """
    for article in sorted(path for path in folder.iterdir() if path.is_dir()):
        for language in languages:
            path = article / f"{language}.md"
            if not path.is_file():
                continue
            document = parse_document(decode_source(path.read_bytes(), name=str(path)), name=str(path))
            title = plain_text(document.title)
            rendered = render_markdown(
                document.body, resolve_link=_term_link(language), title=title, first_line=document.body_line
            )
            yield ArticleSource(article.name, language, title, plain_text(document.description), rendered.html)


def _term_link(language: str) -> Callable[[str], TermLink]:
    def resolve(slug: str) -> TermLink:
        return TermLink(href=f"/{language}/terms/{slug}/", missing=False)

    return resolve


def import_wagtail(env: dict, scratch: Path, articles: Path, count: int) -> dict | None:
    """Build the Wagtail site and import `articles` into it; return its environment, or None without Wagtail."""
    if not wagtail_installed():
        print(INSTALL_HINT)
        return None
    wagtail_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": WAGTAIL_SETTINGS,
        "BENCH_WAGTAIL_DATABASE": str(scratch / "wagtail.sqlite3"),
    }
    _django(wagtail_env, "migrate", "--no-input")
    started = time.perf_counter()
    _django(wagtail_env, "import_wagtail_articles", str(articles))
    imported = time.perf_counter() - started
    print(
        f"Wagtail {_wagtail_version()} import: {count} articles × every language in {imported:.1f} s "
        f"({imported / count * 1000:.0f} ms an article)"
    )
    return wagtail_env


def measure_wagtail(wagtail_env: dict, scratch: Path, path: str, seconds: float) -> None:
    """Serve the Wagtail site and its minimal twin; print the article page's rates, ratios and workers' memory."""
    # bench_site runs as a script and imports this module; importing it back here, when it is needed, is no cycle.
    from bench.bench_site import MINIMAL, capture_pages, measure_pairs, serving

    bodies = scratch / "wagtail-pages.json"
    with serving("django.core.wsgi:get_wsgi_application()", wagtail_env, path) as site:
        capture_pages(site, [path], bodies)
        minimal_env = {**wagtail_env, "DJANGO_SETTINGS_MODULE": "bench.minimal", "BENCH_MINIMAL_BODIES": str(bodies)}
        with serving(MINIMAL, minimal_env, "/0") as minimal:
            page, baseline = measure_pairs(site, minimal, [path], seconds)[path]
        memory = worker_rss(site)
    ratios = sorted(mine / theirs for mine, theirs in zip(page, baseline, strict=True))
    print(f"\nWagtail {_wagtail_version()}, no cache: requests per second (median), and page ÷ minimal view per round")
    print(
        f"  {'Wagtail article page':32} {median(page):7.0f}/s  minimal {median(baseline):7.0f}/s  "
        f"{ratios[0]:5.2f}× {median(ratios):5.2f}× {ratios[-1]:5.2f}×  ({path})"
    )
    print(f"  {describe_rss(memory)}")


def worker_rss(base: str) -> list[int]:
    """Return the resident memory (kB) of each gunicorn worker serving `base` (http://127.0.0.1:<port>)."""
    bind = f"127.0.0.1:{base.rsplit(':', 1)[1]}".encode()
    serving = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:  # the process ended while we looked
            continue
        if b"gunicorn" in b" ".join(arguments) and bind in arguments:
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            serving[int(entry.name)] = (int(fields["PPid"]), int(fields.get("VmRSS", "0 kB").split()[0]))
    # The workers are the processes whose parent serves the same address: the master's parent does not.
    return sorted(rss for parent, rss in serving.values() if parent in serving)


def describe_rss(memory: list[int]) -> str:
    return "resident memory per worker: " + ", ".join(f"{kb / 1024:.0f} MB" for kb in memory)


def _django(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "django", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _wagtail_version() -> str:
    return version("wagtail")

"""The site under load against a minimal Django view returning the same bytes, measured in one run, as ratios.

Run: .venv/bin/python bench/bench_site.py [--articles 50] [--terms 1000] [--seconds 3] [--no-wagtail]
(issue 15 asks its figures at `--articles 1000 --terms 10000`: about 15 minutes on SQLite, 25 on PostgreSQL)
Builds a scratch database (SQLite in a temp folder unless DATABASE_URL is set), imports ARTICLES generated articles
(the seed article under new slugs, so every language and every defect is there) and TERMS terms × every language,
then serves it with gunicorn (2 workers) three times: without a cache, with the local-memory page cache, and with
that behind nginx (deploy/nginx.conf: its proxy_cache keeps pages 1 s and then revalidates them with their ETag).
Beside it, the same gunicorn command serves bench/minimal.py: Django with no middleware and one view that returns
the very bytes each page returned (captured first), with its content type. Each page and its minimal twin are
loaded in turn, in interleaved rounds, each load starting on idle servers (a cheap page answered quickly by every
worker: the requests a slow page left queued are served first, not counted against the next page); the output gives
requests per second and the ratio page ÷ minimal per round (min / median / max), and the resident memory of each
gunicorn worker after it. When Wagtail is installed (the optional `bench` group), Wagtail serving the same articles
as pages is measured the same way (bench/wagtail_bench.py). Targets (issues 12, 15): article ≥ 0.5× (12) and 0.6× (15)
minimal without cache, every other page ≥ 0.25× without cache, ≥ 1.0× with the page cache, ≥ 5× through nginx.
"No cache" still serves what was rendered on write: article pages (stored on save) and the home, A–Z and term pages
`render_stored_pages` stored (run here after the terms are added).

The load comes from `wrk` when it is installed (Debian: apt-get install wrk), else from Python threads; Python's
client spends more CPU than a fast page does, so it flatters the ratios: the output says which one ran.
"""

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from statistics import median
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # deploy/nginx.py
SEED = ROOT / "fixtures" / "articles" / "crowdsourcing"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def generate_articles(folder: Path, count: int) -> None:
    for index in range(count):
        target = folder / f"article-{index:05d}"
        target.mkdir(parents=True)
        for source in SEED.glob("*.md"):
            shutil.copy(source, target / source.name)


def manage(env: dict, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def add_terms(env: dict, count: int, *, start: int = 0) -> None:
    code = f"""
import django; django.setup()
from core.languages import language_codes
from glossary.models import Term, TermName
from glossary.search_index import name_index_optimize
slugs = [f"bench-term-{{i}}" for i in range({start}, {start + count})]
terms = Term.objects.bulk_create([Term(slug=slug) for slug in slugs], batch_size=2000)
for language in language_codes():
    names = []
    for term in terms:
        name = TermName(term=term, language=language, name=f"{{term.slug[11:]}} {{language}} name", confirmed=True)
        name.set_index_fields()
        names.append(name)
    TermName.objects.bulk_create(names, batch_size=2000)
name_index_optimize()  # as a bulk load should: the batches left the names' index in pieces (SQLite)
"""
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True)


FEW_TERMS = 10
WRK = shutil.which("wrk")
ROUNDS = 3


def load(url: str, seconds: float) -> float:
    return load_with_wrk(url, seconds) if WRK else load_with_threads(url, seconds)


IDLE_PROBES = 4  # concurrent requests: more than the 2 workers, so every worker must answer one
IDLE_SECONDS = 0.05  # a probe answered slower than this means a worker is still busy
IDLE_TIMEOUT = 30


def wait_until_idle(url: str) -> float:
    """Wait until IDLE_PROBES concurrent requests for the cheap `url` are all answered quickly, twice in a row.

    When wrk stops, the requests it had queued are still served (a slow page keeps both workers busy for a while):
    a measurement started then would count them against the next page. Return the seconds waited.
    """
    started = time.perf_counter()
    quick_in_a_row = 0
    while quick_in_a_row < 2:
        if time.perf_counter() - started > IDLE_TIMEOUT:
            print(f"  warning: {url} still answers slowly after {IDLE_TIMEOUT} s; measuring anyway")
            break
        quick_in_a_row = quick_in_a_row + 1 if slowest_of_probes(url) < IDLE_SECONDS else 0
    return time.perf_counter() - started


def slowest_of_probes(url: str) -> float:
    """Send IDLE_PROBES requests for `url` at once; return the seconds the slowest took."""
    times = [0.0] * IDLE_PROBES

    def probe(slot: int) -> None:
        begun = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=IDLE_TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError:
            pass  # answered all the same (a site without /healthz, as Wagtail's, says 404)
        times[slot] = time.perf_counter() - begun

    probes = [threading.Thread(target=probe, args=(slot,)) for slot in range(IDLE_PROBES)]
    for thread in probes:
        thread.start()
    for thread in probes:
        thread.join()
    return max(times)


def load_with_wrk(url: str, seconds: float) -> float:
    """Return requests per second for `url` from wrk (2 threads, 8 connections) over `seconds`."""
    output = subprocess.run(
        [WRK, "--threads", "2", "--connections", "8", "--timeout", "30s", f"--duration={max(1, round(seconds))}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    if failures:
        raise RuntimeError(f"{url}: {failures.group(0)}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def load_with_threads(url: str, seconds: float, threads: int = 4) -> float:
    """Return requests per second for `url` from `threads` clients over `seconds`."""
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def client(slot: int) -> None:
        while time.perf_counter() < stop:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url}: {response.status}")
            done[slot] += 1

    workers = [threading.Thread(target=client, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / seconds


@contextmanager
def serving(app: str, env: dict, ready_path: str) -> Iterator[str]:
    """Serve the WSGI `app` with gunicorn (2 workers) on a free loopback port; yield its base URL."""
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}{ready_path}", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def proxied(site: str, label: str, scratch: Path) -> Iterator[str]:
    """Yield `site` itself, or nginx in front of it with deploy/nginx.conf when the label says so."""
    if not label.startswith("nginx"):
        yield site
        return
    from deploy.nginx import serving_nginx

    with serving_nginx(
        port=free_port(), servers=[site.removeprefix("http://")], prefix=scratch / "nginx", stamp=scratch / STAMP_FILE
    ) as front:
        yield front


def capture_pages(base: str, paths: list[str], target: Path) -> None:
    """Store each page's bytes and content type as bench/minimal.py reads them."""
    pages = []
    for path in paths:
        with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
            body = response.read()
            pages.append({"content_type": response.headers["Content-Type"], "body": base64.b64encode(body).decode()})
    target.write_text(json.dumps(pages), "utf-8")


def measure_pairs(
    site: str,
    minimal: str,
    paths: list[str],
    seconds: float,
    *,
    app: str | None = None,
    idle_waits: list[float] | None = None,
) -> dict[str, tuple[list, list]]:
    """Return, per path, the page's and its minimal twin's requests per second in each round; append the seconds
    spent waiting for idle servers to `idle_waits`.

    Rounds are interleaved and each page is loaded right before its twin: on a shared machine other work slows
    whatever runs at that moment, and a pair measured back to back is disturbed alike. Each measurement starts on
    idle servers (wait_until_idle), so a slow page's queued requests never eat into the next measurement. `site`
    is what is loaded (the app server or nginx in front of it), `app` the app server itself (`site` by default), which
    is probed: through nginx, concurrent probes of one address wait for each other (proxy_cache_lock).
    """
    for index, path in enumerate(paths):  # warm up: imports, templates, the cache when there is one
        urllib.request.urlopen(f"{site}{path}", timeout=30).read()
        urllib.request.urlopen(f"{minimal}/{index}", timeout=30).read()
    rates: dict[str, tuple[list, list]] = {path: ([], []) for path in paths}
    waits = [] if idle_waits is None else idle_waits
    for _ in range(ROUNDS):
        for index, path in enumerate(paths):
            waits += [wait_until_idle(f"{app or site}/healthz"), wait_until_idle(f"{minimal}/{index}")]
            rates[path][0].append(load(f"{site}{path}", seconds / ROUNDS))
            waits += [wait_until_idle(f"{app or site}/healthz"), wait_until_idle(f"{minimal}/{index}")]
            rates[path][1].append(load(f"{minimal}/{index}", seconds / ROUNDS))
    return rates


def queries_per_page(env: dict, paths: list[str]) -> dict[str, int]:
    code = f"""
import django; django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for path in {paths!r}:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    assert status == 200, (path, status)
    print(path, len(queries))
"""
    output = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return {line.rsplit(" ", 1)[0]: int(line.rsplit(" ", 1)[1]) for line in output.splitlines() if line}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=3, help=f"per page and side, over {ROUNDS} rounds")
    parser.add_argument(
        "--no-wagtail", action="store_true", help="leave Wagtail out (its import of 1,000 articles takes minutes)"
    )
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}"),
        "GLOSSARY_GENERATION_FILE": str(scratch / STAMP_FILE),  # nginx's cache key reads it (deploy/nginx.conf)
        "DJANGO_STATIC_ROOT": str(scratch / "static"),  # collectstatic must not rewrite the tree's files mid-test
    }
    try:
        run(env, scratch, options)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# Article page's rate ÷ the minimal view's, at least (issues 12 and 15).
TARGETS = {"no cache": 0.6, "page cache": 1.0, "nginx (deploy/nginx.conf) + page cache": 5.0}
OTHER_PAGES = 0.25  # every other reader page without a cache (issue 15)
SITE = "config.wsgi"
STAMP_FILE = "bench.generation"
MINIMAL = "django.core.wsgi:get_wsgi_application()"


def run(env: dict, scratch: Path, options: argparse.Namespace) -> None:
    from bench.wagtail_bench import describe_rss, import_wagtail, measure_wagtail, worker_rss

    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    generate_articles(scratch / "articles", options.articles)
    imported = manage(env, "import_articles", str(scratch / "articles"))
    each = imported / options.articles * 1000
    print(f"import: {options.articles} articles × 5 languages in {imported:.1f} s ({each:.0f} ms an article)")
    wagtail_env = None if options.no_wagtail else import_wagtail(env, scratch, scratch / "articles", options.articles)
    article = f"/ko/articles/article-{options.articles // 2:05d}/"
    # A term looked up by its name: one added term's ("5006 fr name" of 10,010), where the two searches below find a
    # word in every article of their language (the generated articles are copies of one). Its queries are not
    # compared before and after the terms are added: before, it is a miss.
    lookup = f"/fr/search/?q={(FEW_TERMS + options.terms) // 2 + 1}"
    paths = [
        article,
        "/fr/terms/social-media/",
        # The letter the added terms' names are under ("12 zh-hans name"): a full page of 200 names.
        "/zh-hans/terms/?letter=" + quote("#"),
        "/ko/search/?q=" + quote("크라우드"),
        "/en/search/?q=social+media",
        lookup,
        "/nb/",
        "/api/terms/?lang=fr",
        f"/api/articles/article-{options.articles // 2:05d}/?lang=ko",
    ]
    no_cache = {**env, "CACHE_URL": "dummycache://"}
    # A few added terms first, so that the A–Z letter they are under has names before and after.
    add_terms(env, FEW_TERMS)
    manage(env, "render_stored_pages", "--all")  # the terms were added in bulk, past the write service
    counted = [path for path in paths if path != lookup]
    queries_before = queries_per_page(no_cache, counted)
    add_terms(env, options.terms, start=FEW_TERMS)
    rendered = manage(env, "render_stored_pages", "--all")
    print(f"stored home, A–Z and term pages: every one rendered in {rendered:.1f} s (render_stored_pages --all)")
    print(f"load generator: {'wrk' if WRK else 'Python threads (install wrk for figures that do not flatter)'}")
    bodies = scratch / "pages.json"
    with serving(SITE, no_cache, "/healthz") as site:
        capture_pages(site, paths, bodies)
    minimal_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.minimal", "BENCH_MINIMAL_BODIES": str(bodies)}
    with serving(MINIMAL, minimal_env, "/0") as minimal:
        for label, cache in [
            ("no cache", "dummycache://"),
            ("page cache", "locmemcache://bench"),
            ("nginx (deploy/nginx.conf) + page cache", "locmemcache://bench"),
        ]:
            with serving(SITE, {**env, "CACHE_URL": cache}, "/healthz") as site, proxied(site, label, scratch) as front:
                waits: list[float] = []
                rates = measure_pairs(front, minimal, paths, options.seconds, app=site, idle_waits=waits)
                memory = worker_rss(site)
            print(f"\n{label}: requests per second (median), and page ÷ minimal view per round (min median max)")
            print(f"  (each measurement started on idle servers: {sum(waits):.1f} s of waiting in all)")
            for path in paths:
                page, baseline = rates[path]
                ratios = sorted(mine / theirs for mine, theirs in zip(page, baseline, strict=True))
                print(
                    f"  {unquote(path):32} {median(page):7.0f}/s  minimal {median(baseline):7.0f}/s  "
                    f"{ratios[0]:5.2f}× {median(ratios):5.2f}× {ratios[-1]:5.2f}×"
                )
            page, baseline = rates[article]
            ratio = median(mine / theirs for mine, theirs in zip(page, baseline, strict=True))
            verdict = "met" if ratio >= TARGETS[label] else "NOT met"
            print(f"  target: article ≥ {TARGETS[label]}× the minimal view: {verdict} (median {ratio:.2f}×)")
            if label == "no cache":
                others = {
                    path: median(mine / theirs for mine, theirs in zip(*rates[path], strict=True))
                    for path in paths
                    if path != article
                }
                below = [f"{unquote(path)} {ratio:.2f}×" for path, ratio in others.items() if ratio < OTHER_PAGES]
                verdict = "met" if not below else f"NOT met by {', '.join(below)}"
                print(f"  target: every other page ≥ {OTHER_PAGES}× the minimal view (issue 15): {verdict}")
            print(f"  {describe_rss(memory)}")
    if wagtail_env:
        measure_wagtail(wagtail_env, scratch, article, options.seconds)
    queries_after = queries_per_page(no_cache, counted)
    total = FEW_TERMS + options.terms
    print(f"\nqueries per page (second request, no cache): {FEW_TERMS} → {total} added terms × every language")
    for path in counted:
        before, after = queries_before[path], queries_after[path]
        print(f"  {unquote(path):32} {before:3} → {after:3}  {'constant' if before == after else 'GROWS'}")


if __name__ == "__main__":
    main()

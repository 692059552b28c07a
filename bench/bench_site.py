"""The site under load: gunicorn on loopback, a threaded HTTP client, ratios measured in one run.

Run: .venv/bin/python bench/bench_site.py [--articles 1000] [--terms 10000] [--seconds 6]
Builds a scratch database (SQLite in a temp folder unless DATABASE_URL is set), imports ARTICLES generated articles
(the seed article under new slugs, so every language and every defect is there) and TERMS terms × every language,
then serves it twice with gunicorn (2 workers): once without a cache, once with the local-memory page cache.
Prints requests per second for each page and its ratio to /healthz, the minimal Django view. Targets (issue 7):
article ≥ 0.5× minimal without cache, ≥ 0.9× with cache.

The load comes from `wrk` when it is installed (Debian: apt-get install wrk), else from Python threads; Python's
client spends more CPU than a fast page does, so it flatters the ratios: the output says which one ran.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
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


def add_terms(env: dict, count: int) -> None:
    code = f"""
import django; django.setup()
from glossary.languages import language_codes
from glossary.models import Term, TermName
terms = Term.objects.bulk_create([Term(slug=f"bench-term-{{i}}") for i in range({count})], batch_size=2000)
for language in language_codes():
    names = []
    for term in terms:
        name = TermName(term=term, language=language, name=f"{{term.slug[11:]}} {{language}} name", confirmed=True)
        name.set_index_fields()
        names.append(name)
    TermName.objects.bulk_create(names, batch_size=2000)
"""
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True)


WRK = shutil.which("wrk")
ROUNDS = 3


def load(url: str, seconds: float) -> float:
    return load_with_wrk(url, seconds) if WRK else load_with_threads(url, seconds)


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


def serve_and_measure(env: dict, paths: list[str], seconds: float) -> dict[str, float]:
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        for path in paths:  # warm up: imports, templates, the cache when there is one
            urllib.request.urlopen(f"{base}{path}", timeout=30).read()
        # Interleaved rounds, best of each: on a shared machine, other work slows whichever page is being
        # measured; alternating pages spreads that over all of them, and the best round is the least disturbed.
        rates: dict[str, list[float]] = {path: [] for path in paths}
        for _ in range(ROUNDS):
            for path in paths:
                rates[path].append(load(f"{base}{path}", seconds / ROUNDS))
        return {path: max(values) for path, values in rates.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)


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
        client.get(path)
    print(path, len(queries))
"""
    output = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return {line.rsplit(" ", 1)[0]: int(line.rsplit(" ", 1)[1]) for line in output.splitlines() if line}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=6, help=f"per page, over {ROUNDS} interleaved rounds")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}"),
        "DJANGO_STATIC_ROOT": str(scratch / "static"),  # collectstatic must not rewrite the tree's files mid-test
    }
    try:
        run(env, scratch, options)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


TARGETS = {"no cache": 0.5, "page cache": 0.9}  # article page's rate ÷ the minimal view's, at least


def run(env: dict, scratch: Path, options: argparse.Namespace) -> None:
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    generate_articles(scratch / "articles", options.articles)
    imported = manage(env, "import_articles", str(scratch / "articles"))
    each = imported / options.articles * 1000
    print(f"import: {options.articles} articles × 5 languages in {imported:.1f} s ({each:.0f} ms an article)")
    article = f"/ko/articles/article-{options.articles // 2:05d}/"
    paths = [
        "/healthz",
        article,
        "/fr/terms/social-media/",
        "/zh-hans/terms/?letter=A",
        "/ko/search/?q=" + quote("크라우드"),
        "/en/search/?q=social+media",
    ]
    no_cache = {**env, "CACHE_URL": "dummycache://"}
    queries_before = queries_per_page(no_cache, paths)
    add_terms(env, options.terms)
    print(f"load generator: {'wrk' if WRK else 'Python threads (install wrk for figures that do not flatter)'}")
    for label, cache in [("no cache", "dummycache://"), ("page cache", "locmemcache://bench")]:
        rates = serve_and_measure({**env, "CACHE_URL": cache}, paths, options.seconds)
        minimal = rates["/healthz"]
        print(f"\n{label}: requests per second, and ratio to the minimal view (/healthz {minimal:.0f}/s)")
        for path in paths[1:]:
            print(f"  {unquote(path):32} {rates[path]:8.0f}/s  {rates[path] / minimal:5.2f}×")
        ratio = rates[article] / minimal
        verdict = "met" if ratio >= TARGETS[label] else "NOT met"
        print(f"  target: article ≥ {TARGETS[label]}× the minimal view: {verdict} ({ratio:.2f}×)")
    queries_after = queries_per_page(no_cache, paths)
    print(f"\nqueries per page (second request, no cache): 0 extra terms → {options.terms} terms × every language")
    for path in paths:
        before, after = queries_before[path], queries_after[path]
        print(f"  {unquote(path):32} {before:3} → {after:3}  {'constant' if before == after else 'GROWS'}")


if __name__ == "__main__":
    main()

"""Search time as the corpus grows: 1,000, 10,000 and 100,000 language versions (issue 15, indexed search).

Run: .venv/bin/python bench/bench_search.py [--sizes 1000 10000 100000] [--repeat 7]
Builds a throwaway SQLite database (or uses DATABASE_URL, e.g. under bin/with-postgres) and grows it to each size
with synthetic versions written straight into the database (terms, articles and their published ArticleVersion rows
in bulk, then the search index through articles.search_index, as the write service does): every version holds 60
words (`--words`) drawn from 20,000 Latin, Han and Hangul words. At each size, 20 versions per language also get
planted words, so a selective query has the same hits at every size. Each query is run through Django's test
client (the whole search page, no page cache) and the median server time is printed, with the growth from the
previous size.
"""

import argparse
import atexit
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="glossary-bench-")
atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # 100,000 versions take about 450 MB
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
os.environ["CACHE_URL"] = "dummycache://"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ["DJANGO_STATIC_ROOT"] = f"{scratch}/static"  # pages name static files by their hashed names

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, ArticleVersion  # noqa: E402
from articles.search_index import search_index_merge  # noqa: E402
from articles.search_text import text_grams  # noqa: E402
from core.languages import language_codes  # noqa: E402
from glossary.models import Term  # noqa: E402

HANGUL = [chr(code) for code in range(0xAC00, 0xAC00 + 2000)]
HAN = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]
PLANTED = {"latin": "zeppelinx", "han": "鑫", "hangul": "뙇뙇"}  # absent from the vocabulary


def vocabulary(rng: random.Random) -> list[str]:
    latin = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(10000)]
    han = ["".join(rng.choice(HAN) for _ in range(rng.randint(1, 3))) for _ in range(5000)]
    hangul = ["".join(rng.choice(HANGUL) for _ in range(rng.randint(2, 4))) for _ in range(5000)]
    return latin + han + hangul


def grow(
    target_versions: int, words: list[str], rng: random.Random, planted_ids: set[int], *, length: int = 60
) -> None:
    """Add articles (each in every language) until the database holds `target_versions` search rows, each text of
    `length` words."""
    languages = language_codes()
    have = ArticleVersion.objects.count()
    articles = (target_versions - have) // len(languages)
    first = Article.objects.count()
    for start in range(0, articles, 2000):
        batch = range(first + start, first + min(articles, start + 2000))
        with transaction.atomic():
            terms = Term.objects.bulk_create([Term(slug=f"bench-{index}") for index in batch])
            made = Article.objects.bulk_create(
                [
                    Article(slug=f"bench-{index}", term=term, source_language="en")
                    for index, term in zip(batch, terms, strict=True)
                ]
            )
            rows = []
            for article in made:
                for language in languages:
                    text = " ".join(rng.choices(words, k=length))
                    rows.append(
                        ArticleVersion(
                            article=article,
                            language=language,
                            published=True,
                            search_title=text[:30],
                            search_text=text,
                            search_grams=text_grams(text),
                        )
                    )
            ArticleVersion.objects.bulk_create(rows)
        # As an import ends (SQLite): the merges its writes left half done, bounded by what it wrote.
        search_index_merge(versions=len(rows))
    # The planted words: in 20 versions per language at every size (moved to other versions as the corpus grows).
    planted = " " + " ".join(PLANTED.values())
    with transaction.atomic():
        before = list(ArticleVersion.objects.filter(pk__in=planted_ids))
        for row in before:
            row.search_text = row.search_text.removesuffix(planted)
            row.search_grams = text_grams(row.search_text)
        ArticleVersion.objects.bulk_update(before, ["search_text", "search_grams"])
        planted_ids.clear()
        for language in languages:
            rows = list(ArticleVersion.objects.filter(language=language).order_by("?")[:20])
            for row in rows:
                row.search_text += planted
                row.search_grams = text_grams(row.search_text)
            ArticleVersion.objects.bulk_update(rows, ["search_text", "search_grams"])
            planted_ids.update(row.pk for row in rows)


QUERIES = {
    "planted Latin word (20 hits)": ("en", PLANTED["latin"]),
    "planted Han character (20 hits)": ("zh-hans", PLANTED["han"]),
    "planted Hangul pair (20 hits)": ("ko", PLANTED["hangul"]),
    "miss (every language counted)": ("fr", "qqqqxq"),
    "100 rare characters": ("zh-hans", "".join(chr(0x9000 + 7 * index) for index in range(100))),
}


def time_query(client: Client, language: str, query: str, repeat: int) -> float:
    path = f"/{language}/search/?q={quote(query)}"
    assert client.get(path).status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--words",
        type=int,
        default=60,
        help="words a version (60: a short text; the generated articles of bench_site hold about 800)",
    )
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    rng = random.Random(15)
    words = vocabulary(rng)
    client = Client()
    print(f"database: {connection.vendor}")
    previous: dict[str, float] = {}
    planted_ids: set[int] = set()
    for size in options.sizes:
        started = time.perf_counter()
        grow(size, words, rng, planted_ids, length=options.words)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            # A new connection, as an app server has at most CONN_MAX_AGE after the corpus grew: the search's
            # statements are prepared once a connection, planned on the statistics of then (generic plans), and the
            # ones prepared at the size before measured this size with the plans of a corpus a tenth of its size.
            connection.close()
        built = time.perf_counter() - started
        print(f"\n{ArticleVersion.objects.count():,} language versions (built in {built:.0f} s)")
        for label, (language, query) in QUERIES.items():
            elapsed = time_query(client, language, query, options.repeat)
            growth = f"  ×{elapsed / previous[label]:.2f} since the last size" if label in previous else ""
            print(f"  {label:34} {elapsed:7.1f} ms{growth}")
            previous[label] = elapsed


if __name__ == "__main__":
    main()

"""Server time of the A–Z index and search with 10,000 terms per language, as ratios to a minimal page.

Run: .venv/bin/python bench/bench_index.py [TERMS_PER_LANGUAGE]
Builds a throwaway SQLite database (or uses DATABASE_URL if you point it at a scratch PostgreSQL), generates the
corpus through the models (so collation keys are real), then times requests through Django's test client in one
run: the A–Z page, search, and the robots.txt view as the minimal baseline. Timings on a shared machine are noisy;
compare the ratios.
"""

import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="glossary-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))  # debug off needs one
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"  # the test client speaks plain HTTP
# Time the server's work, not the page cache: every request of a round is the same URL.
os.environ["CACHE_URL"] = "dummycache://"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from core.languages import language_codes  # noqa: E402
from glossary.models import Term, TermName  # noqa: E402

SYLLABLES = {
    "ko": [chr(0xAC00 + i * 97 % 11172) for i in range(300)],
    "zh-hans": [chr(0x4E00 + i * 53 % 20000) for i in range(300)],
}
LATIN = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "ny", "pe", "ri", "so", "tu", "vé", "æ", "ø", "å"]


def fake_name(language: str, rng: random.Random) -> str:
    parts = SYLLABLES.get(language, LATIN)
    return "".join(rng.choice(parts) for _ in range(rng.randint(2, 4))) + ("" if rng.random() < 0.8 else " 2")


def build(count: int) -> None:
    rng = random.Random(7)
    terms = Term.objects.bulk_create([Term(slug=f"term-{index}") for index in range(count)], batch_size=2000)
    for language in language_codes():
        names = []
        for term in terms:
            name = TermName(term=term, language=language, name=fake_name(language, rng), confirmed=True)
            name.set_index_fields()
            names.append(name)
        TermName.objects.bulk_create(names, batch_size=2000, ignore_conflicts=True)


def timed(client: Client, url: str, rounds: int = 30) -> float:
    client.get(url)  # warm caches and the connection
    started = time.perf_counter()
    for _ in range(rounds):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) / rounds


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off, as in production
    started = time.perf_counter()
    build(count)
    print(f"built {count} terms × {len(language_codes())} languages in {time.perf_counter() - started:.1f} s")
    client = Client()
    baseline = timed(client, "/robots.txt")
    print(f"minimal view (robots.txt): {baseline * 1000:.2f} ms")
    for language in language_codes():
        first = TermName.objects.filter(language=language).order_by("sort_key").first()
        index = timed(client, f"/{language}/terms/?letter={first.index_label}")
        query = first.name[:2]
        search = timed(client, f"/{language}/search/?q={quote(query)}")
        miss = timed(client, f"/{language}/search/?q=zqxj")  # no hit: every other language is searched too
        print(
            f"{language:8} A–Z: {index * 1000:7.2f} ms ({index / baseline:5.1f}× minimal)   "
            f"search {query!r}: {search * 1000:7.2f} ms ({search / baseline:5.1f}× minimal)   "
            f"miss: {miss * 1000:7.2f} ms ({miss / baseline:5.1f}× minimal)"
        )


if __name__ == "__main__":
    main()

"""What one admin save of one language's body costs: SQL queries and Markdown renders, per language.

Run: .venv/bin/python bench/bench_save.py [LANGUAGE]
Migrates a throwaway SQLite database (or the one DATABASE_URL names), imports the seed articles, logs a superuser
in, loads the change form of the seed article and posts it back with that language's body changed, as a browser
does. Prints the queries of the POST (target: at most 25) and the number of Markdown renders per language (target:
one, of the language edited). Queries of the GET that loads the form are not counted: it is the save that matters.
"""

import os
import sys
import tempfile
from collections import Counter
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    language = sys.argv[1] if len(sys.argv) > 1 else "fr"
    folder = tempfile.mkdtemp(prefix="bench-save-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    import articles.admin_views
    import articles.services
    from articles.models import Article
    from tests.articles.conftest import posted_data

    setup_test_environment()  # responses carry their context, as in the tests
    call_command("migrate", verbosity=0)
    call_command("import_articles", str(ROOT / "fixtures" / "articles"), stdout=StringIO())
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", "", "pw")
    article = Article.objects.get(slug="crowdsourcing")
    client = Client()
    client.force_login(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = posted_data(client.get(url).context["adminform"].form)
    body_field = f"body_{language.replace('-', '_')}"
    data[body_field] = data[body_field] + "\nOne more paragraph, for the benchmark.\n"

    renders: Counter[str] = Counter()
    for module in (articles.services, articles.admin_views):
        real = module.render_markdown

        def counting(text, *args, real=real, module=module, **kwargs):
            renders[f"{module.__name__}: {_language_of(text, article)}"] += 1
            return real(text, *args, **kwargs)

        module.render_markdown = counting
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, f"the save was refused ({response.status_code})"

    print(f"one admin save of the {language} body: {len(queries)} queries (target ≤ 25)")
    print(f"Markdown renders: {sum(renders.values())} (target: 1, of {language})")
    for where, count in sorted(renders.items()):
        print(f"  {where}: {count}")
    if "-v" in sys.argv:
        for query in queries.captured_queries:
            print(" ", query["sql"][:160])


def _language_of(text: str, article) -> str:
    """Name the language whose stored body `text` is (or extends): the render counts are per language."""
    from core.languages import language_codes

    for code in language_codes():
        body = article.value("body", code) or ""
        if body and text.startswith(body[:200]):
            return code
    return "?"


if __name__ == "__main__":
    main()

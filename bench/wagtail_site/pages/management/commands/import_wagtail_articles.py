from pathlib import Path

from django.core.management.base import BaseCommand

from bench.wagtail_site.pages.imports import import_article_pages


class Command(BaseCommand):
    help = "Publish every <slug>/<language>.md below PATH as a Wagtail ArticlePage (bench/wagtail_bench.py)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *, path: str, **options):
        count = import_article_pages(Path(path))
        self.stdout.write(f"Published {count} article pages.")

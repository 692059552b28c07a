from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.models import Article
from articles.services import SOURCE_SUFFIX, article_document
from glossary.languages import language_codes


class Command(BaseCommand):
    help = "Write every article back as PATH/<slug>/<language>.md; unedited versions come out byte-identical."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        root = Path(path)
        if root.exists() and not root.is_dir():
            raise CommandError(_("%(path)s is not a folder") % {"path": root})
        count = 0
        for article in Article.objects.order_by("slug"):
            for code in language_codes():
                if not article.has_text(code):
                    continue
                target = root / article.slug / f"{code}{SOURCE_SUFFIX}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(article_document(article, code).text.encode("utf-8"))
                count += 1
        self.stdout.write(_("Exported %(count)d language versions to %(path)s") % {"count": count, "path": root})

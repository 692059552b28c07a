from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.models import Article, ArticleImage
from articles.services import article_document
from articles.sources import ArticleExportError, ArticleFiles, write_article_files
from core.languages import language_codes


class Command(BaseCommand):
    help = (
        "Write every article back as PATH/<slug>/<language>.md and PATH/<slug>/img/…; unedited versions come out "
        "byte-identical, and versions or images no longer in the database are removed from PATH."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        articles = [
            ArticleFiles(
                slug=article.slug,
                texts={
                    code: article_document(article, code).text for code in language_codes() if article.has_text(code)
                },
                image_paths=sorted(article.images.values_list("path", flat=True)),
            )
            for article in Article.objects.order_by("slug")
        ]
        try:
            report = write_article_files(
                Path(path), articles, read_image=_image_data, import_folder=Path(settings.GLOSSARY_ARTICLES_PATH)
            )
        except ArticleExportError as error:
            lines = [error_.text(_) for error_ in error.errors]
            heading = _("The export stopped part way:") if error.partly_written else _("Nothing was exported:")
            raise CommandError(heading + "\n" + "\n".join(lines)) from None
        for name in report.removed:
            self.stdout.write(_("removed %(path)s (no longer in the database)") % {"path": name})
        count = sum(len(article.texts) for article in articles)
        self.stdout.write(_("Exported %(count)d language versions to %(path)s") % {"count": count, "path": path})


def _image_data(slug: str, path: str) -> bytes:
    return bytes(ArticleImage.objects.values_list("data", flat=True).get(article__slug=slug, path=path))

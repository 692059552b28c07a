from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article
from articles.pages import article_pages_render
from core.generation import content_changed
from core.static_manifest import static_files_collected


class Command(BaseCommand):
    help = (
        "Render every article's reader pages with the code now installed. Run it after a deploy: until then, the "
        "pages the old code rendered are not served, and readers get pages rendered live (slower)."
    )

    def handle(self, *args, **options):
        static_files_collected()
        count = 0
        for article in Article.objects.select_related("term").iterator(chunk_size=100):
            with transaction.atomic():
                content_changed()  # cached pages of other processes must go too
                article_pages_render(article)
                for row in article.version_rows().values():
                    if row.pk is not None:
                        row.save(update_fields=["page_html", "page_version"])
            count += 1
        self.stdout.write(_("rendered the pages of %(count)d article(s)") % {"count": count})

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentGeneration(models.Model):
    """One row: a number every write moves on in its own transaction; cached reader pages are keyed by it.

    In the database rather than in the cache so that every process (each gunicorn worker, a command-line import)
    sees the same number: a page cached by one process is never served after another process's write.
    """

    value = models.PositiveBigIntegerField(_("generation"), default=1)
    # When the number last moved: the Last-Modified of every reader's page.
    changed = models.DateTimeField(_("changed"), default=timezone.now)
    # What the writes since the stored pages were last brought up to date changed ("article:12 term:7", "*" for
    # anything): written in the same UPDATE that moves the number on, read and emptied by `render_stored_pages`.
    topics = models.TextField(_("changed since the stored pages"), blank=True, default="")
    # The generation the stored reader pages were last brought up to date at (public/stored.py).
    pages_generation = models.PositiveBigIntegerField(_("stored pages' generation"), default=0)

    class Meta:
        # Created by glossary's migrations before the model moved here; the table kept its name.
        db_table = "glossary_contentgeneration"
        verbose_name = _("content generation")
        verbose_name_plural = _("content generations")

    def __str__(self):
        return str(self.value)

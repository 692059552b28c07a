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

    class Meta:
        # Created by glossary's migrations before the model moved here; the table kept its name.
        db_table = "glossary_contentgeneration"
        verbose_name = _("content generation")
        verbose_name_plural = _("content generations")

    def __str__(self):
        return str(self.value)

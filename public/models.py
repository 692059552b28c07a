from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredPage(models.Model):
    """A reader's page rendered after the writes that change it, served as stored (public/stored.py).

    Served only while `valid_at` is the current content generation and `page_version` the running code's: a write
    makes every page wait for `render_stored_pages`, which renders again the pages the write changed (by their
    `depends`) and moves the others on to the new generation; until then Django renders the page live.
    """

    path = models.CharField(_("path"), max_length=500, unique=True)  # as the WSGI environ's PATH_INFO has it
    view_name = models.CharField(_("view"), max_length=100)
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    html = models.TextField(_("HTML"))
    page_version = models.CharField(_("page version"), max_length=200)
    valid_at = models.PositiveBigIntegerField(_("valid at generation"))
    # What the page shows, as topics of content_changed: " term:7 article:12 ", or " * " for any change.
    depends = models.TextField(_("depends on"), blank=True)

    class Meta:
        verbose_name = _("stored page")
        verbose_name_plural = _("stored pages")

    def __str__(self):
        return self.path

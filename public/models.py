from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredPage(models.Model):
    """A reader's page rendered after a write and stored whole (public/pages.py), served while nothing changed.

    Stored with the content generation it was rendered at and the version of the code that rendered it: a page of
    another generation or code is never served (the view renders it live), so a renderer that failed or was too late
    leaves a slower page, never a stale one.
    """

    path = models.CharField(_("path"), max_length=200, unique=True)
    generation = models.PositiveBigIntegerField(_("content generation"))
    version = models.CharField(_("code version"), max_length=200)
    html = models.TextField(_("HTML"))

    class Meta:
        verbose_name = _("stored page")
        verbose_name_plural = _("stored pages")

    def __str__(self):
        return self.path

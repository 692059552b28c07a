from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The reader's site over the term base and the articles (not `site`: that would shadow Python's own module)."""

    name = "public"
    verbose_name = _("Public site")

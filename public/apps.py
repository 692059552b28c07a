from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The reader's site over the term base and the articles (not `site`: that would shadow Python's own module)."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from core.generation import render_after_writes
        from public.pages import home_pages_render

        render_after_writes(home_pages_render)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.pages import stored_article_page
        from core.stored_pages import stored_pages_register

        # Stored article pages are answered before Django runs (core/stored_pages.py).
        stored_pages_register("articles:detail", stored_article_page)

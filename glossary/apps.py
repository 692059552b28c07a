from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("Glossary")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from articles.models import Article, ArticleLink
        from glossary.cache import content_changed
        from glossary.models import Term, TermName

        for model in (Article, ArticleLink, Term, TermName):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-delete")

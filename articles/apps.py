from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.db.models.signals import post_save

        from articles.models import Article
        from glossary.models import Term

        post_save.connect(_article_saved, sender=Article, dispatch_uid="article-pages-article")
        post_save.connect(_term_saved, sender=Term, dispatch_uid="article-pages-term")


def _article_saved(sender, instance, raw=False, **kwargs):
    """Every save of an article renders its readers' pages and search texts again, whoever saved it."""
    if not raw:
        from articles.pages import article_pages_render
        from articles.search_index import article_search_texts_store

        article_pages_render(instance)
        article_search_texts_store(instance)


def _term_saved(sender, instance, raw=False, **kwargs):
    """An article's pages link to its term's page (for languages it lacks): a new term slug renders them again."""
    if raw:
        return
    from articles.models import Article
    from articles.pages import article_pages_render

    for article in Article.objects.filter(term=instance):
        article_pages_render(article)

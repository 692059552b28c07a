from django.contrib.sitemaps import Sitemap

from articles.models import Article
from glossary.languages import language_codes
from glossary.models import Term
from glossary.selectors import term_has_language, terms_with_names


class ArticleSitemap(Sitemap):
    """Every article, in each language it is published in, with its alternates and x-default."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return Article.objects.order_by("slug")

    def get_languages_for_item(self, article):
        return article.available_languages()

    def location(self, article):
        return article.get_absolute_url()

    def lastmod(self, article):
        return article.updated


class TermSitemap(Sitemap):
    """Term pages in the languages where the term has a name or an article."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return terms_with_names().select_related("article").order_by("slug")

    def get_languages_for_item(self, term: Term):
        return [code for code in language_codes() if term_has_language(term, code)]

    def location(self, term):
        return term.get_absolute_url()


SITEMAPS = {"articles": ArticleSitemap, "terms": TermSitemap}

"""sitemap.xml: every page in each language it exists in, with hreflang alternates and x-default."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from articles.selectors import article_publication_fields
from core.languages import language_codes
from glossary.models import Term
from public.selectors import term_has_language, terms_with_names_and_publication


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(MultilingualSitemap):
    """The home page and the A–Z index, which exist in every language."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "glossary:index"]

    def location(self, name):
        return reverse(name)


class ArticleSitemap(MultilingualSitemap):
    """Every article, in each language it is published in (drafts and missing versions left out)."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.only(*article_publication_fields(), "updated").order_by("slug")

    def get_languages_for_item(self, article):
        return article.published_languages

    def location(self, article):
        return article.get_absolute_url()

    def lastmod(self, article):
        return article.updated


class TermSitemap(MultilingualSitemap):
    """Term pages, in the languages where the term has a name or a published article."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return terms_with_names_and_publication().order_by("slug")

    def get_languages_for_item(self, term: Term):
        return [code for code in language_codes() if term_has_language(term, code)]

    def location(self, term):
        return term.get_absolute_url()


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "terms": TermSitemap}

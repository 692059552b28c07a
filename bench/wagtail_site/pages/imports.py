"""Article folders into Wagtail's page tree, the way a Wagtail site imports content: a page per language under that
language's home, each language a translation of the original, every page saved with a revision and published."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from bench.wagtail_bench import ARTICLES_SLUG, article_sources
from bench.wagtail_site.pages.models import ArticlePage


def import_article_pages(folder: Path) -> int:
    """Publish an ArticlePage per `<slug>/<language>.md` below `folder`; return how many were published."""
    # The default language's page is the original; the others are its translations.
    languages = sorted((code for code, _name in settings.LANGUAGES), key=lambda code: code != settings.LANGUAGE_CODE)
    indexes = _article_indexes(languages)
    originals: dict[str, ArticlePage] = {}
    published = 0
    for source in article_sources(folder, languages=languages):
        original = originals.get(source.slug)
        page = ArticlePage(
            title=source.title,
            slug=source.slug,
            description=source.description,
            body=source.body_html,
            locale=indexes[source.language].locale,
        )
        if original is not None:
            page.translation_key = original.translation_key
        with transaction.atomic():
            indexes[source.language].add_child(instance=page)
            page.save_revision().publish()
        originals.setdefault(source.slug, page)
        published += 1
    return published


def _article_indexes(languages: list[str]) -> dict[str, Page]:
    """Return each language's `articles` page below its home page, creating homes and indexes that are missing."""
    home = Site.objects.get(is_default_site=True).root_page
    indexes = {}
    for code in languages:
        locale, _created = Locale.objects.get_or_create(language_code=code)
        local_home = home.get_translation_or_none(locale)
        if local_home is None:
            local_home = home.copy_for_translation(locale)
            local_home.save_revision().publish()
        index = local_home.get_children().filter(slug=ARTICLES_SLUG).first()
        if index is None:
            index = local_home.add_child(instance=Page(title="Articles", slug=ARTICLES_SLUG, locale=locale))
        indexes[code] = index
    return indexes

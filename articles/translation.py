from modeltranslation.translator import TranslationOptions, register

from articles.models import RENDERED_FIELDS, SOURCE_FIELDS, Article


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (*SOURCE_FIELDS, *RENDERED_FIELDS, "imported_source")

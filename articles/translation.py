from modeltranslation.translator import TranslationOptions, register

from articles.models import SOURCE_FIELDS, Article


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (*SOURCE_FIELDS, "imported_source")

from modeltranslation.translator import TranslationOptions, register

from glossary.models import Term


@register(Term)
class TermTranslationOptions(TranslationOptions):
    fields = ("definition",)

"""The configured languages, read once from settings."""

from django.conf import settings


def language_codes() -> list[str]:
    """Return the configured language codes in their display order."""
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """Return a language's autonym as configured in settings."""
    return dict(settings.LANGUAGES)[code]


def is_language(code: str) -> bool:
    return code in dict(settings.LANGUAGES)

"""Browser languages the site has under another code: `no` and `nn` read as Bokmål, `zh-CN` as Simplified Chinese.

The aliases are one mapping in settings (GLOSSARY_LANGUAGE_ALIASES: a browser's language tag → a code of
LANGUAGES), read and checked once. The middleware rewrites the request's Accept-Language before LocaleMiddleware
reads it, so everything that asks Django for the visitor's language (the `/` redirect, `/<slug>` links) sees the
same answer. A tag Django already matches to a configured language (nb-NO → nb) is left alone.
"""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from core.languages import is_language


def language_aliases() -> dict[str, str]:
    """Return the configured aliases with lower-case keys; refuse a target that is not in LANGUAGES."""
    aliases = {tag.lower(): code for tag, code in getattr(settings, "GLOSSARY_LANGUAGE_ALIASES", {}).items()}
    wrong = sorted(f"{tag} → {code}" for tag, code in aliases.items() if not is_language(code))
    if wrong:
        raise ImproperlyConfigured(f"GLOSSARY_LANGUAGE_ALIASES: targets not in LANGUAGES: {', '.join(wrong)}")
    return aliases


def resolve_alias(tag: str, aliases: Mapping[str, str]) -> str:
    """Return the configured language a browser's tag stands for, or the tag itself when Django can match it."""
    tag = tag.lower()
    if tag in aliases:
        return aliases[tag]
    try:
        get_supported_language_variant(tag, strict=True)
    except LookupError:
        primary = tag.split("-", 1)[0]
        return aliases.get(primary, tag)
    return tag


def accept_language_with_aliases(header: str, aliases: Mapping[str, str]) -> str:
    """Return the Accept-Language header with every aliased tag replaced, the preferences (q) kept."""
    return ", ".join(f"{resolve_alias(tag, aliases)};q={q:g}" for tag, q in parse_accept_lang_header(header))


class LanguageAliasMiddleware:
    """Put before LocaleMiddleware: read the visitor's Accept-Language through the configured aliases."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.aliases = language_aliases()

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_LANGUAGE")
        if header and self.aliases:
            request.META["HTTP_ACCEPT_LANGUAGE"] = accept_language_with_aliases(header, self.aliases)
        return self.get_response(request)

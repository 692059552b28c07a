"""URLs of pages in a given language, memoised per route: a page links to itself in every language, and a full
`reverse()` under `translation.override()` for each link would cost more than the rest of the switcher."""

import re
from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils import translation

SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what Django's slug converter takes
_PLACEHOLDER = "glossary-slug-placeholder"


@lru_cache(maxsize=256)
def _slug_route(name: str, language: str, script_prefix: str) -> tuple[str, str]:
    """Reverse `name` once per language and script prefix, with a placeholder where the slug goes."""
    with translation.override(language):
        url = reverse(name, kwargs={"slug": _PLACEHOLDER})
    before, placeholder, after = url.partition(_PLACEHOLDER)
    if not placeholder:
        raise ValueError(f"the route {name} does not show its slug")
    return before, after


def slug_url(name: str, *, slug: str, language: str) -> str:
    """Return reverse(name, kwargs={"slug": slug}) as it is in `language`."""
    if not SLUG.fullmatch(slug):  # not a slug: let reverse() refuse it or quote it as it would
        with translation.override(language):
            return reverse(name, kwargs={"slug": slug})
    before, after = _slug_route(name, language, get_script_prefix())
    return f"{before}{slug}{after}"


def slug_urls(name: str, *, language: str) -> Callable[[str], str]:
    """slug_url for the many slugs of one page's list: the route and the mount point looked up once."""
    before, after = _slug_route(name, language, get_script_prefix())

    def url(slug: str) -> str:
        return f"{before}{slug}{after}" if SLUG.fullmatch(slug) else slug_url(name, slug=slug, language=language)

    return url


@lru_cache(maxsize=256)
def _route_url(name: str, language: str, script_prefix: str) -> str:
    with translation.override(language):
        return reverse(name)


def route_url(name: str, *, language: str) -> str:
    """Return reverse(name) as it is in `language`, for a route without arguments (the search page's, say)."""
    return _route_url(name, language, get_script_prefix())


@lru_cache(maxsize=64)
def _switch_url(language: str, script_prefix: str) -> str:
    return reverse("switch_language", kwargs={"language": language})


def switch_url(language: str) -> str:
    """The view that remembers a reader's choice of `language` (without its ?next=)."""
    return _switch_url(language, get_script_prefix())

"""The language switcher: where each language leads from the current page."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

from django.utils import translation

from core.languages import language_codes, language_name
from core.links import switch_url


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    available: bool
    current: bool

    @property
    def switch_url(self) -> str:
        """Go through the switch view so the choice is remembered in a cookie."""
        return f"{switch_url(self.code)}?next={quote_plus(self.url)}"  # as urlencode({"next": url}) writes it


def language_links(*, url_for: Callable[[str], str], available: Callable[[str], bool]) -> list[LanguageLink]:
    """Build one link per configured language, in settings order."""
    current = translation.get_language()
    links = []
    for code in language_codes():
        with translation.override(code):
            url = url_for(code)
        links.append(LanguageLink(code, language_name(code), url, available(code), code == current))
    return links

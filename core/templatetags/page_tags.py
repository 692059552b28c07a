"""Tags for the parts of every reader's page that are built from language links: written in Python rather than
as included templates, because they run on every page and a template loop costs several times as much."""

from html import escape

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.switcher import LanguageLink

register = template.Library()


def x_default_link(links: list[LanguageLink]) -> LanguageLink | None:
    """Return the link for hreflang="x-default": the default language's version, else the first that exists."""
    available = [link for link in links if link.available]
    for link in available:
        if link.code == settings.LANGUAGE_CODE:
            return link
    return available[0] if available else None


@register.simple_tag(takes_context=True)
def alternate_links(context, links: list[LanguageLink]) -> str:
    """The canonical link and one alternate per language the page exists in, plus x-default, all absolute."""
    if "page_origin" in context:  # a page rendered on write (articles/pages.py): no request, a placeholder origin
        origin, path = context["page_origin"], context["page_path"]
    else:
        request = context["request"]
        origin, path = f"{request.scheme}://{request.get_host()}", request.path
    alternates = [(link.code, origin + link.url) for link in links if link.available]
    x_default = x_default_link(links)
    if x_default is not None:
        alternates.append(("x-default", origin + x_default.url))
    lines = "\n  ".join(
        f'<link rel="alternate" hreflang="{escape(code)}" href="{escape(url)}">' for code, url in alternates
    )
    return mark_safe(f'<link rel="canonical" href="{escape(origin + path)}">\n  {lines}')


@register.simple_tag
def language_switcher(links: list[LanguageLink]) -> str:
    """The language switcher: every language by its own name, the current one marked, missing ones explained."""
    current = get_language()
    missing_title = escape(gettext("Not translated into this language yet"))
    not_yet = escape(gettext("not translated yet"))
    missing_note = f'<span class="visually-hidden" lang="{escape(current)}"> ({not_yet})</span>'
    items = []
    for link in links:
        marks = ' aria-current="page"' if link.current else ""
        if not link.available:
            marks = f'{marks} class="lang-missing" title="{missing_title}"'
        code = escape(link.code)
        items.append(
            f'    <li>\n      <a href="{escape(link.switch_url)}" lang="{code}" hreflang="{code}"{marks}>'
            f"{escape(link.name)}{'' if link.available else missing_note}</a>\n    </li>"
        )
    label = escape(gettext("Choose a language"))
    return mark_safe(f'<nav class="switcher" aria-label="{label}">\n  <ul>\n' + "\n".join(items) + "\n  </ul>\n</nav>")

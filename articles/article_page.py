"""The reader's article page, written in Python around a shell of its template.

Every save renders an article's page in each language it is published in (articles/pages.py), so an import renders
five pages an article; Django's template engine made most of their cost (base, header, footer, a dozen tags and
translations a page). Everything that depends on the article is a slot of templates/articles/detail.html, filled
with a value made here (text escaped, as the template's autoescaping escapes it); the rest of the page, which
depends only on the language, is the template's own output, rendered once per language, mount point and shape
(`_shell`): what the template's `{% if %}`s decide (a description, a table of contents, a notice) and the count its
plural depends on. The template stays the page's one description: the view renders it directly (`article_page_context`
gives it the same values), and a test compares the two for every kind of article.
"""

from dataclasses import replace
from html import escape

from django.template.defaultfilters import date
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from articles.models import Article
from articles.reading_aids import add_reading_aids
from articles.selectors import ReaderNotice, TocItem, article_reader_notice, article_toc
from core.page_shells import Shell, Shells, fill, mark
from core.stored_pages import PAGE_ORIGIN
from core.switcher import LanguageLink
from core.templatetags.page_tags import alternate_links, language_switcher

TEMPLATE = "articles/detail.html"
# Slots whose value is text, escaped as the template escapes it: the article's, and the outdated notice's (its link
# to the source language's version); slots whose value is HTML made here.
TEXT_SLOTS = ("title", "description", "updated_iso", "updated", "slug")
NOTICE_SLOTS = ("source_url", "source_name", "source_code")
HTML_SLOTS = ("alternates", "switcher", "toc", "body")
# base.html's default language links, which a request's context processor gives: the page's own stand for them.
UNUSED = {"home_language_links": ()}


def article_page_context(article: Article, language: str, *, links: list[LanguageLink]) -> dict:
    """What templates/articles/detail.html shows of `article` in `language` (active, and published there).

    `links` are the article's language links (articles.selectors.article_language_links), in any language: the
    current one is marked here, so that an article's pages share one list.
    """
    links = [replace(link, current=link.code == language) for link in links]
    updated = template_localtime(article.updated)  # as the `date` filter is given a datetime in a template
    return {
        "title": article.value("display_title", language),
        "description": article.value("display_description", language),
        "updated_iso": date(updated, "Y-m-d"),
        "updated": date(updated, "DATE_FORMAT"),
        "slug": article.slug,
        "notice": article_reader_notice(article, language),
        "alternates": alternate_links(
            {"page_origin": PAGE_ORIGIN, "page_path": article.get_absolute_url(language)}, links
        ),
        "switcher": language_switcher(links),
        "toc": toc_list(toc) if (toc := article_toc(article, language)) else "",
        "body": with_reading_aids(article.html(language)),
        **UNUSED,
    }


def toc_list(items: list[TocItem]) -> SafeString:
    """The table of contents as nested lists: h2 entries, each with its h3 entries."""
    entries = []
    for item in items:
        children = "".join(
            f'<li><a href="#{escape(child.id)}">{escape(child.title)}</a></li>' for child in item.children
        )
        nested = f"<ol>{children}</ol>" if item.children else ""
        entries.append(f'<li><a href="#{escape(item.id)}">{escape(item.title)}</a>{nested}</li>')
    # Safe: every value in it is escaped here.
    return mark_safe("<ol>\n      " + "\n      ".join(entries) + "\n    </ol>")


def with_reading_aids(body: SafeString) -> SafeString:
    """The article body with an anchor link beside each h2 and h3 and labelled table cells (articles/reading_aids)."""
    label = gettext("Link to the section “%(title)s”")
    # Safe: the body is markup/'s sanitised HTML copied through unchanged; the only additions are built here with
    # every value escaped.
    return mark_safe(add_reading_aids(str(body), anchor_label=lambda title: label % {"title": title}))


def article_page(context: dict) -> str:
    """The page the template renders from `context` (article_page_context's), with the shell of its language."""
    notice: ReaderNotice = context["notice"]
    filled = {slot: escape(context[slot]) for slot in TEXT_SLOTS} | {slot: context[slot] for slot in HTML_SLOTS}
    if notice.outdated:
        filled |= {
            "source_url": escape(notice.source_url),
            "source_name": escape(notice.source_name),
            "source_code": escape(notice.source_language),
        }
    shape = (bool(context["description"]), notice.outdated, notice.errors, bool(context["toc"]))
    return fill(_shell(get_script_prefix(), shape), filled)


SHELLS = Shells(TEMPLATE)


def _shell(script_prefix: str, shape: tuple[bool, bool, int, bool]) -> Shell:
    """The article page of `shape` in the active language, cut at the slots (core.page_shells).

    One per language, mount point and shape: links and static files' addresses depend on the first two, the
    template's conditions on the shape.
    """
    has_description, outdated, errors, has_toc = shape
    wanted = {*TEXT_SLOTS, *HTML_SLOTS, *(NOTICE_SLOTS if outdated else ())}
    wanted -= {*(() if has_description else ("description",)), *(() if has_toc else ("toc",))}

    def context() -> dict:
        notice = ReaderNotice(
            outdated=outdated,
            source_language=mark("source_code") if outdated else "",
            source_name=mark("source_name") if outdated else "",
            source_url=mark("source_url") if outdated else "",
            errors=errors,
        )
        return {slot: mark(slot) if slot in wanted else "" for slot in (*TEXT_SLOTS, *HTML_SLOTS)} | {
            "notice": notice,
            **UNUSED,
        }

    return SHELLS.get((get_language(), script_prefix, shape), context=context, slots=wanted)

"""Search in the database, per language; substring matching, so Korean and Chinese (no spaces) work too."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article
from glossary.languages import language_codes
from glossary.models import TermName

MAX_QUERY_LENGTH = 100
MAX_RESULTS = 50
SNIPPET_RADIUS = 80
_WIDE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]")


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title: str
    snippet: SafeString


@dataclass(frozen=True)
class SearchResults:
    query: str
    problem: str  # "", "empty", "short"
    articles: list[ArticleHit]
    names: list[TermName]
    elsewhere: dict[str, int]  # other languages with hits, when this one has none

    @property
    def found(self) -> bool:
        return bool(self.articles or self.names)


def clean_query(raw: str) -> tuple[str, str]:
    """Normalise a query; say why it cannot be searched ("empty", "short") or return it with no problem."""
    # Control characters (NUL above all, which PostgreSQL text cannot hold) are never part of a word.
    printable = "".join(char for char in raw if unicodedata.category(char) != "Cc" or char.isspace())
    query = " ".join(printable.split())[:MAX_QUERY_LENGTH]
    if not query:
        return "", "empty"
    if len(query) < 2 and not _WIDE.search(query):
        return query, "short"  # one Latin letter matches everything; one Han or Hangul character is a word
    return query, ""


def _article_filter(query: str, language: str) -> Q:
    title = build_localized_fieldname("display_title", language)
    text = build_localized_fieldname("body_text", language)
    return Q(**{f"{title}__icontains": query}) | Q(**{f"{text}__icontains": query})


def search(*, raw_query: str, language: str) -> SearchResults:
    """Find articles (title and text) and term names (all forms) in `language` containing the query."""
    query, problem = clean_query(raw_query)
    if problem:
        return SearchResults(query, problem, [], [], {})
    articles = [
        article
        for article in Article.objects.filter(_article_filter(query, language)).order_by("slug")[:MAX_RESULTS]
        if article.has_language(language)
    ]
    hits = [
        ArticleHit(
            article, article.value("display_title", language), snippet(article.value("body_text", language), query)
        )
        for article in articles
    ]
    names = list(
        TermName.objects.filter(language=language, name__icontains=query)
        .select_related("term")
        .order_by("sort_key")[:MAX_RESULTS]
    )
    elsewhere = {}
    if not hits and not names:
        for code in language_codes():
            if code == language:
                continue
            count = Article.objects.filter(_article_filter(query, code)).count()
            count += TermName.objects.filter(language=code, name__icontains=query).count()
            if count:
                elsewhere[code] = count
    return SearchResults(query, "", hits, names, elsewhere)


def snippet(text: str, query: str) -> SafeString:
    """Cut the text around the first match and mark every match; everything is escaped first."""
    position = text.casefold().find(query.casefold())
    if position < 0:
        part = text[: SNIPPET_RADIUS * 2]
        return mark_safe(html.escape(part))
    start = max(0, position - SNIPPET_RADIUS)
    end = min(len(text), position + len(query) + SNIPPET_RADIUS)
    part = text[start:end]
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(part):
        pieces.append(html.escape(part[last : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(html.escape(part[last:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    # Safe: every piece of the text was escaped; only <mark> is ours.
    return mark_safe(prefix + "".join(pieces) + suffix)

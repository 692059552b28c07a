"""Search in the database, per language, by substring: Korean and Chinese have no spaces between words.

Every word of the query must occur in an article's title, description or text, or in a name of a term. Both sides
are folded (NFC and case folding, glossary.collation.fold): articles' texts on save into ArticleVersion.search_text, one
row per published language version, names into TermName.folded_name. So matching is a plain LIKE on every
database, and RÉSEAUX finds réseaux on SQLite as on PostgreSQL. An index (articles/search_index.py: pg_trgm and
FTS5 trigrams, and Han/Hangul characters and pairs for 1–2-character words) narrows the rows LIKE reads.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import ClassVar

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, ArticleVersion
from articles.search_index import indexed_matches
from core.languages import language_codes
from glossary.collation import fold
from glossary.models import Term, TermName
from glossary.selectors import DisplayName, term_display_name

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_RESULTS = 50
SNIPPET_RADIUS = 80
# Hangul, kana and Han: one such character is a word, where one Latin letter would match nearly everything.
_WIDE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]")


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]
    problem: str  # "", "empty" or "short"
    truncated: bool  # only the first `limit` characters were searched
    limit: ClassVar[int] = MAX_QUERY_LENGTH


def clean_query(raw: str) -> Query:
    """Normalise a query into the words to look for, or say why it cannot be searched."""
    # Control characters (NUL above all, which PostgreSQL text cannot hold) are never part of a word.
    printable = "".join(char for char in raw if unicodedata.category(char) != "Cc" or char.isspace())
    text = " ".join(unicodedata.normalize("NFC", printable).split())
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH].strip()
    words = tuple(dict.fromkeys(text.split(), None))[:MAX_WORDS]
    if not text:
        return Query("", (), "empty", False)
    if len(text.replace(" ", "")) < 2 and not _WIDE.search(text):
        return Query(text, words, "short", False)
    return Query(text, words, "", truncated)


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class TermHit:
    term: Term
    name: TermName  # the name that matched
    title: SafeString  # that name, matches marked
    display: DisplayName  # the name the term goes by in this language


@dataclass(frozen=True)
class SearchResults:
    query: Query
    articles: list[ArticleHit]
    terms: list[TermHit]
    elsewhere: dict[str, int]  # other languages with hits (articles and terms), when this one has none

    @property
    def found(self) -> bool:
        return bool(self.articles or self.terms)


def _every_word(field: str, words: tuple[str, ...]) -> Q:
    return reduce(and_, (Q(**{f"{field}__contains": fold(word)}) for word in words))


def _name_match(words: tuple[str, ...]) -> Q:
    # Names are stored folded too (TermName.folded_name): a plain LIKE, no function call per row.
    return reduce(and_, (Q(folded_name__contains=fold(word)) for word in words))


def search(*, raw_query: str, language: str) -> SearchResults:
    """Find the articles and terms readable in `language` whose text or names contain every word of the query."""
    query = clean_query(raw_query)
    if query.problem:
        return SearchResults(query, [], [], {})
    articles = _article_hits(query.words, language)
    terms = _term_hits(query.words, language)
    elsewhere = {} if articles or terms else _elsewhere(query.words, language)
    return SearchResults(query, articles, terms, elsewhere)


def _article_hits(words: tuple[str, ...], language: str) -> list[ArticleHit]:
    """Published versions containing every word, those with every word in the title first, then by title."""
    title_rank = Case(When(_every_word("search_title", words), then=Value(0)), default=1, output_field=IntegerField())
    found = list(
        ArticleVersion.objects.filter(
            indexed_matches(words), _every_word("search_text", words), language=language, published=True
        )
        .annotate(title_rank=title_rank)
        .order_by("title_rank", "search_title", "article_id")
        .values_list("pk", flat=True)[:MAX_RESULTS]
    )
    shown = ("article__slug", "display_title", "display_description", "body_text")
    versions = ArticleVersion.objects.select_related("article").only(*shown).in_bulk(found)
    hits = []
    for version in (versions[pk] for pk in found if pk in versions):
        body, summary = version.body_text, version.display_description
        source = body if _first_match(body, words) or not _first_match(summary, words) else summary
        hits.append(ArticleHit(version.article, highlight(version.display_title, words), snippet(source, words)))
    return hits


def _term_hits(words: tuple[str, ...], language: str) -> list[TermHit]:
    """One hit per term, through its best matching name: confirmed first, then preferred, admitted, deprecated."""
    status_rank = Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(TermName.Status.values)),
        output_field=IntegerField(),
    )
    names = (
        TermName.objects.filter(_name_match(words), language=language)
        .select_related("term")
        # The term has a name in `language` (it matched), so its display name is among its names in `language`.
        .prefetch_related(Prefetch("term__names", queryset=TermName.objects.filter(language=language).order_by()))
        .order_by("-confirmed", status_rank, "sort_key", "pk")
    )
    hits: dict[int, TermHit] = {}
    for name in names[: MAX_RESULTS * 3]:
        if name.term_id not in hits:
            display = term_display_name(name.term, language=language)
            hits[name.term_id] = TermHit(name.term, name, highlight(name.name, words), display)
    return list(hits.values())[:MAX_RESULTS]


def _elsewhere(words: tuple[str, ...], language: str) -> dict[str, int]:
    """Count the hits of the same query in every other language, in two queries."""
    others = [code for code in language_codes() if code != language]
    counts = dict.fromkeys(others, 0)
    articles = (
        ArticleVersion.objects.filter(
            indexed_matches(words), _every_word("search_text", words), language__in=others, published=True
        )
        .values_list("language")
        .annotate(articles=Count("id"))
        .order_by()
    )
    names = (
        TermName.objects.filter(_name_match(words), language__in=others)
        .values_list("language")
        .annotate(terms=Count("term", distinct=True))
        .order_by()
    )
    for code, count in [*articles, *names]:
        counts[code] += count
    return {code: count for code, count in counts.items() if count}


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    """Match the whole query first, then any of its words, longest first."""
    phrase = " ".join(words)
    alternatives = sorted({phrase, *words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(alternative) for alternative in alternatives), re.IGNORECASE)


def _first_match(text: str, words: tuple[str, ...]) -> re.Match | None:
    return _pattern(words).search(text) if words else None


def highlight(text: str, words: tuple[str, ...]) -> SafeString:
    """Escape the text and wrap every occurrence of the query or one of its words in <mark>."""
    if not words:
        return mark_safe(html.escape(text))  # Safe: escaped.
    pieces, last = [], 0
    for match in _pattern(words).finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(html.escape(text[last:]))
    # Safe: every piece of the text was escaped; only <mark> is ours.
    return mark_safe("".join(pieces))


def snippet(text: str, words: tuple[str, ...]) -> SafeString:
    """Cut the text around the first match, marking every match in the cut; the start when nothing matches."""
    match = _first_match(text, words)
    if match is None:
        part = text[: SNIPPET_RADIUS * 2]
        suffix = " …" if len(text) > len(part) else ""
        return mark_safe(html.escape(part) + suffix)  # Safe: escaped.
    start = max(0, match.start() - SNIPPET_RADIUS)
    end = min(len(text), match.end() + SNIPPET_RADIUS)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    # Safe: highlight escapes the text; the ellipses are ours.
    return mark_safe(prefix + highlight(text[start:end], words) + suffix)

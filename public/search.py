"""Search in the database, per language, by substring: Korean and Chinese have no spaces between words.

Every word of the query must occur in an article's title, description or text, or in a name of a term. Both sides
are folded (NFC and case folding, glossary.collation.fold): articles' texts on save into ArticleVersion.search_text, one
row per published language version, names into TermName.folded_name. So matching is a plain LIKE on every
database, and RÉSEAUX finds réseaux on SQLite as on PostgreSQL. An index (articles/search_index.py: pg_trgm and
FTS5 trigrams, and Han/Hangul characters and pairs for 1–2-character words) narrows the rows LIKE reads, or on
SQLite decides alone for words of 3 characters or more.
A page shows PAGE_SIZE articles and PAGE_SIZE terms (`?page=N` pages both lists) with the count of each: only the
page's rows are read whole, and only their snippets are made.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import and_
from typing import ClassVar

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Length
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, ArticleVersion
from articles.search_index import rows_holding_every_word
from core.languages import language_codes
from glossary.collation import fold, fold_with_positions
from glossary.models import Term, TermName
from glossary.search_index import names_holding_every_word
from glossary.selectors import DisplayName, term_display_name

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
PAGE_SIZE = 10  # articles, and terms, a page
SNIPPET_RADIUS = 80
MATCH_PIECE = 2000  # characters of a text folded at a time to find its first match
MAX_CANDIDATES = 500  # near misses compared in Python, at most, per kind (names, titles)
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
    articles: list[ArticleHit]  # the articles of the page shown
    terms: list[TermHit]  # the terms of the page shown
    elsewhere: dict[str, int]  # other languages with hits (articles and terms), when this one has none
    did_you_mean: str = ""  # a term name or title one or two edits away, when nothing matched
    article_count: int = 0  # every matching article, on every page
    term_count: int = 0
    page: int = 1  # the page shown: PAGE_SIZE articles and PAGE_SIZE terms, each list ranked on its own
    pages: int = 1

    @property
    def found(self) -> bool:
        return bool(self.article_count or self.term_count)


def _every_word(field: str, words: tuple[str, ...]) -> Q:
    return reduce(and_, (Q(**{f"{field}__contains": fold(word)}) for word in words))


def page_number(raw: str | None, *, pages: int) -> int:
    """Return the page asked for within 1..pages: the first for anything but a number, the last past the end."""
    if not raw or not raw.isascii() or not raw.isdigit():
        return 1
    digits = raw.lstrip("0")
    # More than 12 digits is past any last page; int() of thousands of digits would cost (and refuse past 4,300).
    return max(1, min(pages, int(digits or "0") if len(digits) <= 12 else pages))


def search(*, raw_query: str, language: str, page: str | None = None) -> SearchResults:
    """Find the articles and terms readable in `language` whose text or names contain every word of the query.

    Both lists are counted whole and one page of each is read: PAGE_SIZE articles and PAGE_SIZE terms.
    """
    query = clean_query(raw_query)
    if query.problem:
        return SearchResults(query, [], [], {})
    articles = _matching_versions(query.words, language)
    article_count = articles.count()
    name_ids = _best_names(query.words, language)
    term_count = len(name_ids)
    if not article_count and not term_count:
        elsewhere = _elsewhere(query.words, language)
        return SearchResults(query, [], [], elsewhere, did_you_mean(query.text, language=language))
    pages = max(-(-article_count // PAGE_SIZE), -(-term_count // PAGE_SIZE))
    number = page_number(page, pages=pages)
    start, end = (number - 1) * PAGE_SIZE, number * PAGE_SIZE
    return SearchResults(
        query,
        _article_hits(articles, query.words, start, end) if start < article_count else [],
        _term_hits(name_ids[start:end], query.words, language) if start < term_count else [],
        {},
        article_count=article_count,
        term_count=term_count,
        page=number,
        pages=pages,
    )


def _matching_versions(words: tuple[str, ...], language: str):
    return ArticleVersion.objects.filter(rows_holding_every_word(words), language=language, published=True)


def _article_hits(versions, words: tuple[str, ...], start: int, end: int) -> list[ArticleHit]:
    """Published versions containing every word, those with every word in the title first, then by title."""
    title_rank = Case(When(_every_word("search_title", words), then=Value(0)), default=1, output_field=IntegerField())
    ranking = ("title_rank", "search_title", "article_id")
    page = versions.annotate(title_rank=title_rank).order_by(*ranking).values("pk")[start:end]
    # The texts are read for the page's rows only: sorting every match with its text would copy every text.
    shown = (
        ArticleVersion.objects.filter(pk__in=page)
        .annotate(title_rank=title_rank)
        .order_by(*ranking)
        .select_related("article")
        .only("article__slug", "display_title", "display_description", "body_text")
    )
    hits = []
    for version in shown:
        body, summary = version.body_text, version.display_description
        source = body if _first_match(body, words) or not _first_match(summary, words) else summary
        hits.append(ArticleHit(version.article, highlight(version.display_title, words), snippet(source, words)))
    return hits


def _best_names(words: tuple[str, ...], language: str) -> list[int]:
    """Return the id of each matching term's best matching name, best first: confirmed, then preferred, admitted,
    deprecated, then in the language's order.

    Only two numbers are read for each matching name: the page's names are read whole afterwards (_term_hits), and
    the length of the list is the number of terms found.
    """
    status_rank = Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(TermName.Status.values)),
        output_field=IntegerField(),
    )
    ranked = (
        TermName.objects.filter(names_holding_every_word(words, languages=[language]))
        .order_by(F("confirmed").desc(), status_rank, "sort_key", "pk")
        .values_list("term_id", "pk")
    )
    best: dict[int, int] = {}
    for term_id, pk in ranked:
        best.setdefault(term_id, pk)
    return list(best.values())


def _term_hits(name_ids: list[int], words: tuple[str, ...], language: str) -> list[TermHit]:
    """One hit per term, through the given name (its best matching one), with the name the term goes by."""
    names = (
        TermName.objects.filter(pk__in=name_ids)
        .select_related("term")
        .prefetch_related(
            # The term has a name in `language` (it matched), so its display name is among its names in `language`.
            Prefetch("term__names", queryset=TermName.objects.filter(language=language).order_by())
        )
        .in_bulk()
    )
    return [
        TermHit(name.term, name, highlight(name.name, words), term_display_name(name.term, language=language))
        for name in (names[pk] for pk in name_ids)
    ]


def _elsewhere(words: tuple[str, ...], language: str) -> dict[str, int]:
    """Count the hits of the same query in every other language, in two queries."""
    others = [code for code in language_codes() if code != language]
    counts = dict.fromkeys(others, 0)
    articles = (
        ArticleVersion.objects.filter(rows_holding_every_word(words), language__in=others, published=True)
        .values_list("language")
        .annotate(articles=Count("id"))
        .order_by()
    )
    names = (
        TermName.objects.filter(names_holding_every_word(words, languages=others))
        .values_list("language")
        .annotate(terms=Count("term", distinct=True))
        .order_by()
    )
    for code, count in [*articles, *names]:
        counts[code] += count
    return {code: count for code, count in counts.items() if count}


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Return the Levenshtein distance of a and b, or limit + 1 as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _allowed_edits(folded: str) -> int:
    return 1 if len(folded) < 6 else 2


def did_you_mean(text: str, *, language: str) -> str:
    """Return the term name or article title of `language` nearest to the query, if one or two edits away.

    Two queries whatever the size of the glossary: candidates share the query's first letter and nearly its length.
    """
    folded = fold(text)
    if len(folded) < 3:
        return ""
    limit = _allowed_edits(folded)
    lengths = (len(folded) - limit, len(folded) + limit)
    names = (
        TermName.objects.filter(language=language, folded_name__startswith=folded[0])
        .annotate(length=Length("folded_name"))
        .filter(length__range=lengths)
        .values_list("name", "folded_name")[:MAX_CANDIDATES]
    )
    titles = (
        ArticleVersion.objects.filter(language=language, published=True, search_title__startswith=folded[0])
        .annotate(length=Length("search_title"))
        .filter(length__range=lengths)
        .values_list("display_title", "search_title")[:MAX_CANDIDATES]
    )
    best = (limit + 1, "")
    for shown, candidate in [*titles, *names]:
        distance = edit_distance(folded, candidate, limit=limit)
        if 0 < distance < best[0] or (distance == best[0] and shown < best[1]):
            best = (distance, shown)
    return best[1] if best[0] <= limit else ""


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    """Match the whole query first, then any of its words, longest first; on folded text."""
    phrase = fold(" ".join(words))
    alternatives = sorted({phrase, *(fold(word) for word in words)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(alternative) for alternative in alternatives if alternative))


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _matches(text: str, words: tuple[str, ...]) -> list[Span]:
    """Return where the query's words occur in `text`, comparing folded forms (reseaux marks réseaux)."""
    if not words:
        return []
    folded, origins = fold_with_positions(text)
    pattern = _pattern(words)
    return [Span(origins[m.start()], origins[m.end() - 1] + 1) for m in pattern.finditer(folded) if m.end() > m.start()]


def _first_match(text: str, words: tuple[str, ...]) -> Span | None:
    """Return the first place the query's words occur in `text`, folding it a piece at a time until one is found.

    A match is most often near the start of a long text, and folding is per character, so a piece folds as it
    would within the whole text. Pieces overlap by more than any match's length, so none is cut in two.
    """
    if not words:
        return None
    pattern = _pattern(words)
    overlap = 4 * len(pattern.pattern) + 16  # a match's folded length is at most its pattern's (escapes included)
    for start in range(0, max(len(text), 1), MATCH_PIECE):
        folded, origins = fold_with_positions(text[start : start + MATCH_PIECE + overlap])
        match = next((m for m in pattern.finditer(folded) if m.end() > m.start()), None)
        if match is not None and origins[match.start()] < MATCH_PIECE:
            return Span(start + origins[match.start()], start + origins[match.end() - 1] + 1)
    return None


def highlight(text: str, words: tuple[str, ...]) -> SafeString:
    """Escape the text and wrap every occurrence of the query or one of its words in <mark>."""
    text = unicodedata.normalize("NFC", text)
    pieces, last = [], 0
    for span in _matches(text, words):
        if span.start < last:
            continue
        pieces.append(html.escape(text[last : span.start]))
        pieces.append(f"<mark>{html.escape(text[span.start : span.end])}</mark>")
        last = span.end
    pieces.append(html.escape(text[last:]))
    # Safe: every piece of the text was escaped; only <mark> is ours.
    return mark_safe("".join(pieces))


def _cut_start(text: str, start: int, limit: int) -> int:
    """Move a cut forward to the start of a word (any character in Chinese and Japanese), not past `limit`."""
    if start == 0 or _WIDE.match(text[start]) or text[start - 1].isspace():
        return start
    space = next((i for i in range(start, limit) if text[i].isspace()), None)
    return limit if space is None else space + 1


def _cut_end(text: str, end: int, limit: int) -> int:
    """Move a cut back to the end of a word, not before `limit`."""
    if end >= len(text) or _WIDE.match(text[end - 1]) or text[end].isspace():
        return end
    space = next((i for i in range(end - 1, limit - 1, -1) if text[i].isspace()), None)
    return limit if space is None else space


def snippet(text: str, words: tuple[str, ...]) -> SafeString:
    """Cut the text around the first match at word boundaries, marking every match in the cut; else the start."""
    text = unicodedata.normalize("NFC", text)
    match = _first_match(text, words)
    if match is None:
        start, end = 0, _cut_end(text, min(len(text), SNIPPET_RADIUS * 2), SNIPPET_RADIUS)
    else:
        start = _cut_start(text, max(0, match.start - SNIPPET_RADIUS), match.start)
        end = _cut_end(text, min(len(text), match.end + SNIPPET_RADIUS), match.end)
    part = text[start:end].strip()
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    # Safe: highlight escapes the text; the ellipses are ours.
    return mark_safe(prefix + highlight(part, words) + suffix)

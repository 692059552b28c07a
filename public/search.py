"""Search in the database, per language, by substring: Korean and Chinese have no spaces between words.

Every word of the query must occur in an article's title, description or text, or in a name of a term. Both sides
are folded (NFC and case folding, glossary.collation.fold): articles' texts on save into ArticleVersion.search_text, one
row per published language version, names into TermName.folded_name. So matching is a plain LIKE on every
database, and RÉSEAUX finds réseaux on SQLite as on PostgreSQL. An index (articles/search_index.py: pg_trgm and
FTS5 trigrams, and Han/Hangul characters and pairs) narrows the rows LIKE reads, or decides alone where it is exact:
on SQLite for words of 3 characters or more, on both for Chinese, Japanese and Korean words of 1 or 2 letters.
A page shows PAGE_SIZE articles and PAGE_SIZE terms (`?page=N` pages both lists) with the count of each: only the
page's rows are read whole, and only their snippets are made.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.safestring import SafeString
from rapidfuzz.distance import Levenshtein

from articles.search_index import HIT_INDEX, rows_holding_every_word
from core.languages import language_codes
from core.links import slug_url
from core.stored_pages import prepared_execute, sqlite_execute
from glossary.collation import fold, fold_with_positions
from glossary.models import TermName
from glossary.search_index import containing, names_holding_every_word, prefix_range
from glossary.selectors import DisplayName, NamedTerm, display_name

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
PAGE_SIZE = 10  # articles, and terms, a page
MAX_PAGES = 10**12  # more pages than any search has: a page number past it is past the end
SNIPPET_RADIUS = 80
MATCH_PIECE = 200  # characters of a text folded first to find its first match (then 400, 800...)
MAX_CANDIDATES = 500  # near misses compared, at most, per kind (names, titles)
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
    # Every word one letter, digit or sign (but a Chinese, Japanese or Korean character, a word of its own): nearly
    # every text holds such a word, which no index finds (no trigram, no pair), so LIKE would read the language's
    # texts, to their ends where it is rare: "ꙮ ꙭ" took 100 ms at 1,000 articles.
    if all(len(fold(word)) < 2 and not _WIDE.search(word) for word in words):
        return Query(text, words, "short", False)
    return Query(text, words, "", truncated)


# Tuples, as NameRow below: some forty of these are made a search, and a frozen dataclass takes twice as long.
class FoundArticle(NamedTuple):
    """An article as a search hit links to it."""

    slug: str
    language: str

    def get_absolute_url(self) -> str:
        return slug_url("articles:detail", slug=self.slug, language=self.language)


class FoundName(NamedTuple):
    """The name of a term that matched, with what the page says of it."""

    name: str
    status: str
    confirmed: bool


class ArticleHit(NamedTuple):
    article: FoundArticle
    title: SafeString
    snippet: SafeString


class TermHit(NamedTuple):
    term: NamedTerm
    name: FoundName  # the name that matched
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


def page_number(raw: str | None, *, pages: int) -> int:
    """Return the page asked for within 1..pages: the first for anything but a number, the last past the end."""
    if not raw or not raw.isascii() or not raw.isdigit():
        return 1
    digits = raw.lstrip("0")
    # More than 12 digits is past any last page; int() of thousands of digits would cost (and refuse past 4,300).
    return max(1, min(pages, int(digits or "0") if len(digits) <= 12 else pages))


def search(*, raw_query: str, language: str, page: str | None = None) -> SearchResults:
    """Find the articles and terms readable in `language` whose text or names contain every word of the query.

    Both lists are counted whole and one page of each is read: PAGE_SIZE articles and PAGE_SIZE terms, in three
    queries (two when no term is on the page; a miss is the names and the articles, then one query for the other
    languages and one for "did you mean"). The queries are SQL, their matching articles.search_index's and
    glossary.search_index's: building them with the ORM took longer than the database took to answer them.
    """
    query = clean_query(raw_query)
    if query.problem:
        return SearchResults(query, [], [], {})
    names = _ranked_names(query.words, language)
    best_name = dict(reversed(names))  # each term's first name: of the reversed rows, the last one written stays
    term_count = len(best_name)
    asked = page_number(page, pages=MAX_PAGES)
    article_count, articles = _article_page(query.words, language, asked=asked, term_pages=-(-term_count // PAGE_SIZE))
    if not article_count and not term_count:
        elsewhere = _elsewhere(query.words, language)
        return SearchResults(query, [], [], elsewhere, did_you_mean(query.text, language=language))
    pages = max(-(-article_count // PAGE_SIZE), -(-term_count // PAGE_SIZE))
    number = min(asked, pages)  # as _article_page chose it
    shown = [(term, best_name[term]) for term in _terms_ranked(names, (number - 1) * PAGE_SIZE, number * PAGE_SIZE)]
    return SearchResults(
        query,
        articles,
        _term_hits(shown, query.words, language) if shown else [],
        {},
        article_count=article_count,
        term_count=term_count,
        page=number,
        pages=pages,
    )


def _rows(sql: str, params: list, *, prepare: bool | None = None) -> list[tuple]:
    """Run one of the search's queries and return its rows.

    Through the driver's cursor, unless queries are logged or wrapped (tests, debugging): Django's cursor took
    16 µs of the 18 a short query took on SQLite, 19 of 48 on PostgreSQL, and a search runs three or four. On
    PostgreSQL core.stored_pages.prepared_execute runs it, prepared and planned once:
    planning the article query took longer than running it, and the server's time of a search halved.
    `prepare=False` has a query planned for its values on each run.
    """
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks the thread's connection up on each use
    if db.vendor == "postgresql":
        return prepared_execute(sql, params, prepare=prepare).fetchall()
    return sqlite_execute(db, sql, params).fetchall()


def _every_word(column: str, words: tuple[str, ...]) -> tuple[str, list]:
    """SQL that is true where the folded `column` holds every word, and its parameters.

    On SQLite `instr`, which answers as LIKE '%word%' does on folded text (LIKE there ignores the case of ASCII
    letters only, and folded text has no capitals) in two thirds of its time: it ranks every hit of a search, 1,000
    for a word in every Korean article.
    """
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks the thread's connection up on each use
    folded = [fold(word) for word in words]
    if db.vendor == "sqlite":
        return " AND ".join(f"instr({column}, %s) > 0" for _ in folded), folded
    conditions, params = zip(*(containing(column, word) for word in folded), strict=True)
    return " AND ".join(conditions), list(params)


class VersionsRead(NamedTuple):
    """How a search's query reads the versions its condition finds: the table, and the language column to test."""

    table: str
    language: str


def _versions_read(versions: str, *, alias: str) -> VersionsRead:
    """How to read the versions the condition `versions` finds, as `alias`.

    On SQLite, where an FTS5 MATCH finds the rows:
    - the language column is `+language`: the language is then checked on the rows the index found, instead of
      SQLite's planner reading every version of the language by the language's index and looking each up in the
      index's list (it did: a planted word's page took 1.4 ms at 10,000 versions and 5.1 at 100,000);
    - where no LIKE reads their text either, the table is read through HIT_INDEX (articles migration 0021), which
      holds every column the search reads of a row it counts or ranks: SQLite's planner looked each id up in the
      table itself (the integer primary key), and the row's `article_id` lies past its long texts: 13 ms for 1,000
      Korean hits, against 0.3 through the index.
    Without a MATCH (LIKE decides) the language's index is the way in, as it was.
    """
    table, language = f"articles_articleversion {alias}", f"{alias}.language"
    if connection.vendor != "sqlite" or " MATCH " not in versions:
        return VersionsRead(table, language)
    if f"{alias}.search_text" not in versions:  # no LIKE reads the rows' texts
        table = f"{table} INDEXED BY {HIT_INDEX}"
    return VersionsRead(table, f"+{language}")


def _in_language(column: str, language: str) -> tuple[str, list]:
    """SQL true where `column` is `language`, and its parameters; on PostgreSQL checked before the text is read.

    PostgreSQL checks `column = value` after every other condition of a scan (it makes it an equivalence, whose
    conditions come last): on a table small enough to be read whole it compared every language's text, then dropped
    the other languages' rows. `(column = value) IS TRUE` stays first, as written, and no index serves it (an
    indexed second test made the language look five times rarer: the planner read every text of the language
    rather than ask the trigram index); the `=` is kept for the index, which holds the language with the trigrams
    (articles migration 0019).
    """
    if connection.vendor == "postgresql":
        return f"({column} = %s) IS TRUE AND {column} = %s", [language, language]
    return f"{column} = %s", [language]


def _article_page(
    words: tuple[str, ...], language: str, *, asked: int, term_pages: int
) -> tuple[int, list[ArticleHit]]:
    """Count the published versions of `language` containing every word, and read the page's: those with every word
    in the title first, then by title. One query, so the matching runs once (on PostgreSQL it reads every
    candidate's text): the page shown is the one asked for, or the last one of the longer list (articles' or terms').

    The page's rows are chosen on short columns, and only theirs are read whole: sorting every match with its text
    would copy every text.
    """
    versions, version_params = rows_holding_every_word(words, alias="v")
    in_title, title_params = _every_word("v.search_title", words)
    read = _versions_read(versions, alias="v")
    in_language, language_params = _in_language(read.language, language)
    table = read.table
    article_pages = f"(total + {PAGE_SIZE - 1}) / {PAGE_SIZE}"  # integers: division rounds down on both databases
    pages = f"CASE WHEN {article_pages} > %s THEN {article_pages} ELSE %s END"
    sql = (
        f"WITH matches AS (SELECT v.id, CASE WHEN {in_title} THEN 0 ELSE 1 END AS title_rank, v.search_title,"
        f" v.article_id FROM {table} WHERE {in_language} AND v.published AND {versions}),"
        " counted AS (SELECT COUNT(*) AS total FROM matches)"
        " SELECT counted.total, a.slug, shown.display_title, shown.display_description, shown.body_text"
        " FROM counted LEFT JOIN (SELECT m.id, m.title_rank, m.search_title, m.article_id FROM matches m"
        f" ORDER BY m.title_rank, m.search_title, m.article_id LIMIT {PAGE_SIZE}"
        f" OFFSET (SELECT (CASE WHEN %s < pages THEN %s ELSE pages END - 1) * {PAGE_SIZE}"
        f" FROM (SELECT {pages} AS pages FROM counted) counted_pages)) page ON TRUE"
        " LEFT JOIN articles_articleversion shown ON shown.id = page.id"
        " LEFT JOIN articles_article a ON a.id = shown.article_id"
        " ORDER BY page.title_rank, page.search_title, page.article_id"
    )
    # At least one page, so that the offset is never negative (it is a miss then, and nothing is read).
    term_pages = max(term_pages, 1)
    params = [*title_params, *language_params, *version_params, asked, asked, term_pages, term_pages]
    rows = _rows(sql, params)
    pattern, literal = _pattern(words), _literal(words)
    hits = []
    for _total, slug, title, summary, body in rows:
        if slug is None:
            continue
        found, read = _first_match_read(body, words)
        if found or not _first_match(summary, words):
            source, match = _normalized_to_match(body, found, read, words)
        else:
            source = unicodedata.normalize("NFC", summary)
            match = _first_match(source, words)
        marked = _marked(unicodedata.normalize("NFC", title), pattern, literal)
        hits.append(ArticleHit(FoundArticle(slug, language), marked, _snippet(source, match, pattern, literal)))
    return rows[0][0], hits


def _ranked_names(words: tuple[str, ...], language: str) -> list[tuple[int, int]]:
    """Return the matching names as (term, name) ids, best first: confirmed, then preferred, admitted, deprecated,
    then in the language's order. A term's first name is its best matching one.

    Only two numbers are read for each matching name: the page's names are read whole afterwards (_term_hits), and
    the number of terms found is the number of distinct first ids. (Choosing the best name per term in the
    database, with a window function, took longer on SQLite: it sorts the names twice.)
    """
    names, params = names_holding_every_word(words, alias="n", languages=[language])
    statuses = TermName.Status.values
    status_rank = f"CASE n.status {' '.join(f'WHEN %s THEN {rank}' for rank in range(len(statuses)))} END"
    sql = (
        f"SELECT n.term_id, n.id FROM glossary_termname n WHERE {names}"
        f" ORDER BY n.confirmed DESC, {status_rank}, n.sort_key, n.id"
    )
    return _rows(sql, [*params, *statuses])


def _terms_ranked(names: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """The terms ranked `start` to `end` (from 0) among the ranked names' (term, name) rows: in the order of their
    first name. Only the rows up to the page's last term are read: a word in a thousand names was a Python step for
    each, for the ten terms of the first page."""
    terms: dict[int, None] = {}
    for term, _name in names:
        if term not in terms:
            terms[term] = None
            if len(terms) == end:
                break
    return list(terms)[start:end]


def _term_hits(best: list[tuple[int, int]], words: tuple[str, ...], language: str) -> list[TermHit]:
    """One hit per term, through the given name (its best matching one), with the name the term goes by: one query
    for the terms and all their names in `language` (the term has a name there, it matched, so its display name is
    among them). The slug is read by the term's key for each name: joined, PostgreSQL read every term to hash them."""
    places = ", ".join(["%s"] * len(best))
    sql = (
        "SELECT m.term_id, (SELECT t.slug FROM glossary_term t WHERE t.id = m.term_id), m.id, m.language, m.name,"
        f" m.status, m.confirmed FROM glossary_termname m WHERE m.term_id IN ({places}) AND m.language = %s"
    )
    found: dict[int, tuple[str, list[NameRow]]] = {}
    for term_id, slug, pk, code, name, status, confirmed in _rows(sql, [*(term for term, _ in best), language]):
        found.setdefault(term_id, (slug, []))[1].append(NameRow(pk, code, name, status, bool(confirmed)))
    pattern, literal = _pattern(words), _literal(words)
    hits = []
    for term_id, name_id in best:
        slug, rows = found[term_id]
        hit = next(row for row in rows if row.id == name_id)
        display = display_name(rows, slug=slug, language=language)
        name = FoundName(hit.name, hit.status, hit.confirmed)
        marked = _marked(unicodedata.normalize("NFC", hit.name), pattern, literal)
        hits.append(TermHit(NamedTerm(slug, display), name, marked, display))
    return hits


class NameRow(NamedTuple):
    """A name as display_name reads it (a tuple: made ten times a search, faster than a dataclass)."""

    id: int
    language: str
    name: str
    status: str
    confirmed: bool


def _elsewhere(words: tuple[str, ...], language: str) -> dict[str, int]:
    """Count the hits of the same query in every other language, in one query."""
    others = [code for code in language_codes() if code != language]
    versions, version_params = rows_holding_every_word(words, alias="v")
    names, name_params = names_holding_every_word(words, alias="n", languages=others)
    places = ", ".join(["%s"] * len(others))
    read = _versions_read(versions, alias="v")
    sql = (
        f"SELECT v.language, COUNT(*) FROM {read.table} WHERE {read.language} IN ({places})"
        f" AND v.published AND {versions} GROUP BY v.language"
        f" UNION ALL SELECT n.language, COUNT(DISTINCT n.term_id) FROM glossary_termname n WHERE {names}"
        " GROUP BY n.language"
    )
    counts = dict.fromkeys(others, 0)
    for code, count in _rows(sql, [*others, *version_params, *name_params]):
        counts[code] += count
    return {code: count for code, count in counts.items() if count}


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Return the Levenshtein distance of a and b, or limit + 1 when it is more than `limit`.

    rapidfuzz's, in C++: "did you mean" compares the query with up to a thousand titles and names, which took tens
    of milliseconds in Python.
    """
    return Levenshtein.distance(a, b, score_cutoff=limit)


def _allowed_edits(folded: str) -> int:
    return 1 if len(folded) < 6 else 2


def did_you_mean(text: str, *, language: str) -> str:
    """Return the term name or article title of `language` nearest to the query, if one or two edits away.

    One query whatever the size of the glossary: candidates share the query's first letter and nearly its length.
    """
    folded = fold(text)
    if len(folded) < 3:
        return ""
    limit = _allowed_edits(folded)
    lengths = (len(folded) - limit, len(folded) + limit)
    title_starts, title_params = _starting_with("v.search_title", folded[0])
    name_starts, name_params = _starting_with("n.folded_name", folded[0])
    # LIMIT belongs to each half: inside a subquery, as SQLite wants it there. `published = true`, not `published`:
    # the titles' index (language, published, search_title) then serves the first letter too.
    sql = (
        "SELECT display_title, search_title FROM (SELECT v.display_title, v.search_title"
        f" FROM articles_articleversion v WHERE v.language = %s AND v.published = %s AND {title_starts}"
        " AND LENGTH(v.search_title) BETWEEN %s AND %s LIMIT %s) titles"
        " UNION ALL SELECT name, folded_name FROM (SELECT n.name, n.folded_name FROM glossary_termname n"
        f" WHERE n.language = %s AND {name_starts} AND LENGTH(n.folded_name) BETWEEN %s AND %s LIMIT %s) names"
    )
    # Planned for its values: a plan for any first letter would ask the names' trigram index for one it holds no
    # trigram of (a query of punctuation), and read the whole index.
    params = [language, True, *title_params, *lengths, MAX_CANDIDATES]
    params += [language, *name_params, *lengths, MAX_CANDIDATES]
    candidates = _rows(sql, params, prepare=False)
    best = (limit + 1, "")
    for shown, candidate in candidates:
        distance = edit_distance(folded, candidate, limit=limit)
        if 0 < distance < best[0] or (distance == best[0] and shown < best[1]):
            best = (distance, shown)
    return best[1] if best[0] <= limit else ""


def _starting_with(column: str, letter: str) -> tuple[str, list]:
    """SQL true where the folded `column` starts with `letter`, and its parameters.

    On SQLite a range of the column's values (glossary.search_index.prefix_range): an index on the column serves it,
    where LIKE 'x%' reads every row of the language (LIKE there ignores the case of ASCII letters, so its index
    would need NOCASE): "did you mean" read the 11,000 names of a language, 1.5 ms, to find none. Folded text has no
    capitals, so the range holds exactly the values LIKE would. On PostgreSQL, whose columns compare by the
    database's collation, LIKE, which its trigram indexes serve.
    """
    if connection.vendor != "sqlite":
        return f"{column} {connection.operators['startswith'] % '%s'}", [
            f"{connection.ops.prep_for_like_query(letter)}%"
        ]
    return prefix_range(column, letter)


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    """Match the whole query first, then any of its words, longest first; on folded text."""
    phrase = fold(" ".join(words))
    alternatives = sorted({phrase, *(fold(word) for word in words)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(alternative) for alternative in alternatives if alternative))


@lru_cache(maxsize=64)
def _literal(words: tuple[str, ...]) -> str | None:
    """The only text _pattern(words) matches, for a query of one word; None for several."""
    return (fold(words[0]) or None) if len(words) == 1 else None


class Span(NamedTuple):
    start: int
    end: int


def _first_match(text: str, words: tuple[str, ...]) -> Span | None:
    """Return the first place the query's words occur in `text`, folding it a piece at a time until one is found.

    A match is most often near the start of a long text, and folding is per character, so a piece folds as it
    would within the whole text. Pieces overlap by more than any match's length, so none is cut in two; each is
    twice the one before, so a text without a match is folded in few pieces.
    """
    return _first_match_read(text, words)[0]


def _first_match_read(text: str, words: tuple[str, ...]) -> tuple[Span | None, int]:
    """_first_match, and how much of the text's start it read: the match depends on nothing after it."""
    if not words:
        return None, 0
    pattern = _pattern(words)
    overlap = 4 * len(pattern.pattern) + 16  # a match's folded length is at most its pattern's (escapes included)
    start, size = 0, MATCH_PIECE
    while True:
        end = start + size + overlap
        folded, origins = fold_with_positions(text[start:end])
        match = next((m for m in pattern.finditer(folded) if m.end() > m.start()), None)
        if match is not None and origins[match.start()] < size:
            return Span(start + origins[match.start()], start + origins[match.end() - 1] + 1), end
        start += size
        if start >= len(text):
            return None, len(text)
        size *= 2


_ASCII = re.compile("[\x00-\x7f]")


def _normalized_to_match(text: str, found: Span | None, read: int, words: tuple[str, ...]) -> tuple[str, Span | None]:
    """The text a snippet is cut from, and its first match: its NFC form, and the first match there.

    That is `text` and `found` (its first match, found in the first `read` characters) when the text is NFC as far
    as the match was looked for and the snippet reads, as stored texts are; only that part is checked. NFC changes
    nothing before an ASCII character that follows a normalized part (no character composes or reorders with one
    across it), so the whole text's NFC begins with that part, and its match and snippet are the ones found in
    `text`. Checking whole texts took a quarter of a French page's search. A text without a match is checked whole.
    """
    if text.isascii():
        return text, found
    if found is not None:
        boundary = _ASCII.search(text, max(read, found.end + SNIPPET_RADIUS + 1))
        if unicodedata.is_normalized("NFC", text if boundary is None else text[: boundary.start()]):
            return text, found
    source = unicodedata.normalize("NFC", text)
    return source, found if source == text else _first_match(source, words)


def highlight(text: str, words: tuple[str, ...]) -> SafeString:
    """Escape the text and wrap every occurrence of the query or one of its words in <mark>."""
    text = unicodedata.normalize("NFC", text)
    # Safe: _marked escapes the text, as html.escape does.
    return _marked(text, _pattern(words)) if words else SafeString(html.escape(text))


# What html.escape replaces: a text without any is its own escape, as most titles, names and snippets are.
_UNSAFE = re.compile("[&<>\"']")


def escaped(text: str) -> str:
    """html.escape's result, found faster for the many texts that hold nothing to escape (links, names)."""
    return html.escape(text) if _UNSAFE.search(text) else text


def _marked(text: str, pattern: re.Pattern, literal: str | None = None) -> SafeString:
    """Escape the (NFC) text and wrap every match of the pattern, compared on folded text, in <mark>; `literal` is
    the only text the pattern matches, if it is one (_literal).

    A match that starts inside the one before it is skipped. Matches are found in the folded text and mapped back:
    reseaux marks réseaux.
    """
    folded, origins = fold_with_positions(text)
    unsafe = _UNSAFE.search(text) is not None
    if literal is not None and not unsafe and folded == text:
        # A text that is its own folded form and holds nothing to escape (Korean, Chinese), for one word: its matches
        # are the word's occurrences, left to right, as str.replace finds them (a third of the time of the loop).
        return SafeString(text.replace(literal, f"<mark>{literal}</mark>"))
    escape = html.escape if unsafe else str
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        start, end = match.span()
        if end == start:
            continue
        start, end = origins[start], origins[end - 1] + 1
        if start < last:
            continue
        pieces += (escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>")
        last = end
    pieces.append(escape(text[last:]))
    # Safe: every piece of the text was escaped; only <mark> is ours.
    return SafeString("".join(pieces))


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


def snippet(text: str, words: tuple[str, ...], match: Span | None = None) -> SafeString:
    """Cut the text around the first match at word boundaries, marking every match in the cut; else the start.

    `match` is the first match in `text` when the caller found it already.
    """
    text = unicodedata.normalize("NFC", text)
    return _snippet(text, match or _first_match(text, words), _pattern(words) if words else None)


def _snippet(text: str, match: Span | None, pattern: re.Pattern | None, literal: str | None = None) -> SafeString:
    """snippet() of an NFC text whose first match (None: it has none) is known; no pattern: no words; `literal` as
    _marked takes it."""
    if match is None:
        start, end = 0, _cut_end(text, min(len(text), SNIPPET_RADIUS * 2), SNIPPET_RADIUS)
    else:
        start = _cut_start(text, max(0, match.start - SNIPPET_RADIUS), match.start)
        end = _cut_end(text, min(len(text), match.end + SNIPPET_RADIUS), match.end)
    part = unicodedata.normalize("NFC", text[start:end].strip())
    marked = _marked(part, pattern, literal) if pattern is not None else html.escape(part)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    # Safe: _marked escapes the text; the ellipses are ours.
    return SafeString(prefix + marked + suffix)

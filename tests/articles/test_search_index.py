"""The folded text search compares, stored on every save for each published language version."""

import pytest

from articles.models import ArticleVersion
from core.languages import language_codes
from tests.conftest import save_edits, set_drafts


def test_import_stores_one_folded_text_per_published_language(imported):
    texts = {row.language: row for row in ArticleVersion.objects.filter(article=imported).exclude(search_text="")}

    assert sorted(texts) == sorted(language_codes())
    assert texts["fr"].search_title == "crowdsourcing"
    assert "reseaux sociaux" in texts["fr"].search_text  # the body, folded: case and accents ("Réseaux" in the source)
    assert texts["fr"].search_text == texts["fr"].search_text.casefold()


def test_a_draft_has_no_search_text_and_gets_it_back_when_published(imported):
    set_drafts(imported, "nb")
    assert ArticleVersion.objects.get(article=imported, language="nb").search_text == ""

    set_drafts(imported)
    assert ArticleVersion.objects.get(article=imported, language="nb").search_text != ""


def test_an_edit_is_searchable_at_once(imported):
    from public.search import search

    imported.set_value("body", "en", imported.value("body", "en") + "\nA brand-new Zeppelin paragraph.\n")
    save_edits(imported, languages=["en"])

    assert [hit.article.slug for hit in search(raw_query="ZEPPELIN", language="en").articles] == ["crowdsourcing"]


def test_grams_are_the_wide_characters_and_their_pairs():
    from articles.search_text import text_grams

    assert text_grams("众包 platform 크라우드") == "a f l m o p r t 众 众包 包 드 라 라우 우 우드 크 크라"
    assert text_grams('c# "x"\n\t\u3000¤') == '" # c x ¤'  # every character but whitespace, once


def _index_follows_the_rows() -> None:
    """Published rows are in the trigram index; those with Chinese, Japanese or Korean characters in the grams one."""
    from articles.search_index import GRAM_TABLE, TRIGRAM_TABLE

    published = ArticleVersion.objects.filter(published=True)
    assert _indexed_ids(TRIGRAM_TABLE) == set(published.values_list("pk", flat=True)) != set()
    assert _indexed_ids(GRAM_TABLE) == set(published.exclude(search_grams="").values_list("pk", flat=True))


def _indexed_ids(table: str) -> set[int]:
    """The ids of the rows whose words the FTS5 table holds (read from its index, not from the rows it reads)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_words\n USING fts5vocab(main, {table}, instance)"
        )
        cursor.execute(f"SELECT DISTINCT doc FROM temp.{table}_words")
        return {row[0] for row in cursor.fetchall()}


def test_the_sqlite_index_follows_every_save_and_unpublishing(imported):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its GIN indexes itself")
    set_drafts(imported, "nb")
    imported.set_value("body", "en", imported.value("body", "en") + "\nZeppelin.\n")
    save_edits(imported, languages=["en"])

    _index_follows_the_rows()
    assert ArticleVersion.objects.filter(published=True).count() == len(language_codes()) - 1


def test_sqlite_search_reads_its_candidates_from_the_index(imported):
    from django.db import connection

    from articles.search_index import TRIGRAM_TABLE
    from public.search import search

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 tables are SQLite's")
    assert search(raw_query="réseaux", language="fr").articles
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}) VALUES ('delete-all')")

    assert not search(raw_query="réseaux", language="fr").articles  # LIKE alone would still find it


@pytest.mark.parametrize(
    ("query", "index"),
    [("réseaux", "articles_version_words"), ("众", "articles_version_grams"), ("크라우드", "articles_version_words")],
)
def test_postgresql_search_can_use_its_gin_indexes(imported, query, index):
    from django.db import connection

    from articles.search_index import rows_holding_every_word

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm and the GIN indexes are PostgreSQL's")
    condition, params = rows_holding_every_word((query,), alias="v")
    with connection.cursor() as cursor:
        # Few rows here: make the planner show the plan it takes on a large table (GIN is read by bitmap scans).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN SELECT v.id FROM articles_articleversion v WHERE {condition}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan


def _copies(article, count: int, *, analyze: bool = True) -> None:
    """`count` copies of `article`'s rows (its term, the article, its language versions): a corpus of that size,
    written in one go, and (`analyze`) the planner's statistics of it."""
    import copy

    from django.db import connection

    from articles.models import Article, ArticleVersion
    from glossary.models import Term

    terms, articles = [], []
    first = Term.objects.count()  # slugs of their own, copies after copies
    for number in range(first, first + count):
        term = copy.copy(article.term)
        term.pk, term.slug = None, f"copy-{number}"
        terms.append(term)
    Term.objects.bulk_create(terms)
    for term in terms:
        row = copy.copy(article)
        row.pk, row.slug, row.term = None, term.slug, term
        articles.append(row)
    Article.objects.bulk_create(articles)
    versions = list(article.versions.all())
    rows = []
    for row in articles:
        for version in versions:
            version = copy.copy(version)
            version.pk, version.article = None, row
            rows.append(version)
    ArticleVersion.objects.bulk_create(rows)
    if analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_articleversion")


# A hit, a miss (the other languages are counted too), and one Chinese letter, in and out of its language.
INDEXED_QUERIES = [
    ("크라우드", "ko", "articles_version_words"),
    ("réseaux", "ko", "articles_version_words"),
    ("众", "zh-hans", "articles_version_grams"),
    ("众", "ko", "articles_version_grams"),
]


def test_postgresql_search_asks_its_indexes_at_two_hundred_articles(monkeypatch, imported):
    """The planner took splitting a text for as cheap as comparing two numbers, and up to about 1,000 articles read
    the language's rows and split every text rather than ask the index: 180 ms for a miss at 200 articles, 2-5
    through the index. The functions that split (articles 0029) say what a call costs; nothing is forced here.
    (At 50 articles one language's grams may still be split row by row: 51 short splits, under a millisecond, which
    the planner rightly finds cheaper than its guess of the index.)"""
    from django.db import connection

    import public.search

    if connection.vendor != "postgresql":
        pytest.skip("the GIN indexes are PostgreSQL's")
    _copies(imported, 200)
    run, statements = public.search._rows, []

    def kept(sql, params, **options):
        statements.append((sql, params))
        return run(sql, params, **options)

    monkeypatch.setattr(public.search, "_rows", kept)
    for query, language, index in INDEXED_QUERIES:
        statements.clear()
        public.search.search(raw_query=query, language=language)
        plans = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                if "articles_articleversion v" in sql and ("search_text" in sql or "search_grams" in sql):
                    cursor.execute(f"EXPLAIN {sql}", params)
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))

        assert plans, query
        for plan in plans:
            filters = [line for line in plan.splitlines() if line.strip().startswith("Filter:")]
            assert index in plan, (query, language)
            assert "Seq Scan on articles_articleversion" not in plan, (query, language)
            split = [line for line in filters if "search_text" in line or "search_grams" in line]
            assert not split, (query, language)  # no text split row by row


SAMPLES = {
    "alpha": {
        "zh-hans": ("众包平台", "众包是一种模式。"),
        "ko": ("크라우드", "크라우드 소싱은 방법이다."),
        "en": ("Alpha", "Open call."),
    },
    "beta": {"zh-hans": ("包装", "包装和众人。"), "ko": ("소싱", "소싱 방법."), "en": ("Beta", "Open source call.")},
    "gamma": {"zh-hans": ("平台", "平台。"), "ko": ("방법", "방법이다."), "en": ("Gamma", "Closed call.")},
}


@pytest.mark.parametrize(
    ("query", "language", "found"),
    [
        ("众", "zh-hans", ["alpha", "beta"]),  # one character: the grams
        ("包", "zh-hans", ["alpha", "beta"]),  # both in the title: by title (众 before 包)
        ("众包", "zh-hans", ["alpha"]),
        ("平台", "zh-hans", ["alpha", "gamma"]),
        ("방법", "ko", ["gamma", "beta", "alpha"]),  # the title hit first, then by title
        ("크라우드 방법", "ko", ["alpha"]),
        ("크라우드", "ko", ["alpha"]),  # three letters or more: trigrams on SQLite, pairs and strpos on PostgreSQL
        ("包装和众", "zh-hans", ["beta"]),
        ("平台众", "zh-hans", []),  # every character there, the pairs not all
        ("open call", "en", ["alpha", "beta"]),
        ("source", "en", ["beta"]),
        ("zz", "en", []),
    ],
)
def test_results_and_their_order_are_the_same_on_both_databases(make_article, query, language, found):
    """bin/test runs this on SQLite and on PostgreSQL, against the same expected lists."""
    from public.search import search

    for slug, versions in SAMPLES.items():
        make_article(slug, versions)

    assert [hit.article.slug for hit in search(raw_query=query, language=language).articles] == found


def test_a_word_that_folds_into_two_words_is_found_across_them(make_article):
    """˘ folds to a space (its accent taken off): the query's word then spans two of the text's words."""
    from public.search import search

    make_article("breve", {"en": ("Breve", "The mark ab˘cd is rare.")})
    make_article("spaced", {"en": ("Spaced", "The marks ab cd are spaced.")})

    assert [hit.article.slug for hit in search(raw_query="ab˘cd", language="en").articles] == ["breve", "spaced"]
    assert [hit.article.slug for hit in search(raw_query="b˘c", language="en").articles] == ["breve", "spaced"]


def test_a_long_query_of_rare_characters_costs_the_queries_of_one_word(client, imported, django_assert_num_queries):
    from urllib.parse import quote

    rare = "".join(chr(0x4E00 + 7 * index) for index in range(100))
    client.get("/zh-hans/search/?q=" + quote("众包"))

    # Articles counted, names, the other languages' counts, then "did you mean" among titles and names.
    with django_assert_num_queries(4):
        client.get("/zh-hans/search/?q=" + quote(rare))
    with django_assert_num_queries(4):
        client.get("/zh-hans/search/?q=" + quote("xyzzy"))


def test_deleting_an_article_takes_it_out_of_the_sqlite_index(imported, make_article):
    from django.db import connection

    from articles.services import articles_delete

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its GIN indexes itself")
    make_article("other", {"en": ("Other", "Text.")})

    articles_delete(article_ids=[imported.pk])

    _index_follows_the_rows()


def test_grams_are_stored_on_published_rows_and_cleared_for_drafts(imported):
    from articles.search_text import text_grams

    zh = ArticleVersion.objects.get(article=imported, language="zh-hans")
    assert zh.search_grams == text_grams(zh.search_text) != ""

    set_drafts(imported, "zh-hans")

    assert ArticleVersion.objects.get(pk=zh.pk).search_grams == ""


@pytest.mark.django_db(transaction=True)
def test_migrating_indexes_the_published_rows_that_exist_already():
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.conftest import FIXTURES

    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    published = ArticleVersion.objects.filter(published=True)
    expected = dict(published.values_list("pk", "search_grams"))
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0008_language_versions")])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(published.values_list("pk", "search_grams")) == expected
    assert any(expected.values())
    if connection.vendor == "sqlite":
        _index_follows_the_rows()


def test_sqlite_decides_words_of_two_characters_or_more_by_the_index_alone(imported):
    """LIKE would read every candidate's long text again: for a word found in every text, most of a search's time,
    and for a pair no text holds, every text to its end."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.search_index import rows_holding_every_word

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigram index serves the LIKE itself")
    condition, params = rows_holding_every_word(["RÉSEAUX", "eseau", "so"], alias="v")
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.article_id FROM articles_articleversion v WHERE v.language = 'fr' AND {condition}", params
        )
        found = cursor.fetchall()

    assert found == [(imported.pk,)]
    assert "LIKE" not in queries[0]["sql"]


def test_one_character_with_a_longer_word_finds_the_texts_holding_both(imported):
    """A character of the seeds' texts (any script, punctuation too) or none of theirs, with a word in every text:
    the same versions as Python's `in`, on both databases; on SQLite the grams find the rows LIKE then reads."""
    from django.db import connection

    from articles.search_index import GRAM_TABLE, rows_holding_every_word
    from glossary.collation import fold

    texts = dict(ArticleVersion.objects.filter(published=True).values_list("pk", "search_text"))
    characters = sorted({char for text in texts.values() for char in text if not char.isspace()})
    characters = [*[char for char in characters if fold(char) == char][::7], "ꙮ", '"', "%", "_"]

    assert len(characters) > 20
    for char in characters:
        condition, params = rows_holding_every_word([char, "crowd"], alias="v")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT v.id FROM articles_articleversion v WHERE {condition}", params)
            found = sorted(pk for (pk,) in cursor.fetchall())
        assert found == sorted(pk for pk, text in texts.items() if char in text and "crowd" in text), char
        assert connection.vendor != "sqlite" or GRAM_TABLE in condition


def test_a_pair_of_characters_finds_the_texts_holding_it_anywhere(imported):
    """Pairs from the start, the middle and the very end of every text (at the end no trigram starts with the pair),
    pairs that mean something to FTS5 or LIKE, and misses: the same versions as Python's `in`, on both databases."""
    from django.db import connection

    from articles.search_index import rows_holding_every_word
    from glossary.collation import fold

    texts = dict(ArticleVersion.objects.filter(published=True).values_list("pk", "search_text"))
    pairs = {'"x', "%o", "__", "zq", "ʼ\u0308"}
    for text in texts.values():
        pairs.update(text[index : index + 2] for index in (0, 1, len(text) // 2, len(text) - 3, len(text) - 2))
    pairs = sorted(pair for pair in pairs if not any(char.isspace() for char in pair) and fold(pair) == pair)

    assert any(text.endswith(pair) for pair in pairs for text in texts.values())
    for pair in pairs:
        condition, params = rows_holding_every_word([pair], alias="v")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT v.id FROM articles_articleversion v WHERE {condition}", params)
            found = sorted(pk for (pk,) in cursor.fetchall())
        assert found == sorted(pk for pk, text in texts.items() if pair in text), pair


@pytest.mark.parametrize("query", ['ré"seaux', '"réseaux"', "NEAR(réseaux)", "réseaux*", "réseaux OR x"])
def test_words_that_mean_something_to_fts5_are_plain_text(imported, query):
    from public.search import search

    found = [hit.article.slug for hit in search(raw_query=query, language="fr").articles]

    assert found == (["crowdsourcing"] if query in ("réseaux OR x",) else [])


@pytest.mark.parametrize(
    ("words", "languages"), [(["众"], ["zh-hans"]), (["众包"], ["zh-hans"]), (["크라"], ["ko"]), (["众", "크라"], [])]
)
def test_one_or_two_chinese_or_korean_letters_are_decided_by_the_grams_alone(imported, words, languages):
    """The grams are every such letter of the text and every pair of them: LIKE would only read the texts again."""
    from django.db import connection

    from articles.search_index import rows_holding_every_word

    condition, params = rows_holding_every_word(words, alias="v")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.language FROM articles_articleversion v WHERE {condition}", params)
        found = sorted(language for (language,) in cursor.fetchall())
    holding = ArticleVersion.objects.filter(published=True)
    for word in words:
        holding = holding.filter(search_text__contains=word)

    assert "LIKE" not in condition
    assert found == sorted(holding.values_list("language", flat=True)) == languages


def test_sqlite_keeps_every_chinese_japanese_and_korean_letter_as_a_word_of_its_own_in_the_grams_table(db):
    """What lets the grams decide alone on SQLite: FTS5's unicode61 tokenizer neither splits nor folds these letters
    (it does split at the marks and symbols among them, which LIKE then decides)."""
    import unicodedata

    from django.db import connection

    from articles.search_index import WIDE, decided_by_grams

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 tokenizer is SQLite's")
    wide = [chr(code) for code in range(0x1100, 0xFB00) if WIDE.fullmatch(chr(code))]
    letters = [char for char in wide if decided_by_grams(char)]
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE temp.letters USING fts5(grams, tokenize='unicode61')")
        cursor.execute("CREATE VIRTUAL TABLE temp.letters_words USING fts5vocab(temp, letters, row)")
        cursor.execute("INSERT INTO temp.letters (grams) VALUES (%s)", [" ".join(wide)])
        cursor.execute("SELECT term FROM temp.letters_words")
        words = {term for (term,) in cursor.fetchall()}

    assert len(letters) > 39000
    assert set(letters) <= words
    assert all(unicodedata.category(char)[0] == "L" for char in letters)
    assert decided_by_grams("众包") and not decided_by_grams("众包平") and not decided_by_grams("・包")


def test_postgresql_decides_words_by_the_words_of_the_texts_without_reading_a_text(imported):
    """LIKE over every candidate's text was most of a search's time when a word is in every text."""
    from django.db import connection

    from articles.search_index import rows_holding_every_word

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's trigram table decides these words")
    condition, params = rows_holding_every_word(["크라우드", "réseaux"], alias="v")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.language FROM articles_articleversion v WHERE {condition}", params)
        found = [language for (language,) in cursor.fetchall()]

    assert "LIKE" not in condition.replace("word LIKE", "") and "strpos" not in condition
    assert found == []  # no text holds both
    condition, params = rows_holding_every_word(["크라우드"], alias="v")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.language FROM articles_articleversion v WHERE {condition}", params)
        assert [language for (language,) in cursor.fetchall()] == ["ko"]


def test_postgresql_lists_the_new_words_of_a_saved_text_and_finds_them_within_words(imported):
    from django.db import connection

    from articles.search_index import WORD_TABLE
    from public.search import search

    if connection.vendor != "postgresql":
        pytest.skip("the list of words is PostgreSQL's")
    version = ArticleVersion.objects.get(article__slug="crowdsourcing", language="en")
    version.search_text += "\nzyzzyvas\tquuxification"
    version.save(update_fields=["search_text"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {WORD_TABLE} WHERE word IN ('zyzzyvas', 'quuxification')")
        assert sorted(word for (word,) in cursor.fetchall()) == ["quuxification", "zyzzyvas"]

    # Within a word, at its end, and a word of two letters (no trigram: strpos over the words).
    for query in ("zzyv", "fication", "ux"):
        assert [hit.article.slug for hit in search(raw_query=query, language="en").articles] == ["crowdsourcing"]


def _segments(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(DISTINCT segid) FROM {table}_idx")
        return cursor.fetchone()[0]


def test_merging_after_many_writes_leaves_each_sqlite_search_index_in_few_segments_that_find_the_same(
    imported, make_article
):
    from django.db import connection

    from articles.search_index import GRAM_TABLE, TRIGRAM_TABLE, search_index_merge
    from glossary.search_index import NAME_TRIGRAM_TABLE
    from public.search import search

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 tables are SQLite's")
    for index in range(MANY_WRITES):  # each write a segment of each index, as an import's articles are
        make_article(f"zeppelin-{index}", {"en": (f"Zeppelin {index}", f"众包 and [[zeppelin-{index}]] {index}.\n")})
    tables = (TRIGRAM_TABLE, GRAM_TABLE, NAME_TRIGRAM_TABLE)
    queries = [("zeppelin", "en"), ("众", "en"), ("réseaux", "fr"), ("crowd", "en")]
    before = [search(raw_query=query, language=language) for query, language in queries]

    search_index_merge(versions=MANY_WRITES)

    # FTS5 merges four segments of a level into one of the next: 3 a level at most, 2 levels for this many writes.
    assert all(_segments(table) <= 6 for table in tables)
    assert [search(raw_query=query, language=language) for query, language in queries] == before
    _index_follows_the_rows()


MANY_WRITES = 24


def test_an_import_of_one_article_never_rewrites_the_whole_sqlite_search_index(imported, tmp_path):
    """The import merged every index whole after it wrote anything: 1-2 s at 5,000 versions, even for one article."""
    from django.db import connection

    from articles.search_index import GRAM_TABLE, TRIGRAM_TABLE
    from articles.services import import_articles
    from glossary.search_index import fts_optimize

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 tables are SQLite's")
    fts_optimize(TRIGRAM_TABLE, GRAM_TABLE)  # a large corpus, merged: one segment each
    (tmp_path / "zeppelin").mkdir()
    (tmp_path / "zeppelin" / "en.md").write_text("---\ntitle: Zeppelin\n---\n众包 and zeppelins.\n", "utf-8")

    report = import_articles(path=tmp_path)

    assert report.created == ["zeppelin/en"]
    # The corpus's segment untouched, and the new article's: no whole-index merge.
    assert [_segments(TRIGRAM_TABLE), _segments(GRAM_TABLE)] == [2, 2]
    _index_follows_the_rows()


def test_postgresql_finds_titles_and_names_by_their_first_letter_in_an_index_whatever_the_collation(db):
    """'Did you mean' reads the titles and names starting with the query's first letter (LIKE 'q%')."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pattern operators are PostgreSQL's")
    sql = (
        "SELECT display_title FROM articles_articleversion WHERE language = 'fr' AND published"
        " AND search_title LIKE 'q%'"
    )
    with connection.cursor() as cursor:
        # Few rows here: make the planner show the plan it takes on a large table. On a table this small its choice
        # among the indexes that hold the language is a toss-up (the suite's earlier tests leave their statistics),
        # so those are dropped for this test's transaction, which is rolled back: what is asked is whether the
        # title's index serves LIKE 'q%' whatever the collation, as its pattern operators (~>=~) show.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("DROP INDEX articles_version_ranked")
        cursor.execute("ALTER TABLE articles_articleversion DROP CONSTRAINT unique_article_version")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        # The names' index is the same kind; on an empty table any index of the language costs as little.
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'glossary_name_prefix'")
        (names_index,) = cursor.fetchone()

    assert "articles_version_title_prefix" in plan and "~>=~" in plan
    assert "(language, folded_name varchar_pattern_ops)" in names_index


def _table_objects(table: str) -> set[tuple[str, str, str]]:
    """The indexes and triggers on `table`, as the database stores them: (kind, name, definition); on PostgreSQL
    each column's storage and compression too."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND type IN ('index', 'trigger')"
                " AND sql IS NOT NULL",
                [table],
            )
        else:
            cursor.execute(
                "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE tablename = %s UNION ALL"
                " SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE tgrelid = %s::regclass AND NOT tgisinternal UNION ALL"
                " SELECT 'column', attname, attstorage::text || attcompression::text FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [table, table, table],
            )
        return set(cursor.fetchall())


def _display_title(max_length: int):
    """ArticleVersion.display_title with another length: altering it to that is a column's type change."""
    field = ArticleVersion._meta.get_field("display_title").clone()
    field.max_length = max_length
    field.set_attributes_from_name("display_title")
    field.model = ArticleVersion
    return field


@pytest.mark.django_db(transaction=True)
def test_a_migration_altering_a_column_of_the_versions_keeps_search_and_the_names_topic_working():
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from core.models import ContentGeneration
    from public.search import search
    from tests.conftest import FIXTURES

    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    table = ArticleVersion._meta.db_table
    before = _table_objects(table)
    old, new = ArticleVersion._meta.get_field("display_title"), _display_title(400)
    try:
        with CaptureQueriesContext(connection) as altered, connection.schema_editor() as editor:
            editor.alter_field(ArticleVersion, old, new)
        if connection.vendor == "sqlite":  # a column's type changes only by copying the table into a new one
            assert any(f'"new__{table}"' in query["sql"] for query in altered.captured_queries)

        assert _table_objects(table) == before
        assert [hit.article.slug for hit in search(raw_query="réseaux", language="fr").articles] == ["crowdsourcing"]
        ContentGeneration.objects.update(topics="")
        article = Article.objects.get(slug="crowdsourcing")
        article.set_value("body", "en", article.value("body", "en") + "\nA brand-new Zeppelin paragraph.\n")
        save_edits(article, languages=["en"])
        set_drafts(article, "nb")

        assert [hit.article.slug for hit in search(raw_query="ZEPPELIN", language="en").articles] == ["crowdsourcing"]
        assert "names" in ContentGeneration.objects.get().topics.split()  # nb unpublished: the A–Z pages change
        if connection.vendor == "sqlite":
            _index_follows_the_rows()
    finally:
        _schema_restored(table, before, altered=(new, old))


def _schema_restored(table: str, objects: set[tuple[str, str, str]], *, altered) -> None:
    """Alter the field back and make again whatever `objects` the changes lost, with the SQLite search indexes
    rebuilt from the rows, so that the tests after a failing one find the schema they expect."""
    from django.db import connection

    from articles.search_index import GRAM_TABLE, TRIGRAM_TABLE

    with connection.schema_editor() as editor:
        editor.alter_field(ArticleVersion, *altered)
        names = {name for _kind, name, _sql in _table_objects(table)}
        for _kind, name, sql in sorted(objects):
            if name not in names:
                editor.execute(sql, params=None)
        if connection.vendor == "sqlite":
            for fts in (TRIGRAM_TABLE, GRAM_TABLE):
                editor.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")


def _listed(*words: str) -> list[str]:
    from django.db import connection

    from articles.search_index import WORD_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {WORD_TABLE} WHERE word = ANY(%s) ORDER BY word", [list(words)])
        return [word for (word,) in cursor.fetchall()]


def _word_count() -> int:
    from django.db import connection

    from articles.search_index import WORD_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {WORD_TABLE}")
        return cursor.fetchone()[0]


def _add_words(version: ArticleVersion, words: str) -> None:
    version.search_text += f"\n{words}"
    version.save(update_fields=["search_text"])


@pytest.mark.django_db(transaction=True)  # the shrink runs in a transaction of its own
def test_postgresql_shrink_drops_the_listed_words_no_text_holds_any_more_and_finds_the_same():
    from django.db import connection

    from articles.search_index import DROPPED_WORD_TABLE, search_words_shrink
    from public.search import search

    if connection.vendor != "postgresql":
        pytest.skip("the list of words is PostgreSQL's")
    imported = _import_seed()
    versions = {row.language: row for row in ArticleVersion.objects.filter(article=imported)}
    text = versions["en"].search_text
    _add_words(versions["en"], "zyzzyvas quuxification")
    _add_words(versions["fr"], "zyzzyvas")
    _add_words(versions["nb"], "blorptastic")
    versions["en"].search_text = text  # the only text holding "quuxification" no longer does
    versions["en"].save(update_fields=["search_text"])
    set_drafts(imported, "nb")  # unpublished: its text is emptied
    queries = [("zyzzyvas", "fr"), ("zyzzyvas", "en"), ("quuxification", "en"), ("réseaux", "fr"), ("크라우드", "ko")]
    before = [search(raw_query=query, language=language) for query, language in queries]
    assert _listed("blorptastic", "quuxification", "zyzzyvas") == ["blorptastic", "quuxification", "zyzzyvas"]

    listed = _word_count()

    dropped = search_words_shrink()

    assert dropped == listed - _word_count() > 2  # the Norwegian text's own words too
    assert _listed("blorptastic", "quuxification", "zyzzyvas") == ["zyzzyvas"]  # still in the French text
    held = {word for text in ArticleVersion.objects.values_list("search_text", flat=True) for word in text.split()}
    assert _listed(*held) == sorted(held)
    assert [search(raw_query=query, language=language) for query, language in queries] == before
    assert [hit.article.slug for hit in before[0].articles] == ["crowdsourcing"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {DROPPED_WORD_TABLE}")
        assert cursor.fetchone()[0] == 0  # the dropped words were read once


@pytest.mark.django_db(transaction=True)
def test_postgresql_shrink_drops_the_words_of_a_deleted_version():
    from django.db import connection

    from articles.search_index import search_words_shrink

    if connection.vendor != "postgresql":
        pytest.skip("the list of words is PostgreSQL's")
    version = ArticleVersion.objects.get(article=_import_seed(), language="en")
    _add_words(version, "zyzzyvas")
    ArticleVersion.objects.filter(pk=version.pk).delete()

    search_words_shrink()

    assert _listed("zyzzyvas") == []


@pytest.mark.django_db(transaction=True)
def test_postgresql_shrink_leaves_the_words_while_a_write_goes_on(monkeypatch):
    """A write not yet committed may hold a dropped word that the shrink cannot see: it waits for the write, and
    leaves the words for the next time when the write does not end in time."""
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    from articles import search_index

    if connection.vendor != "postgresql":
        pytest.skip("the list of words is PostgreSQL's")
    version = ArticleVersion.objects.get(article=_import_seed(), language="en")
    _add_words(version, "zyzzyvas")
    version.search_text = version.search_text.removesuffix("\nzyzzyvas")
    version.save(update_fields=["search_text"])
    monkeypatch.setattr(search_index, "SHRINK_LOCK_TIMEOUT", "50ms")
    writer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        writer.set_autocommit(False)
        with writer.cursor() as cursor:
            cursor.execute("SET lock_timeout = '10s'")  # a mistake here fails the test rather than hang it
            cursor.execute("LOCK TABLE articles_articleversion IN ROW EXCLUSIVE MODE")  # as an UPDATE takes it

        assert search_index.search_words_shrink() == 0
        assert _listed("zyzzyvas") == ["zyzzyvas"]
    finally:
        writer.rollback()
        writer.close()
    assert search_index.search_words_shrink() == 1
    assert _listed("zyzzyvas") == []


def test_postgresql_shrink_does_nothing_within_a_transaction_of_the_callers(imported):
    """Its lock would hold every write until the caller's transaction ends."""
    from django.db import connection

    from articles.search_index import search_words_shrink

    if connection.vendor != "postgresql":
        pytest.skip("the list of words is PostgreSQL's")
    version = ArticleVersion.objects.get(article=imported, language="en")
    _add_words(version, "zyzzyvas")
    version.search_text = version.search_text.removesuffix("\nzyzzyvas")
    version.save(update_fields=["search_text"])

    assert search_words_shrink() == 0
    assert _listed("zyzzyvas") == ["zyzzyvas"]


def _import_seed():
    """The seed articles, imported outside any test transaction; the crowdsourcing article."""
    from io import StringIO

    from django.core.management import call_command

    from articles.models import Article
    from tests.conftest import FIXTURES, SEED_SLUG

    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    return Article.objects.get(slug=SEED_SLUG)


@pytest.mark.django_db(transaction=True)
def test_postgresql_shrink_takes_no_lock_when_no_write_dropped_a_word():
    """An import's first run drops no word: the shrink must not hold editors' saves back for nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.search_index import search_words_shrink

    if connection.vendor != "postgresql":
        pytest.skip("the list of words is PostgreSQL's")
    _import_seed()

    with CaptureQueriesContext(connection) as queries:
        assert search_words_shrink() == 0

    assert not [query for query in queries if "LOCK TABLE" in query["sql"]]
    assert len(queries) == 1


def _planner_rows(cursor) -> float:
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'articles_articleversion'::regclass")
    return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # ANALYZE is left out within a transaction of the caller's
def test_postgresql_statistics_are_refreshed_after_a_write_of_a_tenth_of_the_versions_or_more(imported):
    from django.db import connection

    from articles.search_index import search_statistics_refresh

    if connection.vendor != "postgresql":
        pytest.skip("the planner's statistics are PostgreSQL's")
    _copies(imported, 19)  # analyzed: 100 versions
    with connection.cursor() as cursor:
        assert _planner_rows(cursor) == 100
        _copies(imported, 20, analyze=False)  # 200 versions, the planner still sees 100

        assert not search_statistics_refresh(versions=9)
        assert _planner_rows(cursor) == 100
        assert search_statistics_refresh(versions=10)
        assert _planner_rows(cursor) == 200


def test_an_import_has_the_statistics_refreshed_for_the_versions_it_wrote(monkeypatch, db, tmp_path):
    import shutil

    import articles.services
    from tests.conftest import FIXTURES

    refreshed = []
    monkeypatch.setattr(articles.services, "search_statistics_refresh", lambda *, versions: refreshed.append(versions))
    shutil.copytree(FIXTURES, tmp_path / "articles")
    articles.services.import_articles(path=tmp_path / "articles")
    assert refreshed == [5]  # five language versions written

    articles.services.import_articles(path=tmp_path / "articles")
    assert refreshed == [5]  # nothing changed: nothing written

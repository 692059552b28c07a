"""The trigram index of folded term names: it follows every write, and on SQLite it decides words of 3+ characters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.models import Term, TermName
from glossary.search_index import NAME_TRIGRAM_TABLE, names_holding_every_word, trigram_indexed


def found(*words: str, languages: tuple[str, ...] = ("en", "fr", "nb", "ko", "zh-hans")) -> list[str]:
    condition, params = names_holding_every_word(words, alias="n", languages=languages)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n.name FROM glossary_termname n WHERE {condition}", params)
        return sorted(name for (name,) in cursor.fetchall())


def make_name(term: Term, name: str, language: str = "en") -> TermName:
    made = TermName(term=term, language=language, name=name, confirmed=True)
    made.set_index_fields()
    made.save()
    return made


def test_names_are_found_after_every_kind_of_write(db):
    term = Term.objects.create(slug="airship")
    names = [TermName(term=term, language=language, name="Zeppelin Airship") for language in ("en", "fr")]
    for name in names:
        name.set_index_fields()
    TermName.objects.bulk_create(names)
    renamed = make_name(term, "Dirigible")

    renamed.name = "Blimp"
    renamed.set_index_fields()
    renamed.save()
    TermName.objects.filter(language="fr").delete()

    assert found("ZEPPELIN", "ship") == ["Zeppelin Airship"]
    assert found("blimp") == ["Blimp"]
    assert found("dirigible") == []


def test_a_word_is_found_inside_a_name_and_short_words_too(db):
    term = Term.objects.create(slug="economy")
    make_name(term, "Økonomi", "nb")
    make_name(term, "众包平台", "zh-hans")

    assert found("konom") == ["Økonomi"]
    assert found("konom", languages=("en", "fr")) == found("øk", languages=("en",)) == []
    assert found("øk") == ["Økonomi"]
    assert found("众") == ["众包平台"]
    assert found("包平") == ["众包平台"]
    assert found('k"o') == []


def test_sqlite_decides_words_of_two_characters_or_more_by_the_index_alone(db):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigram index serves the LIKE itself")
    make_name(Term.objects.create(slug="airship"), "Zeppelin Airship")

    with CaptureQueriesContext(connection) as queries:
        assert found("zeppelin", "ai") == ["Zeppelin Airship"]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {NAME_TRIGRAM_TABLE} ({NAME_TRIGRAM_TABLE}) VALUES ('delete-all')")

    assert "LIKE" not in queries[0]["sql"]
    assert found("zeppelin") == found("ai") == []  # LIKE alone would still find them
    assert found("ip") == ["Zeppelin Airship"]  # its end: no trigram starts with it, the index of the names' ends


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_pair_of_characters_finds_the_names_holding_it_anywhere(db, language):
    """Where no trigram starts with the pair (at a name's end, or a name of two characters), and pairs that mean
    something to FTS5 or LIKE; the same names as Python's `in`, on both databases."""
    from glossary.collation import fold

    term = Term.objects.create(slug="term")
    names = ["AI", "Email", "C# code", 'Say "hi"', "50% off", "a_b", "크라우드", "Zz top", "Økonomi", "a\U0010ffffb"]
    for name in names:
        make_name(term, name, language)
    make_name(term, "Mail", "fr" if language == "en" else "en")  # another language's
    pairs = {fold(name)[index : index + 2] for name in names for index in range(len(fold(name)) - 1)}
    pairs = [*sorted(pair for pair in pairs if " " not in pair), "zq", '"x', "%o", "__"]

    for pair in pairs:
        expected = sorted(name for name in names if pair in fold(name))
        assert found(pair, languages=(language,)) == expected, pair


def test_sqlite_starts_from_the_names_the_index_found(db):
    """Not from every name of the language, each looked up among them (50 ms for 10,000 names, against 0.03)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")

    condition, params = names_holding_every_word(["zeppelin"], alias="n", languages=["en"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT n.id FROM glossary_termname n WHERE {condition}", params)
        plan = "\n".join(str(row) for row in cursor.fetchall())

    assert f"SCAN {NAME_TRIGRAM_TABLE}" in plan
    assert "SEARCH n USING INTEGER PRIMARY KEY" in plan
    assert "language" not in plan  # each name found is looked up once, by its id, and its language checked there


def test_postgresql_name_search_can_use_its_trigram_index(db):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm's GIN index is PostgreSQL's")
    make_name(Term.objects.create(slug="airship"), "Zeppelin Airship")
    names = TermName.objects.filter(folded_name__contains="zeppelin")  # the LIKE names_holding_every_word writes
    with connection.cursor() as cursor:
        # Few rows here: make the planner show the plan it takes on a large table (GIN is read by bitmap scans).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = names.explain()

    assert NAME_TRIGRAM_TABLE in plan


@pytest.mark.parametrize(
    ("word", "indexed"),
    [
        ("zeppelin", True),
        ("크라우드", True),
        ("众包平", True),
        ("a1b", True),
        ("ab", False),
        ("a-b", False),
        ("!!!", False),
    ],
)
def test_a_word_is_trigram_indexed_when_it_holds_three_letters_or_digits_in_a_row(word, indexed):
    assert trigram_indexed(word) is indexed


def test_words_no_trigram_holds_are_found_as_any_other(db):
    make_name(Term.objects.create(slug="a-b-testing"), "A-B testing")
    make_name(Term.objects.create(slug="c-plus-plus"), "C++ (language)")

    assert found("a-b") == ["A-B testing"]
    assert found("++", "(lang") == ["C++ (language)"]
    assert found("a-b", "++") == []


def test_postgresql_asks_its_trigram_index_only_for_words_it_takes_a_trigram_from(db):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm's GIN index is PostgreSQL's")
    condition, params = names_holding_every_word(["zeppelin", "a-b"], alias="n", languages=["en"])

    # The statement is prepared with one plan for any word: a LIKE of a word with no trigram would read the index.
    assert "n.folded_name LIKE %s" in condition and "strpos(n.folded_name, %s) > 0" in condition
    assert params == ["en", "%zeppelin%", "a-b"]

"""PostgreSQL: each version's folded text is indexed by its words, and every word of every text is listed once, so
that the index alone decides whether a text holds a word. Other databases: nothing to do.

The trigram index on (language, search_text) could only narrow the rows: LIKE then read every candidate's text
again, which was most of a search's time when a word is in every text (1,000 Korean texts holding 크라우드). A
query's word holds no whitespace (the query is split at it), so it is in a text exactly when it is in one of the
text's words, its runs between spaces, line breaks, tabs and carriage returns (articles/search_index.py):
- `articles_version_words`, a GIN index of each version's language and words;
- `articles_search_word`, every word of every text once (a trigger adds a text's new words as it is written; a word
  no text holds any more stays, and matches nothing), with a trigram index: the words that hold a query's word are
  found there, and the versions holding one of them through the GIN index, with no text read.
The trigram index of the texts is dropped: nothing reads it any more, and it was the largest part of a version's
index writes. The GIN indexes of the words and of the grams keep few new rows waiting (gin_pending_list_limit).
"""

from django.db import migrations

TABLE, INDEX, WORDS_TABLE = "articles_articleversion", "articles_version_words", "articles_search_word"
# The words of a text, as articles.search_index.TEXT_WORDS writes them (the index holds this expression).
WORDS = r"string_to_array(translate({text}, E'\n\r\t', '   '), ' ')"

FORWARD = [
    f"CREATE TABLE {WORDS_TABLE} (word text NOT NULL)",
    # A hash: a text without spaces (Chinese) is one long word, longer than a btree entry may be.
    f"CREATE UNIQUE INDEX {WORDS_TABLE}_unique ON {WORDS_TABLE} (md5(word))",
    f"CREATE INDEX {WORDS_TABLE}_trigram ON {WORDS_TABLE} USING gin (word gin_trgm_ops)",
    # In the order of the unique index, so that two writes adding the same new words never wait on each other
    # in a circle.
    f"""CREATE FUNCTION {WORDS_TABLE}_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {WORDS_TABLE} (word)
    SELECT word FROM (SELECT DISTINCT word FROM unnest({WORDS.format(text="NEW.search_text")}) word) words
    WHERE word <> '' ORDER BY md5(word)
    ON CONFLICT (md5(word)) DO NOTHING;
    RETURN NULL;
END $$""",
    f"CREATE TRIGGER {WORDS_TABLE}_inserted AFTER INSERT ON {TABLE} FOR EACH ROW"
    f" WHEN (NEW.search_text <> '') EXECUTE FUNCTION {WORDS_TABLE}_add()",
    f"CREATE TRIGGER {WORDS_TABLE}_updated AFTER UPDATE OF search_text ON {TABLE} FOR EACH ROW"
    f" WHEN (NEW.search_text <> '' AND NEW.search_text IS DISTINCT FROM OLD.search_text)"
    f" EXECUTE FUNCTION {WORDS_TABLE}_add()",
    f"INSERT INTO {WORDS_TABLE} (word) SELECT DISTINCT word FROM {TABLE},"
    f" unnest({WORDS.format(text='search_text')}) word WHERE word <> ''",
    # A GIN index keeps the entries of new rows in a list of its own until the list passes a limit (4 MB by
    # default), and every search reads that list whole: 140 rows waiting there (280 pages) made a search of 1,000
    # matches take 115-470 ms instead of 1. 256 kB is about 14 rows of words here (a search paid 0.15 ms more with
    # them waiting); rewriting 400 texts took 3.8 s with it, 3.4 s with 4 MB, and 8.0 s entering each row into the
    # index at once (fastupdate off).
    f"CREATE INDEX {INDEX} ON {TABLE} USING gin (language, ({WORDS.format(text='search_text')}))"
    " WITH (gin_pending_list_limit = 256)",
    "ALTER INDEX articles_version_grams SET (gin_pending_list_limit = 256)",
    "DROP INDEX articles_version_trigram",
]
BACKWARD = [
    f"CREATE INDEX articles_version_trigram ON {TABLE} USING gin (language, search_text gin_trgm_ops)",
    "ALTER INDEX articles_version_grams RESET (gin_pending_list_limit)",
    f"DROP INDEX {INDEX}",
    f"DROP TRIGGER {WORDS_TABLE}_inserted ON {TABLE}",
    f"DROP TRIGGER {WORDS_TABLE}_updated ON {TABLE}",
    f"DROP FUNCTION {WORDS_TABLE}_add()",
    f"DROP TABLE {WORDS_TABLE}",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_search_hit_index")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]

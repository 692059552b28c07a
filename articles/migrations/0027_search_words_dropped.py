"""PostgreSQL: the words writes take out of texts are noted, so that the list of words can drop those no text holds
any more (articles.search_index.search_words_shrink). Other databases: nothing to do.

`articles_search_word` (0022) only grew: a trigger adds each text's new words, and a word no text holds any more
stayed, to be read by every search that looks for a word within words. Finding those words among all of them reads
the versions' index once a word (6 s for 400,000 words at 100,000 versions); a trigger now notes, in
`articles_search_word_dropped`, the words a write takes out of a text (an update that changes it, unpublishing,
which empties it, a deletion), and the shrink looks at those only. The words no text held before this migration
are dropped by it, among all of them.
"""

from django.db import migrations

TABLE, DROPPED = "articles_articleversion", "articles_search_word_dropped"
# The words of a text, as articles 0022 splits them.
WORDS = r"string_to_array(translate({text}, E'\n\r\t', '   '), ' ')"

FORWARD = [
    # No index: written a few rows a save, read whole and emptied by the shrink.
    f"CREATE TABLE {DROPPED} (word text NOT NULL)",
    # NEW is not there for a deletion: every word of the old text is dropped.
    f"""CREATE FUNCTION {DROPPED}_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO {DROPPED} (word)
        SELECT DISTINCT word FROM unnest({WORDS.format(text="OLD.search_text")}) word WHERE word <> '';
    ELSE
        INSERT INTO {DROPPED} (word)
        SELECT word FROM unnest({WORDS.format(text="OLD.search_text")}) word WHERE word <> ''
        EXCEPT SELECT word FROM unnest({WORDS.format(text="NEW.search_text")}) word;
    END IF;
    RETURN NULL;
END $$""",
    f"CREATE TRIGGER {DROPPED}_updated AFTER UPDATE OF search_text ON {TABLE} FOR EACH ROW"
    f" WHEN (OLD.search_text <> '' AND NEW.search_text IS DISTINCT FROM OLD.search_text)"
    f" EXECUTE FUNCTION {DROPPED}_add()",
    f"CREATE TRIGGER {DROPPED}_deleted AFTER DELETE ON {TABLE} FOR EACH ROW"
    f" WHEN (OLD.search_text <> '') EXECUTE FUNCTION {DROPPED}_add()",
    # The words dropped before now, once, among all of them (the migration runs with no write going on).
    f"DELETE FROM articles_search_word w WHERE NOT EXISTS"
    f" (SELECT FROM {TABLE} v WHERE {WORDS.format(text='v.search_text')} && ARRAY[w.word])",
]
BACKWARD = [
    f"DROP TRIGGER {DROPPED}_updated ON {TABLE}",
    f"DROP TRIGGER {DROPPED}_deleted ON {TABLE}",
    f"DROP FUNCTION {DROPPED}_add()",
    f"DROP TABLE {DROPPED}",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0026_grams_of_every_character")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]

"""PostgreSQL: the indexes of the versions' words (0022) and grams (0014) are made on two functions that split a text
as before, each declared with what a call costs, so that the planner reads the index instead of splitting every text.
Other databases: nothing to do.

The planner counts any built-in function as one operator (`cpu_operator_cost`), so splitting a text into its words
looked as cheap as comparing two numbers, and up to a few thousand versions it chose to read the language's rows and
split each text rather than ask the index. Splitting is the costliest thing a search does: measured on 1,000
versions (200 articles, texts of about 5,200 folded characters), 0.16 ms a text for its words and 0.014 ms for its
grams, where reading a row's text costs about 0.013. A search there took 25-49 ms for a word in every text and
180 ms for a word in none (the other languages' counts split 800 texts), against about 2-5 ms through the index; it
was fast again only past about 1,000 articles, where the bench measured it.

The functions' COST (in units of `cpu_operator_cost`) says what the measurements say, relative to reading a row.
They are SQL functions with a `search_path` of their own, which PostgreSQL never inlines (an inlined body would be
costed as the built-ins again) and which read the same however a session or a restore sets its path. The index
decides alone (`&&` and `@>` are exact on GIN), so a search calls neither function; a write calls each once a
version, as the indexes did before. The triggers keeping the list of words (0027, 0028) split the same way.

The planner needs the table's statistics as well: never analyzed, a language looked like one row, and one split the
cheapest plan. Autovacuum analyzes a table within about a minute of a bulk write; an import analyzes it at once
(articles.search_index.search_statistics_refresh).
"""

from django.db import migrations

TABLE = "articles_articleversion"
WORDS_FUNCTION, GRAMS_FUNCTION = "articles_text_words", "articles_text_grams"
# As articles.search_index.TEXT_WORDS and 0022 split a text into its words, and 0014 its grams.
WORDS_SPLIT = r"string_to_array(translate($1, E'\n\r\t', '   '), ' ')"
GRAMS_SPLIT = "string_to_array($1, ' ')"
WORDS_COST, GRAMS_COST = 5000, 500
PENDING = "WITH (gin_pending_list_limit = 256)"  # as 0022 set both


def function(name: str, body: str, cost: int) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
        f" COST {cost} SET search_path = pg_catalog AS $$ SELECT {body} $$"
    )


def rebuilt(index: str, columns: str, *, statistics_off: int | None) -> list[str]:
    """Statements that build `index` anew over `columns` beside the old one, then put it in the old one's place.

    Concurrently: readers read the versions' table throughout (every article page is a row of it) and editors write
    it; dropping the old index first, in a transaction, locked them out for the whole build (about 3 s at 1,000
    articles). A run that failed half way leaves at most an invalid new index, dropped when the migration runs again.
    """
    statements = [
        f"DROP INDEX CONCURRENTLY IF EXISTS {index}_new",
        f"CREATE INDEX CONCURRENTLY {index}_new ON {TABLE} USING gin ({columns}) {PENDING}",
        f"DROP INDEX CONCURRENTLY IF EXISTS {index}",
        f"ALTER INDEX {index}_new RENAME TO {index}",
    ]
    if statistics_off is not None:
        # No statistics of the split texts: ANALYZE split every sampled text for them (300 ms for 1,000 versions,
        # 8 without), and no plan reads them, since a search's words are known only when its statement runs.
        statements.append(f"ALTER INDEX {index} ALTER COLUMN {statistics_off} SET STATISTICS 0")
    return statements


FORWARD = [
    function(WORDS_FUNCTION, WORDS_SPLIT, WORDS_COST),
    function(GRAMS_FUNCTION, GRAMS_SPLIT, GRAMS_COST),
    *rebuilt("articles_version_words", f"language, {WORDS_FUNCTION}(search_text)", statistics_off=2),
    *rebuilt("articles_version_grams", f"{GRAMS_FUNCTION}(search_grams)", statistics_off=1),
]
# As 0022 left them.
BACKWARD = [
    *rebuilt("articles_version_words", f"language, ({WORDS_SPLIT.replace('$1', 'search_text')})", statistics_off=None),
    *rebuilt("articles_version_grams", GRAMS_SPLIT.replace("$1", "search_grams"), statistics_off=None),
    f"DROP FUNCTION {WORDS_FUNCTION}(text)",
    f"DROP FUNCTION {GRAMS_FUNCTION}(text)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction
    dependencies = [("articles", "0028_search_words_added_in_byte_order")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]

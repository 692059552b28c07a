"""Every language version's grams hold every distinct character of its text (articles.search_text.text_grams), not
only its Han, kana and Hangul ones, so that SQLite finds a word of one character without reading the texts
(articles.search_index._narrowing). SQLite's grams table is made again with a tokenizer that keeps each of them
whole: letters with their accents, digits, marks, punctuation and symbols. PostgreSQL only stores the new grams.
"""

from django.db import migrations

TABLE, GRAMS = "articles_articleversion", "articles_search_grams"
TRIGGERS = [f"{GRAMS}_{event}" for event in ("insert", "delete", "update")]
BATCH = 500


def _grams_table(tokenizer: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {GRAMS} USING fts5(search_grams, content='{TABLE}', content_rowid='id', "
        f"tokenize='{tokenizer}')",
        f"CREATE TRIGGER {GRAMS}_insert AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {GRAMS} (rowid, search_grams) VALUES (new.id, new.search_grams); END",
        f"CREATE TRIGGER {GRAMS}_delete AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {GRAMS} ({GRAMS}, rowid, search_grams) VALUES ('delete', old.id, old.search_grams); END",
        f"CREATE TRIGGER {GRAMS}_update AFTER UPDATE OF search_grams ON {TABLE} "
        "WHEN old.search_grams IS NOT new.search_grams BEGIN "
        f"INSERT INTO {GRAMS} ({GRAMS}, rowid, search_grams) VALUES ('delete', old.id, old.search_grams); "
        f"INSERT INTO {GRAMS} (rowid, search_grams) VALUES (new.id, new.search_grams); END",
        f"INSERT INTO {GRAMS} ({GRAMS}) VALUES ('rebuild')",
    ]


def _set_grams(apps, schema_editor, grams) -> None:
    sqlite = schema_editor.connection.vendor == "sqlite"
    if sqlite:  # the table is rebuilt from the rows afterwards: no trigger work for each row meanwhile
        for statement in [*(f"DROP TRIGGER {trigger}" for trigger in TRIGGERS), f"DROP TABLE {GRAMS}"]:
            schema_editor.execute(statement)
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    published = ArticleVersion.objects.filter(published=True).order_by("id").only("id", "search_text")
    last = 0
    while rows := list(published.filter(id__gt=last)[:BATCH]):
        for row in rows:
            row.search_grams = grams(row.search_text)
        ArticleVersion.objects.bulk_update(rows, ["search_grams"])
        last = rows[-1].id
    if sqlite:
        # Every character but separators and control characters is a token of its own, accents kept.
        tokenizer = "unicode61 remove_diacritics 0 categories ''L* N* M* P* S* Co Cf Cn''"
        for statement in _grams_table(tokenizer if grams is _every_character else "unicode61"):
            schema_editor.execute(statement)


def _every_character(text: str) -> str:
    from articles.search_text import text_grams

    return text_grams(text)


def _wide_only(text: str) -> str:
    """The grams as 0014 made them: Han, kana and Hangul characters and their pairs."""
    import re

    wide = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]+")
    grams = set()
    for run in wide.findall(text):
        grams.update(run)
        grams.update(run[index : index + 2] for index in range(len(run) - 1))
    return " ".join(sorted(grams))


def forward(apps, schema_editor):
    _set_grams(apps, schema_editor, _every_character)


def backward(apps, schema_editor):
    _set_grams(apps, schema_editor, _wide_only)


class Migration(migrations.Migration):
    dependencies = [("articles", "0025_search_by_pairs")]

    operations = [migrations.RunPython(forward, backward)]

"""The serialisation format of article revisions: Django's JSON plus each language's draft flag and up-to-date mark.

Those flags live in ArticleVersion rows, one per language; a revision must restore them (articles/history.py), and
carrying them inside the article's own serialised row costs no query, where registering the rows with
django-reversion would cost one more per save. Reading a revision back ignores the extra key (reversion
deserialises with `ignorenonexistent`).
"""

from django.core.serializers.json import Deserializer
from django.core.serializers.json import Serializer as JSONSerializer

FLAGS_KEY = "language_flags"

__all__ = ["FLAGS_KEY", "Deserializer", "Serializer"]


class Serializer(JSONSerializer):
    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        if hasattr(obj, "version_rows"):
            data["fields"][FLAGS_KEY] = {
                code: {"draft": row.draft, "synced_source_revision": row.synced_source_revision}
                for code, row in obj.version_rows().items()
                if row.pk is not None or row.draft or row.synced_source_revision is not None
            }
        return data

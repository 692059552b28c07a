import icu
from django.core.management.base import BaseCommand
from django.db import transaction

from core.generation import content_changed
from glossary.models import TermName
from glossary.search_index import name_index_optimize

INDEX_FIELDS = ["sort_key", "index_label", "folded_name"]


class Command(BaseCommand):
    help = (
        "Recompute every term name's sort key, index letter and folded form: needed after ICU is upgraded (its "
        "sort keys change between versions) or after names were changed by a bulk update that bypassed save()."
    )

    def handle(self, *args, **options):
        changed, total = [], 0
        for name in TermName.objects.only("name", "reading", "language", *INDEX_FIELDS).iterator(chunk_size=2000):
            total += 1
            before = [getattr(name, field) for field in INDEX_FIELDS]
            name.set_index_fields()
            if [getattr(name, field) for field in INDEX_FIELDS] != before:
                changed.append(name)
        with transaction.atomic():
            TermName.objects.bulk_update(changed, INDEX_FIELDS, batch_size=1000)
            if changed:
                content_changed()  # bulk_update sends no signals: cached index and search pages must go
        if changed:
            name_index_optimize()  # the batches left the names' search index in pieces (SQLite)
        self.stdout.write(f"{len(changed)} of {total} term names re-indexed (ICU {icu.ICU_VERSION})")

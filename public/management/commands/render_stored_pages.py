import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from articles.search_index import search_words_shrink
from core.models import ContentGeneration
from core.static_manifest import static_files_collected
from public.stored import stored_pages_refresh

logger = logging.getLogger(__name__)

# How long the words' shrink may hold editors' saves back, waiting for the writes going on, before it leaves the
# words for its next turn (an import's own shrink waits longer: nobody saves meanwhile, as a rule).
FOLLOW_SHRINK_LOCK_TIMEOUT = "500ms"


class Command(BaseCommand):
    help = (
        "Render again the stored reader pages (home, A–Z and term pages) that writes changed since the last run, keep "
        "the others; --follow keeps doing so after every write, beside the app servers, and now and then takes the "
        "words edits dropped out of PostgreSQL's list of search words."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="render every page again")
        parser.add_argument("--follow", action="store_true", help="keep running: a pass after every write")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between looks for writes (--follow)")

    def handle(self, *args, all=False, follow=False, interval=0.5, **options):
        static_files_collected()
        self._pass(everything=all)
        shrunk = time.monotonic()
        while follow:
            time.sleep(interval)
            try:
                row = ContentGeneration.objects.filter(pk=1).values_list("value", "pages_generation").first()
                if row is not None and row[0] != row[1]:
                    self._pass(everything=False)
                if time.monotonic() - shrunk >= settings.GLOSSARY_WORDS_SHRINK_SECONDS:
                    shrunk = time.monotonic()
                    self._words_shrink()
            except DatabaseError as error:  # a database restarting or busy: readers get live pages meanwhile
                logger.warning("stored pages not rendered or search words not shrunk, trying again: %s", error)

    def _words_shrink(self) -> None:
        """The words edits took out of texts leave PostgreSQL's list of search words (an import's do at its end)."""
        dropped = search_words_shrink(lock_timeout=FOLLOW_SHRINK_LOCK_TIMEOUT)
        if dropped:
            self.stdout.write(f"{dropped} word(s) no text holds any more taken out of the search's list")

    def _pass(self, *, everything: bool) -> None:
        started = time.monotonic()
        refresh = stored_pages_refresh(everything=everything)
        self.stdout.write(
            f"generation {refresh.generation}: {refresh.rendered} page(s) rendered, {refresh.kept} kept, "
            f"{refresh.removed} removed{' (every page)' if refresh.everything else ''} "
            f"in {time.monotonic() - started:.1f} s"
        )

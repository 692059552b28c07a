import shutil
from contextlib import chdir
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale

from core.languages import language_codes

# Folders that hold no interface string of the site (dependencies, tests, generated files).
IGNORED = [".venv", "tests", "bench", "tools", "node_modules", "staticfiles", "artifacts", "fixtures"]


class Command(BaseCommand):
    help = (
        "Extract every interface message into locale/<lang>/LC_MESSAGES/django.po for each configured language "
        "but the default one, then list what is left to translate. Needs GNU gettext (bin/test installs it)."
    )

    def handle(self, *args, **options):
        if not shutil.which("xgettext"):
            raise CommandError("GNU gettext is needed to extract messages: install the gettext package")
        locales = [to_locale(code) for code in language_codes() if code != settings.LANGUAGE_CODE]
        with chdir(settings.BASE_DIR):  # makemessages reads the sources below the current folder
            call_command("makemessages", locale=locales, ignore_patterns=IGNORED, no_location=True, verbosity=0)
        left = 0
        for locale in locales:
            po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / locale / "LC_MESSAGES" / "django.po"))
            untranslated, fuzzy = po.untranslated_entries(), po.fuzzy_entries()
            left += len(untranslated) + len(fuzzy)
            self.stdout.write(f"{locale}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy of {len(po)}")
            for entry in [*untranslated, *fuzzy]:
                self.stdout.write(f"  {entry.msgid!r}")
        if left:
            self.stdout.write("Translate these, then run compile_translations.")

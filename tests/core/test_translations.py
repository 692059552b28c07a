"""The interface is translated into every configured language, completely, with placeholders intact."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

from core.languages import language_codes
from core.management.commands.update_translations import IGNORED

ROOT = Path(settings.BASE_DIR)
TRANSLATED = [code for code in language_codes() if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\(\w+\)02x|\{\{\s*\w+\s*\}\}")


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    po = catalogue(code)

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) == len([e for e in po if not e.obsolete])


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code):
    for entry in catalogue(code).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(PLACEHOLDER.findall(text))) == sorted(set(PLACEHOLDER.findall(entry.msgid))), entry.msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_forms_follow_the_language(code):
    expected = {"ko": "nplurals=1", "zh-hans": "nplurals=1", "nb": "nplurals=2", "fr": "plural=(n > 1)"}
    assert expected.get(code, "nplurals=") in catalogue(code).metadata["Plural-Forms"]


def test_catalogues_hold_every_string_of_the_code_and_templates(tmp_path):
    """Extract messages afresh, as update_translations does, from a copy of the sources without the catalogues."""
    assert shutil.which("xgettext"), "GNU gettext is needed to extract messages: bin/test installs it"
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED, ".*", "__pycache__", "locale", "*.sqlite3"))
    (copy / "locale").mkdir()
    language = to_locale(TRANSLATED[0])
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-location", "-v", "0"]
        + [f"--ignore={pattern}" for pattern in IGNORED],
        cwd=copy,
        check=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"},
    )
    fresh = {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
    }
    assert len(fresh) > 100  # the extraction really read the templates and the code
    for code in TRANSLATED:
        known = {(entry.msgctxt, entry.msgid) for entry in catalogue(code) if not entry.obsolete}
        missing = sorted(msgid for _context, msgid in fresh - known)
        assert missing == [], f"{code}: run `manage.py update_translations` and translate these"


@pytest.mark.parametrize("code", TRANSLATED)
def test_pages_speak_the_readers_language(client, imported, code):
    with translation.override(code):
        expected = translation.gettext("Contents")
    page = client.get(f"/{code}/articles/crowdsourcing/").content.decode()

    assert expected != "Contents"
    assert f">{expected}<" in page


def test_compiled_catalogues_are_current():
    for code in TRANSLATED:
        po_path = ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime, "run compile_translations"


def test_gettext_is_available_for_translators():
    assert subprocess.run(["msgfmt", "--version"], capture_output=True).returncode == 0

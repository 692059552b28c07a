"""The evaluation corpus: a deterministic selection of tldr-pages, copied byte for byte in our folder layout."""

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tools.corpus import DEFAULT_SOURCE, Page, build, corpus_files, main

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def snapshot_blob(source: Path, path: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(source), "show", f"HEAD:{path}"], capture_output=True).stdout


def test_corpus_has_at_least_100_articles_each_in_english_and_two_more_languages(tldr_corpus):
    files = corpus_files(tldr_corpus)
    languages: dict[str, set[str]] = {}
    for slug, language, _data in files:
        languages.setdefault(slug, set()).add(language)

    assert len(languages) >= 100
    assert all("en" in found and len(found) >= 3 for found in languages.values())
    assert {language for found in languages.values() for language in found} == {"en", "fr", "ko", "nb", "zh-hans"}
    assert all(SLUG.fullmatch(slug) for slug in languages)


def test_corpus_files_are_byte_for_byte_the_snapshot_files_named_in_the_manifest(tldr_corpus):
    source = Path(os.environ.get("GLOSSARY_CORPUS_GIT", DEFAULT_SOURCE))
    manifest = json.loads((tldr_corpus / "MANIFEST.json").read_text(encoding="utf-8"))

    for entry in manifest["files"][:40]:
        data = (tldr_corpus / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert data == snapshot_blob(source, entry["source"])
    assert len(manifest["commit"]) == 40


def test_selection_is_deterministic(tldr_corpus, tmp_path):
    source = Path(os.environ.get("GLOSSARY_CORPUS_GIT", DEFAULT_SOURCE))

    again = build(source, tmp_path / "again", 150)

    first = json.loads((tldr_corpus / "MANIFEST.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in again["files"]] == [entry["file"] for entry in first["files"]]


def test_a_missing_snapshot_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    code = main(["build", "--source", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])

    assert code == 1
    assert "not a git directory" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "slug"), [("g++", "g--"), ("[", "-"), ("7z", "7z"), ("Get-ChildItem", "get-childitem")]
)
def test_slug_rule_is_the_name_lower_cased_with_other_characters_as_dashes(name, slug):
    assert Page("common", name, {}).slug == slug

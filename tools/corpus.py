"""Build the evaluation corpus from a tldr-pages snapshot: `<slug>/<lang>.md`, byte for byte, and a manifest.

tldr-pages (https://github.com/tldr-pages/tldr) is © the tldr-pages team and contributors, CC BY 4.0. Its pages
are not committed here; this script rebuilds the same selection from any snapshot of the repository.

Run: python tools/corpus.py build [--source GIT_DIR] [--out artifacts/corpus/tldr] [--articles 150]

A page (platform/name) is eligible when it exists in English and in at least two more of our languages. Eligible
pages are taken in the order of the SHA-256 of their path, so the selection is deterministic and mixes platforms
and language sets; a page whose slug is taken by an earlier one (the same name on another platform) or is not a
clean slug (`g++` would become `g--`) is passed over.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOURCE = "/work/.mirror/tldr-pages+tldr/repo"
DEFAULT_OUT = "artifacts/corpus/tldr"
# tldr folder → our language code; the first folder of a language wins (Bokmål: `pages.nb` before `pages.no`).
FOLDERS = {
    "pages": "en",
    "pages.fr": "fr",
    "pages.ko": "ko",
    "pages.zh": "zh-hans",
    "pages.nb": "nb",
    "pages.no": "nb",
}
SOURCE_LANGUAGE = "en"
MIN_TRANSLATIONS = 2
_CLEAN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class CorpusError(Exception):
    """The snapshot cannot be read or the output cannot be written."""


@dataclass(frozen=True)
class Page:
    platform: str
    name: str
    files: dict[str, str]  # language → path in the snapshot

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9-]", "-", self.name.lower())


def _git(source: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "--git-dir", str(source), *args], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = (getattr(error, "stderr", b"") or b"").decode(errors="replace").strip() or str(error)
        raise CorpusError(f"{source}: git {' '.join(args)} failed: {detail}") from error
    return done.stdout


def eligible_pages(source: Path) -> list[Page]:
    """Every page in English and at least MIN_TRANSLATIONS more of our languages, in selection order."""
    order = list(FOLDERS)
    paths = [path.split("/") for path in _git(source, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()]
    paths = [parts for parts in paths if len(parts) == 3 and parts[0] in FOLDERS and parts[2].endswith(".md")]
    files: dict[tuple[str, str], dict[str, str]] = {}
    for folder, platform, file_name in sorted(paths, key=lambda parts: order.index(parts[0])):
        found = files.setdefault((platform, file_name[: -len(".md")]), {})
        found.setdefault(FOLDERS[folder], f"{folder}/{platform}/{file_name}")
    pages = [
        Page(platform, name, found)
        for (platform, name), found in files.items()
        if SOURCE_LANGUAGE in found and len(found) - 1 >= MIN_TRANSLATIONS
    ]
    return sorted(pages, key=lambda page: hashlib.sha256(f"{page.platform}/{page.name}".encode()).hexdigest())


def select_pages(pages: list[Page], articles: int) -> list[Page]:
    """The first `articles` pages with a clean slug not taken by an earlier page."""
    chosen: dict[str, Page] = {}
    for page in pages:
        if len(chosen) == articles:
            break
        if _CLEAN_SLUG.fullmatch(page.slug) and page.slug not in chosen:
            chosen[page.slug] = page
    return list(chosen.values())


def build(source: Path, out: Path, articles: int) -> dict:
    """Write the selected pages to `out` as `<slug>/<lang>.md` with MANIFEST.json; return the manifest."""
    if not (source / "HEAD").is_file():
        raise CorpusError(f"{source}: not a git directory (no HEAD)")
    commit = _git(source, "rev-parse", "HEAD").decode().strip()
    pages = select_pages(eligible_pages(source), articles)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    entries = []
    for page in pages:
        folder = out / page.slug
        folder.mkdir()
        for language, path in sorted(page.files.items()):
            data = _git(source, "show", f"HEAD:{path}")
            (folder / f"{language}.md").write_bytes(data)
            entries.append(
                {
                    "file": f"{page.slug}/{language}.md",
                    "source": path,
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
    manifest = {
        "source": "tldr-pages (https://github.com/tldr-pages/tldr)",
        "licence": "CC BY 4.0, © the tldr-pages team and contributors",
        "commit": commit,
        "articles": len(pages),
        "files": entries,
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def is_current(out: Path, source: Path, articles: int) -> bool:
    """Whether `out` holds the selection `build` would write now, untouched (every file's hash checked)."""
    manifest_path = out / "MANIFEST.json"
    if not manifest_path.is_file():
        return False
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("commit") != _git(source, "rev-parse", "HEAD").decode().strip():
        return False
    if manifest.get("articles") != len(select_pages(eligible_pages(source), articles)):
        return False
    for entry in manifest["files"]:
        path = out / entry["file"]
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            return False
    return True


def corpus_files(out: Path) -> list[tuple[str, str, bytes]]:
    """(slug, language, bytes) of every file the manifest of `out` lists, in manifest order."""
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    files = []
    for entry in manifest["files"]:
        slug, file_name = entry["file"].split("/")
        files.append((slug, file_name[: -len(".md")], (out / entry["file"]).read_bytes()))
    return files


def ensure_corpus(source: Path, out: Path, articles: int = 150) -> Path:
    """Return `out` holding the current selection, building it first unless it already does."""
    if not is_current(out, source, articles):
        build(source, out, articles)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("build", help="write the corpus and its manifest")
    command.add_argument("--source", default=DEFAULT_SOURCE, type=Path, help="a bare git directory of tldr-pages")
    command.add_argument("--out", default=DEFAULT_OUT, type=Path)
    command.add_argument("--articles", default=150, type=int)
    arguments = parser.parse_args(argv)
    try:
        manifest = build(arguments.source, arguments.out, arguments.articles)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    languages: dict[str, int] = {}
    for entry in manifest["files"]:
        language = entry["file"].rsplit("/", 1)[1][: -len(".md")]
        languages[language] = languages.get(language, 0) + 1
    counts = ", ".join(f"{language} {count}" for language, count in sorted(languages.items()))
    print(f"{manifest['articles']} articles, {len(manifest['files'])} files ({counts}) in {arguments.out}")
    print(f"source commit {manifest['commit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

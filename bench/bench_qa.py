"""Render + QA per language version, now and with the previous pipeline (Python-Markdown + regex repair), and the ratio.

Run: .venv/bin/python bench/bench_qa.py [--articles N] [--rounds R] [--before COMMIT]
The previous pipeline is commit 3c917ca's `markup/`, extracted with `git archive` into a temporary folder and
imported from there in this same process; it needs Python-Markdown (`pip install -e '.[bench]'`). The corpus is the
seed article in its five languages, varied per article so no cache helps. Each pipeline is timed `--rounds` times,
alternating, and its best round counts (a shared 2-core machine is noisy; the ratio less so).
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "articles" / "crowdsourcing"
BEFORE = "3c917ca"


@dataclass
class Pipeline:
    """The functions one version of `markup/` offers for render + QA."""

    name: str
    render_markdown: Any
    term_link: Any
    check_version: Any
    version: Any


def load_pipeline(name: str, root: Path) -> Pipeline:
    """Import `markup` from `root`, keep its functions, and forget the package so another copy can be imported."""
    for module in [module for module in sys.modules if module == "markup" or module.startswith("markup.")]:
        del sys.modules[module]
    sys.path.insert(0, str(root))
    try:
        render = importlib.import_module("markup.render")
        qa = importlib.import_module("markup.qa")
    finally:
        sys.path.remove(str(root))
        for module in [module for module in sys.modules if module == "markup" or module.startswith("markup.")]:
            del sys.modules[module]
    return Pipeline(name, render.render_markdown, render.TermLink, qa.check_version, qa.Version)


def extract_before(commit: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", commit, "markup"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def corpus(articles: int) -> list[dict[str, tuple]]:
    """Per article, each language's version fields: the seed with its numbers and names changed."""
    sys.path.insert(0, str(ROOT))
    from markup.document import parse_document

    documents = {
        path.stem: parse_document(path.read_text(encoding="utf-8"), name=path.name) for path in SEED.glob("*.md")
    }
    return [
        {
            language: (
                language,
                document.title,
                document.description,
                document.keywords,
                document.body.replace("2006", str(1900 + index % 120)) + f"\nArticle {index}.\n",
                document.body_line,
                document.meta_lines,
            )
            for language, document in documents.items()
        }
        for index in range(articles)
    ]


def run(pipeline: Pipeline, articles: list[dict[str, tuple]]) -> tuple[float, float, int]:
    """Render and check every version, as saving does; return seconds rendering, seconds checking, findings."""
    findings = 0
    rendering = checking = 0.0
    for article in articles:
        versions = {language: pipeline.version(*fields) for language, fields in article.items()}
        for version in versions.values():
            started = time.perf_counter()
            rendered = pipeline.render_markdown(
                version.body,
                resolve_link=lambda slug: pipeline.term_link(f"/t/{slug}/", False),
                title=version.title,
                first_line=version.body_line,
            )
            rendered_at = time.perf_counter()
            found = pipeline.check_version(version, source=versions["en"])
            checking += time.perf_counter() - rendered_at
            rendering += rendered_at - started
            findings += len(rendered.findings) + len(found)
    return rendering, checking, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=20, help="articles of five language versions (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per pipeline; the best counts")
    parser.add_argument("--before", default=BEFORE, help=f"commit of the previous pipeline (default {BEFORE})")
    options = parser.parse_args()
    try:
        import markdown  # noqa: F401  (the previous pipeline's parser)
    except ImportError:
        sys.exit("The previous pipeline needs Python-Markdown: pip install -e '.[bench]'")
    articles = corpus(options.articles)
    versions = sum(len(article) for article in articles)
    with tempfile.TemporaryDirectory() as folder:
        pipelines = [
            load_pipeline("now", ROOT),
            load_pipeline(f"before ({options.before})", extract_before(options.before, Path(folder))),
        ]
        best = {pipeline.name: (float("inf"), 0.0, 0.0) for pipeline in pipelines}
        counts = {}
        for _round in range(options.rounds):
            for pipeline in pipelines:
                rendering, checking, counts[pipeline.name] = run(pipeline, articles)
                best[pipeline.name] = min(best[pipeline.name], (rendering + checking, rendering, checking))
    print(f"render + QA of {versions} language versions ({options.articles} articles), best of {options.rounds}:")
    for pipeline in pipelines:
        total, rendering, checking = (seconds / versions * 1000 for seconds in best[pipeline.name])
        print(
            f"  {pipeline.name:<18} {total:7.2f} ms per version (render {rendering:.2f} + QA {checking:.2f})"
            f"  {counts[pipeline.name]} findings"
        )
    now, before = (best[pipeline.name][0] for pipeline in pipelines)
    print(f"now / before = {now / before:.2f} (below 1 is faster)")


if __name__ == "__main__":
    main()

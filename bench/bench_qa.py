"""How long translation QA takes for 1,000 articles × 5 languages (the seed article, varied), as a rate and ratio.

Run: .venv/bin/python bench/bench_qa.py [ARTICLES]
Prints the time per language version, the projected time for the whole corpus, and the ratio of checking to
rendering the same versions, both measured in this run (timings on a shared 2-core machine are noisy; ratios less).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markup.document import parse_document
from markup.qa import Version, check_version
from markup.render import TermLink, render_markdown

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "crowdsourcing"


def corpus(articles: int) -> list[tuple[Version, Version]]:
    """Pairs (translation, source): each article is the seed with its numbers and names changed, so no cache helps."""
    documents = {
        path.stem: parse_document(path.read_text(encoding="utf-8"), name=path.name) for path in SEED.glob("*.md")
    }
    pairs = []
    for index in range(articles):
        versions = {
            language: Version(
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
        pairs.extend((version, versions["en"]) for version in versions.values())
    return pairs


def main() -> None:
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    pairs = corpus(articles)
    started = time.perf_counter()
    findings = sum(len(check_version(version, source=source)) for version, source in pairs)
    checking = time.perf_counter() - started
    started = time.perf_counter()
    for version, _source in pairs:
        render_markdown(version.body, resolve_link=lambda slug: TermLink(f"/t/{slug}/", False), title=version.title)
    rendering = time.perf_counter() - started
    print(f"language versions checked: {len(pairs)} ({articles} articles), findings: {findings}")
    print(f"QA: {checking:.1f} s in all, {checking / len(pairs) * 1000:.2f} ms per version")
    print(f"rendering the same versions: {rendering:.1f} s; QA / rendering = {checking / rendering:.2f}")
    print(f"target: well under 60 s for 1,000 × 5 → {'met' if checking * 1000 / articles < 30 else 'NOT met'}")


if __name__ == "__main__":
    main()

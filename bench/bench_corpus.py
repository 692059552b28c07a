"""Translation QA and rendering on a real corpus (tldr-pages), with the precision of QA from judged findings.

Run: .venv/bin/python bench/bench_corpus.py [--source GIT_DIR] [--out DIR] [--articles 300] [--sample-csv]
Builds the corpus with tools/corpus.py unless `--out` already holds it, then prints: files read, files the document
parser refuses (import shape), Markdown syntax left visible in the rendered HTML, findings by code and severity
(each non-English version checked against English), findings per version, and the precision of QA from
bench/data/qa_verdicts.csv. The sample is drawn per severity in a seeded order that does not depend on the other
findings, so a change of the checks only drops findings from it or pulls in new ones, which then need a verdict.
`--sample-csv` prints the sample as CSV rows (the verdicts file's columns) for judging.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from markup.document import DocumentError, decode_source, parse_document  # noqa: E402
from markup.findings import Finding  # noqa: E402
from markup.qa import Version, check_version  # noqa: E402
from markup.render import TermLink, render_markdown  # noqa: E402
from tools.corpus import DEFAULT_OUT, DEFAULT_SOURCE, SOURCE_LANGUAGE, corpus_files, ensure_corpus  # noqa: E402

VERDICTS = ROOT / "bench" / "data" / "qa_verdicts.csv"
SAMPLE_SEED = "qa-corpus-1"
# How many findings of each severity the sample holds (fewer when there are fewer); errors are over-represented,
# so the precision of all findings is weighted by each severity's share of the findings.
SAMPLE_SIZES = {"error": 30, "warning": 55, "info": 20}
# More articles than tools/corpus.py's default, so that the checks find enough to judge a sample of 60 and more.
ARTICLES = 300
TARGETS = {"error": 0.95, "all": 0.80}
# Markdown syntax a reader should never see as text (code and preformatted text are left out).
ARTIFACTS = {
    "](": re.compile(r"\]\("),
    "**": re.compile(r"\*\*"),
    "# at line start": re.compile(r"(?m)^#{1,6} "),
    ":::": re.compile(r":::"),
    "[^": re.compile(r"\[\^"),
}
_CODE = re.compile(r"<(code|pre)\b[^>]*>.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|td|th|blockquote|div|dd|dt)>|<br\s*/?>")


@dataclass(frozen=True)
class Key:
    slug: str
    language: str
    line: int
    code: str


def corpus_version(language: str, text: str, *, name: str) -> tuple[Version, str | None]:
    """The version as import would read it, and why the document parser refused it (None when it did not)."""
    try:
        document = parse_document(text, name=name)
    except DocumentError as error:
        # tldr pages have no front matter: their title is the first "# " heading, their body the whole file.
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
        return Version(language, title, "", "", text), error.text()
    version = Version(
        language,
        document.title,
        document.description,
        document.keywords,
        document.body,
        document.body_line,
        document.meta_lines,
    )
    return version, None


def visible_artifacts(rendered_html: str) -> Counter:
    """Count Markdown syntax left in what a reader sees (outside code)."""
    text = _CODE.sub(" ", rendered_html)
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", text)))
    text = "\n".join(line.strip() for line in text.splitlines())
    return Counter({name: len(pattern.findall(text)) for name, pattern in ARTIFACTS.items() if pattern.search(text)})


def _sample_order(key: Key) -> bytes:
    return hashlib.sha256(f"{SAMPLE_SEED}:{key.slug}:{key.language}:{key.line}:{key.code}".encode()).digest()


def sample(findings: dict[Key, Finding]) -> list[Key]:
    """The judged sample: per severity, the first findings in a seeded hash order."""
    chosen = []
    for severity, size in SAMPLE_SIZES.items():
        keys = [key for key, finding in findings.items() if str(finding.severity) == severity]
        keys.sort(key=_sample_order)
        chosen.extend(keys[:size])
    return chosen


def read_verdicts(path: Path) -> dict[Key, tuple[str, str]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as file:
        return {
            Key(row["slug"], row["language"], int(row["line"]), row["code"]): (row["verdict"], row["reason"])
            for row in csv.DictReader(file)
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=DEFAULT_SOURCE, type=Path)
    parser.add_argument("--out", default=ROOT / DEFAULT_OUT, type=Path)
    parser.add_argument("--articles", default=ARTICLES, type=int)
    parser.add_argument("--verdicts", default=VERDICTS, type=Path)
    parser.add_argument("--sample-csv", action="store_true", help="print the sample as CSV for judging")
    arguments = parser.parse_args()
    if not (arguments.out / "MANIFEST.json").is_file() and not (arguments.source / "HEAD").is_file():
        print(f"No corpus in {arguments.out} and no tldr-pages snapshot at {arguments.source}", file=sys.stderr)
        return 1
    out = arguments.out
    if (arguments.source / "HEAD").is_file():
        out = ensure_corpus(arguments.source, arguments.out, arguments.articles)

    versions: dict[tuple[str, str], Version] = {}
    refused: Counter = Counter()
    artifacts: Counter = Counter()
    artifact_files = 0
    files = corpus_files(out)
    for slug, language, data in files:
        name = f"{slug}/{language}.md"
        try:
            text = decode_source(data, name=name)
        except DocumentError as error:
            refused[error.message] += 1
            continue
        version, problem = corpus_version(language, text, name=name)
        if problem:
            refused[problem.split(": ", 1)[1]] += 1
        versions[(slug, language)] = version
        rendered = render_markdown(
            version.body,
            resolve_link=lambda target: TermLink(f"/terms/{target}/", False),
            title=version.title,
            first_line=version.body_line,
        )
        found = visible_artifacts(rendered.html)
        artifacts += found
        artifact_files += bool(found)

    findings: dict[Key, Finding] = {}
    per_version: Counter = Counter()
    for (slug, language), version in versions.items():
        source = versions.get((slug, SOURCE_LANGUAGE))
        if language == SOURCE_LANGUAGE or source is None:
            continue
        per_version[(slug, language)] = 0
        for finding in check_version(version, source=source):
            findings.setdefault(Key(slug, language, finding.line, finding.code), finding)
            per_version[(slug, language)] += 1

    chosen = sample(findings)
    if arguments.sample_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["slug", "language", "line", "code", "severity", "verdict", "reason"])
        verdicts = read_verdicts(arguments.verdicts)
        for key in chosen:
            verdict, reason = verdicts.get(key, ("", ""))
            writer.writerow([key.slug, key.language, key.line, key.code, findings[key].severity, verdict, reason])
        return 0

    print(f"corpus: {out} ({len({slug for slug, _l, _d in files})} articles, {len(files)} files read)")
    print(f"files the document parser refuses: {sum(refused.values())}")
    for reason, count in refused.most_common():
        print(f"  {count:5d}  {reason}")
    print(f"rendered versions with Markdown syntax visible to readers: {artifact_files} of {len(versions)}")
    for name, count in artifacts.most_common():
        print(f"  {count:5d}  {name}")

    severities = Counter(str(finding.severity) for finding in findings.values())
    print(f"findings: {len(findings)} in {len(per_version)} translated versions ({dict(sorted(severities.items()))})")
    by_code = Counter((str(finding.severity), key.code) for key, finding in findings.items())
    for (severity, code), count in sorted(by_code.items(), key=lambda item: (item[0][0], -item[1], item[0][1])):
        print(f"  {count:5d}  {severity:7s} {code}")
    counts = sorted(per_version.values())
    if counts:
        with_any = sum(count > 0 for count in counts)
        print(
            f"findings per version: mean {sum(counts) / len(counts):.2f}, median {counts[len(counts) // 2]}, "
            f"max {counts[-1]}; versions with none: {len(counts) - with_any} of {len(counts)}"
        )

    verdicts = read_verdicts(arguments.verdicts)
    gone = [key for key in verdicts if key not in findings]
    print(f"verdicts: {len(verdicts)} in {arguments.verdicts.name}; judged findings that no longer occur: {len(gone)}")
    shares, weighted = {}, 0.0
    unjudged = [key for key in chosen if key not in verdicts]
    for severity in SAMPLE_SIZES:
        judged = [verdicts[key][0] for key in chosen if key in verdicts and str(findings[key].severity) == severity]
        if not severities[severity]:
            print(f"  {severity:7s} no findings of this severity: nothing to judge")
            continue
        if not judged:
            continue
        precision = judged.count("true") / len(judged)
        shares[severity] = precision
        weighted += precision * severities[severity]
        print(f"  {severity:7s} precision {precision:6.1%} ({judged.count('true')}/{len(judged)} judged true)")
    judged_total = sum(severities[severity] for severity in shares)
    if judged_total:
        overall = weighted / judged_total
        print(f"  all     precision {overall:6.1%} (weighted by each severity's share of the findings)")
        met = shares.get("error", 1.0) >= TARGETS["error"] and overall >= TARGETS["all"]
        print(f"targets: errors ≥ 95 %, all ≥ 80 % → {'met' if met else 'NOT met'}")
    print(f"sampled findings without a verdict: {len(unjudged)} (print them with --sample-csv)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

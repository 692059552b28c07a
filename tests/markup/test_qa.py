"""Translation QA on its own: every defect a reviewer would flag in the seed files, and nothing else."""

import pytest

from markup.document import parse_document
from markup.findings import Fix
from markup.qa import Version, apply_fix, check_version
from tests.markup.conftest import SEED, seed_document

# What a careful reviewer flags in each translation, against en, beyond the markup the renderer repairs.
EXPECTED = {
    "fr": {
        ("meta.keywords-untranslated", 2),
        ("meta.entity", 4),
        ("link.target-differs", 10),
        ("punct.doubled", 10),
        ("punct.missing-space-before", 14),
        ("punct.doubled", 24),
        ("punct.space-in-parentheses", 26),
        ("structure.table-missing", 38),
    },
    "nb": {
        ("meta.keywords-untranslated", 2),
        ("link.target-differs", 10),
        ("punct.doubled", 10),
        ("punct.doubled", 24),
        ("punct.space-in-parentheses", 26),
        ("text.term-misspelled", 32),
        ("text.term-misspelled", 36),
        ("structure.table-missing", 38),
        ("text.term-misspelled", 68),
        ("text.term-misspelled", 78),
    },
    "ko": {
        ("meta.keywords-untranslated", 2),
        ("text.truncated", 10),
        ("punct.space-before-particle", 10),
        ("punct.space-before", 10),
        ("link.particle-inside", 10),
        ("link.target-differs", 10),
        ("link.particle-inside", 14),
        ("punct.space-before-particle", 14),
        ("punct.space-before", 14),
        ("punct.space-before-particle", 24),
        ("link.particle-inside", 24),
        ("punct.space-before", 24),
        ("text.no-predicate", 26),
        ("name.case-differs", 26),
        ("punct.space-in-parentheses", 26),
        ("structure.table-missing", 38),
    },
    "zh-hans": {
        ("meta.keywords-untranslated", 2),
        ("text.truncated", 10),
        ("link.target-differs", 10),
        ("name.missing", 26),
        ("structure.table-missing", 38),
        ("punct.space-after-fullwidth", 64),
    },
}


def version(language: str, document=None) -> Version:
    document = document or seed_document(language)
    return Version(
        language=language,
        title=document.title,
        description=document.description,
        keywords=document.keywords,
        body=document.body,
        body_line=document.body_line,
        meta_lines=document.meta_lines,
    )


def qa_findings(language: str) -> set[tuple[str, int]]:
    findings = check_version(version(language), source=version("en"))
    return {(finding.code, finding.line) for finding in findings if not finding.code.startswith("markup.")}


@pytest.mark.parametrize("language", EXPECTED)
def test_seed_translation_gets_exactly_the_findings_a_reviewer_expects(language):
    assert qa_findings(language) == EXPECTED[language]


def test_english_source_checked_alone_has_only_its_markup_findings():
    codes = {finding.code for finding in check_version(version("en"))}

    assert codes == {"markup.quote-empty-line", "markup.quote-glued", "markup.html-block-glued", "markup.inline-style"}


def test_english_against_itself_has_no_cross_language_findings():
    findings = check_version(version("en"), source=version("en"))

    assert all(finding.code.startswith("markup.") for finding in findings)


def test_markup_findings_of_the_renderer_are_included():
    codes = {(f.code, f.line) for f in check_version(version("zh-hans"), source=version("en"))}

    assert ("markup.heading-fullwidth-hash", 70) in codes
    assert ("markup.placeholder", 38) in codes


def test_every_finding_has_its_language_location_and_a_message_with_its_parameters():
    for language in EXPECTED:
        for finding in check_version(version(language), source=version("en")):
            assert finding.language == language
            assert finding.message and finding.text()
            assert finding.line >= 1 and finding.column >= 1


def test_french_space_before_question_mark_is_correct_french():
    text = (
        "---\ntitle: Paie\ndescription: La paie.\n---\n"
        "## Qu'est-ce que la paie ?\n\nLa paie : un calcul ; rien de plus !\n"
    )
    document = parse_document(text, name="fr.md")

    assert check_version(version("fr", document)) == []


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("ko", "## 급여란?\n\n급여는 [직원](/employee)에게 지급하는 돈입니다. 회사는 매달 급여를 지급합니다.\n"),
        ("zh-hans", "## 什么是工资？\n\n工资是支付给[员工](/employee)的钱。公司每月支付工资。\n"),
        ("nb", "## Hva er lønn?\n\nLønn er penger som betales til [ansatte](/employee). Den betales hver måned.\n"),
        ("en", "## What is payroll?\n\nPayroll is the money paid to [employees](/employee), every month (usually).\n"),
    ],
)
def test_clean_text_has_no_findings(language, body):
    document = parse_document(f"---\ntitle: Payroll\ndescription: Money paid.\n---\n{body}", name=f"{language}.md")

    assert check_version(version(language, document)) == []


def test_clean_translation_against_its_source_has_no_findings():
    source = parse_document(
        "---\ntitle: Payroll\ndescription: Pay.\nkeywords: pay\n---\n## What\n\nPaid in 2006 to [staff](/staff): "
        "$1 million (StartEngine).\n",
        name="en.md",
    )
    target = parse_document(
        "---\ntitle: Paie\ndescription: Paie.\nkeywords: paie\n---\n## Quoi\n\nPayée en 2006 au [personnel](/staff) : "
        "1 million de dollars (StartEngine).\n",
        name="fr.md",
    )

    assert check_version(version("fr", target), source=version("en", source)) == []


def test_amounts_in_korean_and_chinese_units_match_the_source():
    source = parse_document("---\ntitle: X\ndescription: d\n---\nHe won $1 million in 2006.\n", name="en.md")
    korean = parse_document("---\ntitle: X\ndescription: d\n---\n2006년에 100만 달러를 받았습니다.\n", name="ko.md")
    chinese = parse_document("---\ntitle: X\ndescription: d\n---\n他在 2006 年赢得了 100 万美元。\n", name="zh.md")
    wrong = parse_document("---\ntitle: X\ndescription: d\n---\n2006년에 10만 달러를 받았습니다.\n", name="ko.md")

    assert not [
        f for f in check_version(version("ko", korean), source=version("en", source)) if f.code.startswith("number")
    ]
    assert not [
        f
        for f in check_version(version("zh-hans", chinese), source=version("en", source))
        if f.code.startswith("number")
    ]
    assert [f.code for f in check_version(version("ko", wrong), source=version("en", source))] == ["number.differs"]


@pytest.mark.parametrize(
    ("language", "code", "line"),
    [
        ("fr", "meta.entity", 4),
        ("fr", "punct.doubled", 10),
        ("ko", "link.particle-inside", 24),
        ("ko", "punct.space-before-particle", 10),
        ("nb", "text.term-misspelled", 32),
        ("ko", "name.case-differs", 26),
        ("zh-hans", "punct.space-after-fullwidth", 64),
    ],
)
def test_mechanical_fix_applies_to_the_file_and_clears_the_finding(language, code, line):
    text = (SEED / f"{language}.md").read_text(encoding="utf-8")
    finding = next(
        f for f in check_version(version(language), source=version("en")) if (f.code, f.line) == (code, line)
    )

    fixed = apply_fix(text, finding.fix)

    after = check_version(version(language, parse_document(fixed, name="fixed")), source=version("en"))
    assert (code, line, finding.column) not in {(f.code, f.line, f.column) for f in after}
    assert len(fixed.splitlines()) == len(text.splitlines())


def test_fix_of_the_french_description_gives_plain_apostrophe():
    text = (SEED / "fr.md").read_text(encoding="utf-8")
    finding = next(f for f in check_version(version("fr")) if f.code == "meta.entity")

    assert "d'un grand groupe" in apply_fix(text, finding.fix)


def test_fix_that_no_longer_matches_is_refused():
    with pytest.raises(ValueError, match="no longer reads"):
        apply_fix("abc\ndef\n", Fix(2, 1, "xyz", ""))


@pytest.mark.parametrize(
    "body",
    [
        "#" * 1_000_000,
        "<div><table><tr><td>unclosed",
        "\x00\x01 binary \xff",
        "[" * 50_000,
        "x" * 1_000_000,
        "<" * 100_000,
    ],
    ids=["hashes", "unclosed-html", "binary", "brackets", "long-line", "angles"],
)
def test_any_input_gets_findings_never_an_exception(body):
    broken = Version("ko", "제목", "", "", body)

    findings = check_version(broken, source=version("en"))

    assert isinstance(findings, list)

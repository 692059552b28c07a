"""Translation QA on its own: every defect a reviewer would flag in the seed files, and nothing else."""

import re

import pytest

from markup.document import parse_document
from markup.findings import Fix
from markup.qa import Version, apply_fix, check_version, document_version
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
    return document_version(document or seed_document(language), language=language)


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


# Precision on real content: each rule below comes from a false finding on the tldr-pages corpus.


def body_version(language: str, body: str, *, title: str = "tar") -> Version:
    return Version(language, title, "A description.", "", body)


def codes_of(language: str, body: str, source_body: str | None = None) -> set[tuple[str, int]]:
    """QA's own findings (the renderer's markup.* repairs are tested with the renderer)."""
    source = body_version("en", source_body) if source_body is not None else None
    findings = check_version(body_version(language, body), source=source)
    return {(finding.code, finding.line) for finding in findings if not finding.code.startswith("markup.")}


def test_images_are_not_links_with_no_text():
    body = "![A screenshot of a break section](img/break.jpg)\n\n[![Logo](img/logo.png)](https://example.org)\n"

    assert codes_of("en", body) == set()


def test_placeholders_and_marks_inside_code_never_trip_punctuation_rules():
    body = (
        "# tar\n\n> Utilitaire d'archivage.\n\n- Crée une archive à partir de fichiers :\n\n"
        "`tar cf {{chemin/vers/cible.tar}} {{chemin/vers/fichier1 chemin/vers/fichier2 ...}}`\n\n"
        '- Extrait les fichiers correspondant au motif :\n\n`tar xf {{source.tar}} --wildcards "{{*.html}}" ;: ,,`\n\n'
        "```\necho a ,, b ( c )\n```\n"
    )

    assert codes_of("fr", body) == set()


def test_brand_names_ending_in_a_mark_are_not_french_punctuation_defects():
    source = "# Search\n\nHe used [Yahoo!](/yahoo) and Yahoo! Mail, then the Guess? brand.\n"
    body = "# Recherche\n\nIl a utilisé [Yahoo!](/yahoo) et Yahoo! Mail, puis la marque Guess? aussi.\n"

    assert codes_of("fr", body, source) == set()


def test_a_french_exclamation_without_its_space_is_still_reported():
    source = "# Search\n\nThis is great!\n"
    body = "# Recherche\n\nC'est formidable!\n"

    assert ("punct.missing-space-before", 3) in codes_of("fr", body, source)


def test_file_names_urls_and_decimals_do_not_split_korean_sentences():
    body = (
        "# 파일\n\n이 명령은 설정을 읽고, 결과를 output.png 파일과 https://example.org/a.b 주소에 저장한 다음 "
        "3.5초 후에 종료합니다.\n\n- 로컬에 설치된 `asciinema`를 asciinema.org 계정과 연결:\n"
    )

    assert codes_of("ko", body) == set()


def test_a_cut_off_korean_sentence_is_still_reported():
    body = "# 플랫폼\n\n일부 플랫폼은 창작자, 투자, 부동산 산업, 비영리 단체, 심지어 자본을 조달하려는 스타트업.\n"

    assert ("text.no-predicate", 3) in codes_of("ko", body)


EN_EXAMPLES = (
    "# tar\n\n> Archiving utility.\n\n"
    "- Create an archive from files:\n\n`tar cf {{target.tar}} {{file1}}`\n\n"
    "- Extract an archive into a target directory with 2 threads:\n\n`tar xf {{source.tar}} -C {{directory}}`\n\n"
    "- List the contents of a tar file, see [archives](/archive):\n\n`tar tvf {{source.tar}}`\n"
)


def test_a_missing_example_is_one_finding_and_later_passages_are_still_compared_with_their_own():
    body = (
        "# tar\n\n> Utilitaire d'archivage.\n\n"
        "- Crée une archive à partir de fichiers :\n\n`tar cf {{cible.tar}} {{fichier1}}`\n\n"
        "- Liste le contenu d'une archive, voir [archives](/archive) :\n\n`tar tvf {{source.tar}}`\n"
    )

    assert codes_of("fr", body, EN_EXAMPLES) == {("structure.missing", 7)}


def test_an_inserted_paragraph_is_one_finding_and_shifts_no_comparison():
    body = (
        "# tar\n\n> Utilitaire d'archivage.\n\nUn paragraphe ajouté qui cite 1999 et [autre](/other).\n\n"
        "- Crée une archive à partir de fichiers :\n\n`tar cf {{cible.tar}} {{fichier1}}`\n\n"
        "- Extrait une archive dans un dossier avec 2 fils :\n\n`tar xf {{source.tar}} -C {{dossier}}`\n\n"
        "- Liste le contenu d'une archive, voir [archives](/archive) :\n\n`tar tvf {{source.tar}}`\n"
    )

    assert codes_of("fr", body, EN_EXAMPLES) == {("structure.extra", 5)}


def test_a_changed_number_in_the_matching_passage_is_found():
    body = EN_EXAMPLES.replace("with 2 threads", "with 4 threads").replace("Archiving utility.", "Archivverktøy.")
    body = body.replace("Create an archive from files:", "Lag et arkiv av filer:")
    body = body.replace("Extract an archive into a target directory", "Pakk ut et arkiv i en mappe")
    body = body.replace("List the contents of a tar file, see", "Vis innholdet i et tar-arkiv, se")

    assert codes_of("nb", body, EN_EXAMPLES) == {("number.differs", 9)}


def test_a_chinese_passage_with_two_of_three_sentences_left_in_english_is_found():
    source = (
        "# Crowdsourcing\n\nCrowdsourcing gathers work from many people. It lets companies tap a wide pool of "
        "skills. It also saves time and money.\n"
    )
    body = (
        "# 众包\n\n众包从很多人那里收集工作。"
        "It lets companies tap a wide pool of skills. It also saves time and money.\n"
    )

    findings = check_version(body_version("zh-hans", body, title="众包"), source=body_version("en", source))

    assert [(f.code, f.line, f.params["count"]) for f in findings] == [("text.source-language", 3, 2)]


def test_a_korean_item_left_in_english_is_found_but_commands_names_and_urls_are_not():
    source = "# git\n\n- Show the status of the GitHub Actions workflow runs:\n\n`gh run list`\n"
    left = "# git\n\n- Show the status of the GitHub Actions workflow runs:\n\n`gh run list`\n"
    translated = (
        "# git\n\n- GitHub Actions 워크플로 실행 상태 표시 (`gh run list`, <https://cli.github.com>):"
        "\n\n`gh run list`\n"
    )

    assert codes_of("ko", left, source) == {("text.source-language", 3)}
    assert codes_of("ko", translated, source) == set()


def test_a_french_passage_identical_to_english_is_found_and_a_translated_one_is_not():
    source = "# tar\n\n> Archiving utility.\n> Often combined with a compression method, such as gzip or bzip2.\n"
    left = "# tar\n\n> Utilitaire d'archivage.\n> Often combined with a compression method, such as gzip or bzip2.\n"
    translated = (
        "# tar\n\n> Utilitaire d'archivage.\n> Souvent combiné avec une méthode de compression, telle que gzip.\n"
    )

    assert codes_of("fr", left, source) == {("text.source-language", 3)}
    assert codes_of("fr", translated, source) == set()


def test_a_word_the_source_uses_too_is_not_a_misspelling_of_the_term():
    source = "# deluged\n\n- Start the Deluge daemon:\n\n`deluged`\n"
    body = "# deluged\n\n- Lance le démon Deluge (le deluget) :\n\n`deluged`\n"

    findings = check_version(body_version("fr", body, title="deluged"), source=body_version("en", source))

    assert [(f.code, f.line, f.params.get("word")) for f in findings] == [("text.term-misspelled", 3, "deluget")]


def test_a_term_followed_by_a_korean_particle_is_not_a_misspelling():
    source = "# firefox\n\n- Launch Firefox and open a web page:\n\n`firefox {{https://www.duckduckgo.com}}`\n"
    body = "# firefox\n\n- Firefox를 실행하고 웹 페이지 열기:\n\n`firefox {{https://www.duckduckgo.com}}`\n"

    assert codes_of("ko", body, source) == set()


def test_side_by_side_alignment_leaves_a_missing_passage_facing_nothing():
    from markup.qa import align_passages, version_passages

    source = version_passages(EN_EXAMPLES)
    translation = version_passages(
        "# tar\n\n> Utilitaire.\n\n- Crée une archive :\n\n`tar cf {{cible.tar}} {{fichier1}}`\n\n"
        "- Liste le contenu, voir [archives](/archive) :\n\n`tar tvf {{source.tar}}`\n"
    )

    pairs = [(s.line if s else None, t.line if t else None) for s, t in align_passages(source, translation)]

    assert pairs == [(1, 1), (3, 3), (5, 5), (7, 7), (9, None), (11, None), (13, 9), (15, 11)]


def test_no_finding_on_the_real_corpus_points_inside_a_code_span(tldr_corpus):
    from tools.corpus import corpus_files

    files = {(slug, language): data.decode() for slug, language, data in corpus_files(tldr_corpus)}
    for (slug, language), text in files.items():
        if language == "en":
            continue
        title = text.splitlines()[0].removeprefix("# ")
        source = files[(slug, "en")]
        findings = check_version(Version(language, title, "", "", text), source=Version("en", title, "", "", source))
        lines = text.split("\n")
        for finding in findings:
            spans = [m.span() for m in re.finditer(r"(`+)[^`\n]*?\1(?!`)", lines[finding.line - 1])]
            assert not any(start < finding.column - 1 < end for start, end in spans), (slug, language, finding)
            assert finding.severity != "error", (slug, language, finding)


def test_a_translation_is_not_told_it_lacks_the_description_its_source_lacks_too():
    source = Version("en", "tar", "", "", "# tar\n\n> Archiving utility.\n")
    translation = Version("fr", "tar", "", "", "# tar\n\n> Utilitaire d'archivage.\n")

    assert [f.code for f in check_version(source)] == ["meta.description-missing"]
    assert check_version(translation, source=source) == []


def test_only_what_is_certainly_wrong_for_a_reader_is_an_error():
    errors = {
        finding.code
        for language in EXPECTED
        for finding in check_version(version(language), source=version("en"))
        if finding.severity == "error"
    }

    assert errors == {"structure.table-missing", "markup.placeholder", "link.target-differs"}


@pytest.mark.parametrize("language", ["fr", "nb", "ko", "zh-hans"])
def test_a_link_target_differing_from_the_source_is_an_error_with_a_one_click_fix(language):
    # en links "freelancers" to /consultant where the four translations link to /freelancer.
    text = (SEED / f"{language}.md").read_text(encoding="utf-8")
    finding = next(f for f in check_version(version(language), source=version("en")) if f.code == "link.target-differs")

    assert finding.severity == "error"
    assert finding.params == {"target": "/freelancer", "source": "en", "expected": "/consultant"}
    fixed = apply_fix(text, finding.fix)
    assert "](/consultant)" in fixed.splitlines()[finding.line - 1]
    after = check_version(version(language, parse_document(fixed, name="fixed")), source=version("en"))
    assert "link.target-differs" not in {f.code for f in after}


def test_a_link_target_differing_in_a_passage_with_another_number_of_links_stays_a_warning():
    source = Version(language="en", title="T", description="", keywords="", body="See [a](/one) and [b](/two).\n")
    translation = Version(language="fr", title="T", description="", keywords="", body="Voir [a](/three).\n")

    differs = [f for f in check_version(translation, source=source) if f.code == "link.target-differs"]

    assert [(f.severity, f.fix) for f in differs] == [("warning", None)]


def test_a_reference_style_link_target_gets_no_fix():
    source = Version(language="en", title="T", description="", keywords="", body="See [a](/one).\n")
    translation = Version(language="fr", title="T", description="", keywords="", body="Voir [a][x].\n\n[x]: /three\n")

    differs = [f for f in check_version(translation, source=source) if f.code == "link.target-differs"]

    assert [(f.severity, f.fix) for f in differs] == [("warning", None)]

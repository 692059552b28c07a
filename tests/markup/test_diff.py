"""Readable diffs: words for spaced scripts, characters for Chinese and Korean, block rows for bodies, escaped HTML."""

import time

from markup.diff import DiffOp, diff_blocks, diff_html, tokens, word_diff


def _changed(ops: list[DiffOp]) -> list[tuple[str, str]]:
    return [(op.op, op.text) for op in ops if op.op != "equal"]


def _rebuilt(ops, side: str) -> str:
    skip = "insert" if side == "before" else "delete"
    return "".join(op.text for op in ops if op.op != skip)


def test_english_changes_whole_words():
    ops = word_diff("The quick brown fox jumps.", "The quick red fox jumps.")
    assert _changed(ops) == [("delete", "brown"), ("insert", "red")]


def test_two_changed_words_separated_by_a_space_read_as_one_change():
    ops = word_diff("The quick brown fox.", "The slow red fox.")
    assert _changed(ops) == [("delete", "quick brown"), ("insert", "slow red")]


def test_french_accents_stay_inside_their_word():
    ops = word_diff("Les réseaux sociaux et l’été", "Les réseaux sociaux et l’hiver")
    assert _changed(ops) == [("delete", "été"), ("insert", "hiver")]
    assert tokens("e\u0301te\u0301") == ["e\u0301te\u0301"]  # decomposed accents are part of the word


def test_korean_is_diffed_character_by_character():
    ops = word_diff("크라우드소싱은 대중의 참여", "크라우드펀딩은 대중의 참여")
    assert _changed(ops) == [("delete", "소싱"), ("insert", "펀딩")]


def test_chinese_is_diffed_character_by_character():
    ops = word_diff("众包是一种模式。", "众筹是一种模式。")
    assert _changed(ops) == [("delete", "包"), ("insert", "筹")]


def test_mixed_text_uses_words_for_latin_and_characters_for_han_and_hangul():
    ops = word_diff("众包 (crowdsourcing) 모델", "众筹 (crowdfunding) 모델")
    assert _changed(ops) == [
        ("delete", "包"),
        ("insert", "筹"),
        ("delete", "crowdsourcing"),
        ("insert", "crowdfunding"),
    ]


def test_japanese_kana_is_diffed_character_by_character_without_a_language_code():
    ops = word_diff("クラウドソーシング", "クラウドファンディング")
    assert ("delete", "ソー") in _changed(ops) or ("delete", "ソーシ") in _changed(ops)
    assert _rebuilt(ops, "after") == "クラウドファンディング"


def test_the_operations_rebuild_both_texts():
    before = "Les <b>réseaux</b> & 众包, 크라우드 소싱\nligne deux"
    after = "Des <i>réseaux</i> & 众筹, 크라우드 펀딩\nligne trois"
    ops = word_diff(before, after)
    assert _rebuilt(ops, "before") == before
    assert _rebuilt(ops, "after") == after


def test_diff_html_escapes_the_text_and_marks_changes():
    html = diff_html('a <script>alert("x")</script> & b', "a <b>bold</b> & b")
    assert "<script>" not in html
    assert "&lt;" in html and "&amp;" in html and "&quot;" in html
    assert html.startswith("a &lt;")
    assert "<del>script</del><ins>b</ins>" in html


def test_identical_texts_have_one_equal_op():
    assert word_diff("same text", "same text") == [DiffOp("equal", "same text")]


def test_diff_blocks_gives_one_equal_row_per_unchanged_block_and_word_ops_for_changed_ones():
    before = "# Title\n\nFirst paragraph here.\n\n- item one\n- item two\n\nGone.\n"
    after = "# Title\n\nFirst paragraph there.\n\n- item one\n- item two\n- item three\n"
    rows = diff_blocks(before=before, after=after)
    assert [(row.op, row.before, row.after) for row in rows] == [
        ("equal", "# Title", "# Title"),
        ("change", "First paragraph here.", "First paragraph there."),
        ("equal", "- item one", "- item one"),
        ("equal", "- item two", "- item two"),
        ("delete", "Gone.", ""),
        ("insert", "", "- item three"),
    ]
    assert rows[1].html() == "First paragraph <del>here</del><ins>there</ins>."


def test_diff_blocks_ignores_line_endings():
    rows = diff_blocks(before="A.\r\n\r\nB.\r\n", after="A.\n\nB.\n")
    assert [row.op for row in rows] == ["equal", "equal"]


def test_diff_blocks_of_200000_characters_with_one_change_is_quick():
    paragraphs = [f"Paragraph {n} with some words." for n in range(7_000)]
    before = "\n\n".join(paragraphs)
    after = before.replace("Paragraph 3500 with", "Paragraph 3500 without")
    assert len(before) >= 200_000
    start = time.perf_counter()
    rows = diff_blocks(before=before, after=after)
    elapsed = time.perf_counter() - start
    assert (
        next(row for row in rows if row.op != "equal").html()
        == "Paragraph 3500 <del>with</del><ins>without</ins> some words."
    )
    assert elapsed < 10  # two parses of 200,000 characters take about one second; quadratic work would take minutes


def test_word_diff_of_two_long_different_texts_stays_fast():
    before = " ".join(f"w{n}" for n in range(30_000))
    after = " ".join(f"w{n}" for n in range(0, 30_000, 2))
    start = time.perf_counter()
    ops = word_diff(before, after)
    assert time.perf_counter() - start < 5
    assert _rebuilt(ops, "after") == after

"""Fix ids: a fix is named by code, position and its passage, and refused with a reason when the passage changed."""

import pytest

from markup.document import parse_document
from markup.findings import Finding, Fix, Severity
from markup.fixes import StaleFixError, apply_fix_by_id, fix_id
from markup.parse import parse_markdown

TEXT = """---
title: Quotes
---
Intro.

> quoted
>

After with a typo teh.
"""


def findings_of(text: str) -> list[Finding]:
    """Return the findings with a fix of a file text, as the editor's form would have them computed."""
    document = parse_document(text, name="form")
    found = [f for f in parse_markdown(document.body, first_line=document.body_line).findings if f.fix]
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if "teh" in line:  # a made-up spelling check, so the tests hold whatever the QA checks become
            column = line.index("teh") + 1
            found.append(
                Finding("text.typo", Severity.INFO, number, column, "typo", fix=Fix(number, column, "teh", "the"))
            )
    return found


def the_fix(text: str, code: str) -> Finding:
    return next(f for f in findings_of(text) if f.code == code)


def test_fix_id_names_code_position_and_passage():
    finding = the_fix(TEXT, "markup.quote-empty-line")
    identifier = fix_id(finding, text=TEXT)
    code, line, column, digest = identifier.rsplit(":", 3)
    assert (code, line, column) == ("markup.quote-empty-line", "7", "1")
    assert len(digest) == 10
    assert fix_id(finding, text=TEXT) == identifier


def test_fix_id_changes_when_the_passage_changes_but_not_when_another_one_does():
    finding = the_fix(TEXT, "markup.quote-empty-line")
    identifier = fix_id(finding, text=TEXT)
    assert fix_id(finding, text=TEXT.replace("After with", "Later with")) == identifier
    assert fix_id(finding, text=TEXT.replace("> quoted", "> quoted, edited")) != identifier


def test_fix_id_is_the_same_for_crlf_and_lf_text():
    finding = the_fix(TEXT, "text.typo")
    assert fix_id(finding, text=TEXT.replace("\n", "\r\n")) == fix_id(finding, text=TEXT)


def test_a_finding_without_a_fix_has_no_id():
    with pytest.raises(ValueError, match="has no fix"):
        fix_id(Finding("x.y", Severity.INFO, 1, 1, "no fix"), text=TEXT)


def test_apply_fix_by_id_applies_the_fix_it_names():
    identifier = fix_id(the_fix(TEXT, "markup.quote-empty-line"), text=TEXT)
    fixed = apply_fix_by_id(text=TEXT, findings=findings_of(TEXT), fix_id=identifier)
    assert fixed == TEXT.replace("> quoted\n>\n", "> quoted\n")


def test_a_fix_applies_to_the_text_in_the_form_with_other_unsaved_edits_kept():
    identifier = fix_id(the_fix(TEXT, "text.typo"), text=TEXT)
    form_text = TEXT.replace("Intro.", "Intro, edited in the form.")
    fixed = apply_fix_by_id(text=form_text, findings=findings_of(form_text), fix_id=identifier)
    assert fixed == form_text.replace("teh", "the")


def test_a_fix_whose_passage_moved_down_still_applies():
    identifier = fix_id(the_fix(TEXT, "text.typo"), text=TEXT)
    form_text = TEXT.replace("Intro.\n", "Intro.\n\nA new paragraph\nof two lines.\n")
    fixed = apply_fix_by_id(text=form_text, findings=findings_of(form_text), fix_id=identifier)
    assert fixed == form_text.replace("teh", "the")


def test_a_fix_whose_passage_changed_is_refused_with_the_line_as_it_reads_now():
    identifier = fix_id(the_fix(TEXT, "text.typo"), text=TEXT)
    form_text = TEXT.replace("After with a typo teh.", "After, rewritten: teh.")
    with pytest.raises(StaleFixError) as refused:
        apply_fix_by_id(text=form_text, findings=findings_of(form_text), fix_id=identifier)
    assert str(refused.value) == (
        "Line 9 changed since this fix was shown; it now reads “After, rewritten: teh.”. Nothing was changed."
    )
    assert refused.value.text(lambda message: message.replace("Line", "Ligne")).startswith("Ligne 9 changed")


def test_stored_findings_against_a_form_text_whose_lines_moved_are_refused_not_misapplied():
    stored = findings_of(TEXT)
    identifier = fix_id(the_fix(TEXT, "markup.quote-empty-line"), text=TEXT)
    form_text = TEXT.replace("Intro.\n", "Intro.\n\nNew.\n")  # the stored positions now point two lines too high
    with pytest.raises(StaleFixError, match="changed since this fix was shown"):
        apply_fix_by_id(text=form_text, findings=stored, fix_id=identifier)


def test_a_fix_already_applied_is_refused_naming_the_problem():
    identifier = fix_id(the_fix(TEXT, "text.typo"), text=TEXT)
    fixed = TEXT.replace("teh", "the")
    with pytest.raises(StaleFixError, match="changed since"):
        apply_fix_by_id(text=fixed, findings=findings_of(fixed), fix_id=identifier)


def test_a_finding_gone_from_an_unchanged_passage_is_refused_naming_the_code():
    identifier = fix_id(the_fix(TEXT, "text.typo"), text=TEXT)
    without = [f for f in findings_of(TEXT) if f.code != "text.typo"]
    with pytest.raises(StaleFixError) as refused:
        apply_fix_by_id(text=TEXT, findings=without, fix_id=identifier)
    assert refused.value.params == {"code": "text.typo", "line": 9, "column": 19}


def test_a_malformed_fix_id_is_refused():
    with pytest.raises(StaleFixError, match="not a fix id: 3"):
        apply_fix_by_id(text=TEXT, findings=findings_of(TEXT), fix_id="3")


def test_a_crlf_text_stays_crlf_after_a_fix_that_removes_a_line():
    text = TEXT.replace("\n", "\r\n")
    identifier = fix_id(the_fix(text, "markup.quote-empty-line"), text=text)
    fixed = apply_fix_by_id(text=text, findings=findings_of(text), fix_id=identifier)
    assert fixed == TEXT.replace("> quoted\n>\n", "> quoted\n").replace("\n", "\r\n")

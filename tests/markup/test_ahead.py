"""Parsing and checking ahead (markup/ahead.py): the results a save would make, used only for the same inputs."""

import pytest

from markup import parse as parse_module
from markup.ahead import ReadAhead, read_ahead, use_read_ahead
from markup.document import parse_document
from markup.findings import Finding, Severity
from markup.parse import parse_cache_clear, parse_markdown
from markup.qa import check_inputs, check_version, document_version
from tests.conftest import FIXTURES


@pytest.fixture
def seed_documents():
    return [
        (path.stem, parse_document(path.read_text("utf-8"), name=path.name))
        for path in sorted((FIXTURES / "crowdsourcing").glob("*.md"))
    ]


@pytest.fixture(autouse=True)
def nothing_kept_ahead():
    use_read_ahead(None)
    yield
    use_read_ahead(None)


def test_what_is_read_ahead_is_what_parse_and_check_make(seed_documents):
    read = read_ahead(seed_documents, source_language="en")

    source = document_version(dict(seed_documents)["en"], language="en")
    assert len(read.checks) == len(seed_documents) == 5
    codes = set()
    for language, document in seed_documents:
        version = document_version(document, language=language)
        compared = None if language == "en" else source
        findings = read.checks[check_inputs(version, source=compared, merged_slugs={})]
        assert findings == check_version(version, source=compared, merged_slugs={})
        codes.update(finding.code for finding in findings)
        assert read.parses[version.body].blocks == parse_module._parse_fresh(version.body, 1).blocks
    assert any(code.startswith(("structure.", "link.")) for code in codes)  # translations checked against en


def test_without_the_source_file_translations_are_left_to_the_save(seed_documents):
    read = read_ahead([pair for pair in seed_documents if pair[0] != "en"], source_language="en")

    assert read.checks == {}
    assert len(read.parses) == 4


def test_parses_read_ahead_are_used_for_their_bodies_in_place_of_a_parse(seed_documents, monkeypatch):
    read = read_ahead(seed_documents, source_language="en")
    parse_cache_clear()
    calls = []
    real_parse = parse_module.MARKDOWN.parse
    monkeypatch.setattr(parse_module.MARKDOWN, "parse", lambda *args: calls.append(1) or real_parse(*args))

    use_read_ahead(read)
    body = document_version(seed_documents[0][1], language=seed_documents[0][0]).body
    in_file = parse_markdown(body, first_line=5)
    other = parse_markdown("Not read ahead.\n")

    assert parse_markdown(body) is read.parses[body]
    assert in_file.blocks[0].line == read.parses[body].blocks[0].line + 4
    assert other.blocks[0].text == "Not read ahead."
    assert len(calls) == 1  # the body nobody read ahead


def test_a_check_read_ahead_answers_only_the_very_same_inputs(seed_documents):
    versions = {language: document_version(document, language=language) for language, document in seed_documents}
    kept = Finding("text.kept", Severity.INFO, 1, 1, "kept ahead")
    inputs = check_inputs(versions["fr"], source=versions["en"], merged_slugs={})
    use_read_ahead(ReadAhead(checks={inputs: [kept]}))

    assert check_version(versions["fr"], source=versions["en"], merged_slugs={}) == [kept]
    assert kept not in check_version(versions["fr"], source=versions["en"], merged_slugs={"old": "new"})
    assert kept not in check_version(versions["fr"], source=versions["nb"], merged_slugs={})
    assert kept not in check_version(versions["ko"], source=versions["en"], merged_slugs={})

    use_read_ahead(None)
    assert kept not in check_version(versions["fr"], source=versions["en"], merged_slugs={})

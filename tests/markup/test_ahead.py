"""Parsing, checking and rendering ahead (markup/ahead.py): the results a save would make, used only for the same
inputs."""

import pickle

import pytest

from markup import ahead as ahead_module
from markup import parse as parse_module
from markup import qa as qa_module
from markup.ahead import (
    ReadAhead,
    note_link_resolutions,
    noted_link_resolutions,
    noting_link_resolutions,
    read_ahead,
    use_read_ahead,
)
from markup.document import parse_document, plain_text
from markup.findings import Finding, Severity
from markup.parse import parse_cache_clear, parse_markdown
from markup.qa import check_inputs, check_version, document_version, version_passages
from markup.render import TermLink, find_term_links, render_ahead, render_markdown
from markup.usage import usage_sentences
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
    ahead_module._known_links.clear()
    yield
    use_read_ahead(None)
    ahead_module._known_links.clear()
    noting_link_resolutions(False)


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


def seed_links(body: str, **changed: TermLink | None) -> dict[str, TermLink | None]:
    """A resolution for every link target of `body`: each a term with an article, unless `changed` says otherwise."""
    links = {link.target: TermLink(f"/en/terms/{link.target}/", missing=False) for link in find_term_links(body)}
    return {**links, **changed}


def test_a_render_read_ahead_answers_only_a_body_whose_links_resolve_as_they_did(seed_documents):
    version = document_version(dict(seed_documents)["en"], language="en")
    links = seed_links(version.body)
    title, line = plain_text(version.title), version.body_line
    made = render_ahead(version.body, links=links, title=title, first_line=line)
    expected = render_markdown(version.body, resolve_link=links.get, title=title, first_line=line)
    target = next(iter(links))
    missing = {**links, target: TermLink(f"/en/terms/{target}/", missing=True, title="No article yet")}
    use_read_ahead(ReadAhead(renders={version.body: made}))

    assert made.rendered == expected
    assert render_markdown(version.body, resolve_link=links.get, title=title, first_line=line) == expected
    assert render_markdown(version.body, resolve_link=missing.get, title=title, first_line=line) != expected
    assert render_markdown(version.body, resolve_link=links.get, title="Other", first_line=line) != expected
    assert render_markdown(version.body, resolve_link=links.get, title=title, first_line=line + 1) != expected


def test_a_body_linking_to_a_target_nobody_resolved_or_showing_an_image_is_left_to_the_save(seed_documents):
    body = document_version(dict(seed_documents)["en"], language="en").body
    links = seed_links(body)
    unknown = dict(list(links.items())[1:])
    pictured = f"{body}\n![A crowd](img/crowd.png)\n"

    assert render_ahead(body, links=links) is not None
    assert render_ahead(body, links=unknown) is None
    assert render_ahead(pictured, links=links) is None


def test_link_resolutions_are_noted_for_the_second_process_only_while_an_import_reads_ahead():
    link = TermLink("/en/terms/ledger/", missing=False)
    note_link_resolutions({"en": {"ledger": link}})
    noting_link_resolutions(True)
    note_link_resolutions({"en": {"ledger": link}, "fr": {"ledger": None}})

    assert noted_link_resolutions() == {"en": {"ledger": link}, "fr": {"ledger": None}}
    assert noted_link_resolutions() == {}
    noting_link_resolutions(False)
    note_link_resolutions({"en": {"ledger": link}})
    assert noted_link_resolutions() == {}


def test_the_second_process_renders_with_the_resolutions_sent_along_with_earlier_articles(seed_documents):
    source = document_version(dict(seed_documents)["en"], language="en")
    links = seed_links(source.body)

    first = read_ahead(seed_documents, source_language="en")
    later = read_ahead(seed_documents, source_language="en", resolved={"en": links})

    assert first.renders == {}
    assert list(later.renders) == [source.body]
    assert later.renders[source.body].links == links


def test_a_body_rendered_ahead_comes_as_its_blocks_which_answer_its_links_usages_and_passages(
    seed_documents, monkeypatch
):
    body = document_version(dict(seed_documents)["en"], language="en").body
    parse_cache_clear()
    expected = (find_term_links(body), usage_sentences(body), version_passages(body))
    read = read_ahead(seed_documents, source_language="en", resolved={"en": seed_links(body)})
    parse_cache_clear()
    qa_module._read.cache_clear()  # the passages of a body are kept as parses are
    calls = []
    real_parse = parse_module.MARKDOWN.parse
    monkeypatch.setattr(parse_module.MARKDOWN, "parse", lambda *args: calls.append(1) or real_parse(*args))

    use_read_ahead(read)

    assert body in read.renders and body not in read.parses  # the save takes its render: no tokens sent
    assert (find_term_links(body), usage_sentences(body), version_passages(body)) == expected
    assert calls == []
    assert len(pickle.dumps(read.blocks[body])) * 3 < len(pickle.dumps(parse_module._parse_fresh(body, 1)))

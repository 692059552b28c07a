"""The one parse: blocks, file positions, inline facts. No Django, no database."""

import tracemalloc

import pytest

from markup.parse import BLOCK_KINDS, CONTAINER_KINDS, MARKDOWN, parse_cache_clear, parse_markdown

BODY = """# Title

Intro with [a link](/slug "T") and `code` and ![Alt text](img/a.png).
second line [ref][r] and [short].

> quote [q](/q)
> - item in quote

| a | b [x](/x) |
|---|---|
| `c` | [y](/y) |

::: Notice
aside [n](/n)
:::

Term
: definition [d](/d)

Foot[^1].

[^1]: the note [f](/f)

[r]: /ref "Ref title"
[short]: /short

## Section
"""


def block(parsed, kind, index=0):
    return [found for found in parsed.blocks if found.kind == kind][index]


def test_every_block_kind_and_container_is_from_the_documented_sets():
    parsed = parse_markdown(BODY)

    assert {found.kind for found in parsed.blocks} <= BLOCK_KINDS
    assert {found.container for found in parsed.blocks} <= CONTAINER_KINDS


def test_blocks_come_in_file_order_with_file_lines():
    parsed = parse_markdown(BODY, first_line=5)

    lines = [found.line for found in parsed.blocks]
    assert lines == sorted(lines)
    assert block(parsed, "footnote").line == 4 + 22
    assert block(parsed, "paragraph").line == 7 and block(parsed, "paragraph").end_line == 8


def test_token_maps_are_file_lines():
    parsed = parse_markdown("a\n\n## b\n", first_line=10)

    heading = next(token for token in parsed.tokens if token.type == "heading_open")
    assert heading.map == [12, 13]


def test_link_line_and_column_point_at_the_bracket_in_the_file():
    parsed = parse_markdown(BODY, first_line=5)

    link = block(parsed, "paragraph").links[0]
    assert (link.target, link.text, link.title, link.line, link.column) == ("/slug", "a link", "T", 7, 12)
    assert parsed.lines[link.line - 5][link.column - 1] == "["


def test_reference_style_links_carry_target_title_label_and_position():
    parsed = parse_markdown(BODY, first_line=5)

    ref, short = block(parsed, "paragraph").links[1:]
    assert (ref.target, ref.title, ref.reference, ref.line, ref.column) == ("/ref", "Ref title", "r", 8, 13)
    assert (short.target, short.reference, short.column) == ("/short", "short", 26)


def test_images_are_not_links_and_keep_alt_and_position():
    parsed = parse_markdown(BODY)

    paragraph = block(parsed, "paragraph")
    assert [image.src for image in paragraph.images] == ["img/a.png"]
    image = paragraph.images[0]
    assert (image.alt, image.line) == ("Alt text", 3)
    assert parsed.lines[image.line - 1][image.column - 1 : image.column + 1] == "!["
    assert all(link.target != "img/a.png" for link in parsed.links)


def test_code_spans_are_listed_with_their_position():
    parsed = parse_markdown(BODY)

    code = block(parsed, "paragraph").code[0]
    assert (code.text, code.line) == ("code", 3)
    assert parsed.lines[code.line - 1][code.column - 1] == "`"


def test_table_rows_are_blocks_with_cells_and_cell_positions():
    parsed = parse_markdown(BODY)

    rows = [found for found in parsed.blocks if found.kind == "table-row"]
    assert [row.cells for row in rows] == [("a", "b x"), ("c", "y")]
    link = rows[1].links[0]
    assert parsed.lines[link.line - 1][link.column - 1 :].startswith("[y](/y)")


def test_quote_and_nested_list_say_their_containers():
    parsed = parse_markdown(BODY)

    assert block(parsed, "quote").container == "quote"
    item = block(parsed, "item")
    assert (item.text, item.container, item.containers) == ("item in quote", "list", ("quote", "list"))


def test_aside_label_definition_and_footnote_are_passages():
    parsed = parse_markdown(BODY)

    assert block(parsed, "aside-label").text == "Notice"
    assert block(parsed, "paragraph", 1).container == "aside"
    assert block(parsed, "definition-term").text == "Term"
    assert block(parsed, "definition").text == "definition d"
    assert block(parsed, "footnote").text == "the note f"


def test_path_names_the_headings_above_a_block():
    parsed = parse_markdown("# A\n\n## B\n\ntext\n\n## C\n\nmore\n")

    assert [found.path for found in parsed.blocks if found.kind == "paragraph"] == [("A", "B"), ("A", "C")]


def test_heading_ids_are_prefixed_unicode_aware_and_unique():
    parsed = parse_markdown("## Café au lait\n\n## Café au lait\n\n## 크라우드 소싱\n")

    ids = [token.attrGet("id") for token in parsed.tokens if token.type == "heading_open"]
    assert ids == ["h-café-au-lait", "h-café-au-lait_1", "h-크라우드-소싱"]


def test_text_nested_past_the_limit_is_kept_and_reported():
    parsed = parse_markdown("Intro.\n\n" + ">" * 5000 + " deep text", first_line=3)

    assert parsed.blocks[-1].text.endswith("deep text")
    assert [(f.code, f.line) for f in parsed.findings] == [("markup.too-deep", 5)]


@pytest.mark.parametrize(
    "body",
    ["[" * 20000, "<" * 20000, "[x](" * 20000, "*" * 20000, "![" * 5000 + "x" + "](a)" * 5000, "#\n" * 5000, "\0\r\n"],
)
def test_hostile_input_parses_without_raising(body):
    assert parse_markdown(body).tokens is not None


def peak_memory(parse, body: str) -> int:
    tracemalloc.start()
    parse(body)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_parse_memory_grows_linearly_and_stays_near_markdown_it_alone():
    body = ("Some words with [a link](/slug) and `code`.\n\n" * 5000)[:200_000]

    ours = peak_memory(parse_markdown, body)
    quarter = peak_memory(parse_markdown, body[:50_000])
    alone = peak_memory(lambda text: MARKDOWN.parse(text, {}), body)

    assert ours < 5 * quarter
    assert ours < 2 * alone


def test_heading_glued_to_its_hashes_is_a_heading_with_a_finding():
    parsed = parse_markdown("Intro.\n##什么是众包？\n＃＃ 强调 [x](/x)\n", first_line=8)

    headings = [(found.text, found.level, found.line) for found in parsed.blocks if found.kind == "heading"]
    assert headings == [("什么是众包？", 2, 9), ("强调 x", 2, 10)]
    assert [(f.code, f.line) for f in parsed.findings] == [
        ("markup.heading-no-space", 9),
        ("markup.heading-fullwidth-hash", 10),
    ]
    link = parsed.links[0]
    assert parsed.lines[link.line - 8][link.column - 1 :].startswith("[x](/x)")


def test_en_dash_items_are_items_and_keep_their_columns():
    parsed = parse_markdown("– first [a](/a)\n\n– second\n")

    assert [(found.kind, found.text) for found in parsed.blocks] == [("item", "first a"), ("item", "second")]
    assert (parsed.links[0].line, parsed.links[0].column) == (1, 9)
    assert parsed.lines[0].startswith("–")


def test_markdown_glued_after_a_closing_table_tag_keeps_its_file_line():
    parsed = parse_markdown("<table><tr>\n<td>x</td>\n</tr></table>\n## After\ntext\n", first_line=30)

    assert [(found.kind, found.line) for found in parsed.blocks] == [("html", 30), ("heading", 33), ("paragraph", 34)]


def test_quotes_split_by_blank_lines_are_one_quote_with_a_finding():
    parsed = parse_markdown("> ### Fact\n\n> Uber.\n\n>\n")

    opens = [token for token in parsed.tokens if token.type == "blockquote_open"]
    assert len(opens) == 1
    assert [(f.code, f.line) for f in parsed.findings] == [("markup.quote-split", 3), ("markup.quote-empty-line", 5)]


def test_crlf_body_gives_the_same_blocks_and_positions():
    body = "## A\n\nText [x](/x).\n"

    assert parse_markdown(body.replace("\n", "\r\n")).blocks == parse_markdown(body).blocks


def test_reference_definitions_are_in_env_with_file_lines():
    parsed = parse_markdown("[x][r]\n\n[r]: /slug 'T'\n", first_line=4)

    assert parsed.env["references"]["R"] == {"href": "/slug", "title": "T", "map": [6, 7]}


def test_render_term_links_and_qa_share_one_parse_of_a_body():
    body = "## Shared\n\nOne parse.\n"

    assert parse_markdown(body, first_line=2) is parse_markdown(body, first_line=2)


def test_the_five_versions_of_an_article_and_their_files_stay_parsed_together():
    from markup.parse import _parse

    _parse.cache_clear()
    bodies = [f"# Version {index}\n\nText [link](/term-{index}).\n" for index in range(10)]
    for body in bodies:
        parse_markdown(body)

    for body in bodies:
        parse_markdown(body)

    assert _parse.cache_info().hits == 10


def test_a_body_read_at_another_first_line_is_the_kept_parse_moved_not_parsed_again(monkeypatch):
    from markup import parse as parse_module

    body = "#Title\n\nText with [ a link ](/term)\n\n[x][r]\n\n[r]: /slug 'T'\n\n> a\n\n> b\n"
    parse_cache_clear()
    calls = []
    real_parse = parse_module.MARKDOWN.parse
    monkeypatch.setattr(parse_module.MARKDOWN, "parse", lambda *args: calls.append(1) or real_parse(*args))

    alone = parse_markdown(body)
    in_file = parse_markdown(body, first_line=6)

    fresh = parse_module._parse_fresh(body, 6)
    assert len(calls) == 2  # the one parse above and the fresh one to compare with
    assert in_file.blocks == fresh.blocks and in_file.findings == fresh.findings
    assert [token.map for token in in_file.tokens] == [token.map for token in fresh.tokens]
    assert in_file.env["references"] == fresh.env["references"] and in_file.env["findings"] == fresh.findings
    assert alone.blocks[0].line == 1 and in_file.blocks[0].line == 6
    assert len([finding for finding in alone.findings if finding.fix]) == 2
    assert [finding.fix.line for finding in in_file.findings if finding.fix] == [
        finding.fix.line + 5 for finding in alone.findings if finding.fix
    ]

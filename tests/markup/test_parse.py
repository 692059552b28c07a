"""The one parse: blocks, file positions, inline facts. No Django, no database."""

import time
import tracemalloc

import pytest

from markup.parse import BLOCK_KINDS, CONTAINER_KINDS, MARKDOWN, parse_markdown

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


def test_text_nested_past_the_limit_is_kept():
    parsed = parse_markdown(">" * 5000 + " deep text")

    assert parsed.blocks[-1].text.endswith("deep text")


@pytest.mark.parametrize(
    "body",
    ["[" * 20000, "<" * 20000, "[x](" * 20000, "*" * 20000, "![" * 5000 + "x" + "](a)" * 5000, "#\n" * 5000, "\0\r\n"],
)
def test_hostile_input_parses_without_raising(body):
    assert parse_markdown(body).tokens is not None


def test_parse_time_stays_a_small_multiple_of_markdown_it_alone():
    body = "[" * 50000

    start = time.perf_counter()
    MARKDOWN.parse(body, {})
    alone = time.perf_counter() - start
    start = time.perf_counter()
    parse_markdown(body)
    ours = time.perf_counter() - start

    assert ours < 3 * alone + 0.05


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

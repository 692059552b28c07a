from markup.qa import version_passages
from markup.segments import passage_source, replace_passages

BODY = (
    "# Title\n\nFirst paragraph\nover two lines.  \n\n- item one\n- item two\n\n"
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n\nLast *paragraph*.   \n"
)


def index_of(body: str, text: str) -> int:
    return next(i for i, passage in enumerate(version_passages(body)) if text in passage_source(passage))


def test_replacing_one_paragraph_keeps_every_other_byte():
    index = index_of(BODY, "First paragraph")

    result = replace_passages(BODY, {index: "Premier paragraphe."})

    assert result == BODY.replace("First paragraph\nover two lines.  ", "Premier paragraphe.")


def test_a_list_item_and_a_table_row_are_blocks_of_their_own():
    item, row = index_of(BODY, "- item two"), index_of(BODY, "| 1 | 2 |")

    result = replace_passages(BODY, {item: "- deuxième", row: "| un | deux |"})

    assert result == BODY.replace("- item two", "- deuxième").replace("| 1 | 2 |", "| un | deux |")


def test_crlf_bodies_keep_their_line_ends_and_an_unchanged_text_gives_the_body_back():
    body = BODY.replace("\n", "\r\n")
    index = index_of(body, "First paragraph")
    unchanged = passage_source(version_passages(body)[index])

    assert replace_passages(body, {index: unchanged}) == body
    assert replace_passages(body, {index: "Un\r\ndeux"}) == body.replace(
        "First paragraph\r\nover two lines.  ", "Un\r\ndeux"
    )

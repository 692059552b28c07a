import pytest

from markup.document import DocumentError, compose_document, decode_source, parse_document

META = ("title", "description", "keywords")


def fields(document) -> dict[str, str]:
    """What the article stores of a document: the values compose_document is given back on export."""
    return {name: document.value(name) for name in META}


def round_trip(text: str) -> str:
    document = parse_document(text, name="x.md")
    return compose_document(original=text, meta=fields(document), body=document.body)


ODD_BUT_VALID = {
    "no keywords or description": "---\ntitle: Payroll\n---\nPay staff.\n",
    "unknown keys, comments and quotes": (
        '---\n# written by hand\nlayout: post   # the theme\'s\ntitle: "Pay&shy;roll"\ndate: 2021-03-04\n'
        "tags: [money, 'staff']\nauthor:\n  name: 'A. N. Other'\ndescription: >-\n  Paying\n  staff.\n---\nBody\n"
    ),
    "CRLF": "---\r\ntitle: Payroll\r\nkeywords: a,b\r\n---\r\n\r\nPay staff.\r\n",
    "BOM": "\ufeff---\ntitle: Payroll\n---\nPay staff.\n",
    "no front matter": "# tar\n\n> Archive files.\n\n- Create: `tar cf out.tar in`\n",
    "front matter without title": "---\nlayout: page\n---\n\n# Payroll\nPay staff.\n",
    "empty front matter": "---\n---\n# Payroll\n",
    "no newline at the end": "---\ntitle: Payroll\n---\nPay staff.",
    "scalars YAML would read as other types": "---\ntitle: yes\ndescription: 2021-03-04\nkeywords: 12\n---\nX\n",
}


@pytest.mark.parametrize("case", ODD_BUT_VALID, ids=list(ODD_BUT_VALID))
def test_an_unedited_document_composes_to_the_same_text(case):
    assert round_trip(ODD_BUT_VALID[case]) == ODD_BUT_VALID[case]


def test_missing_keys_are_not_added_on_export():
    text = ODD_BUT_VALID["no keywords or description"]
    document = parse_document(text, name="x.md")

    composed = compose_document(original=text, meta=fields(document), body=document.body.replace("Pay", "Paying"))

    assert composed == "---\ntitle: Payroll\n---\nPaying staff.\n"


def test_plain_scalars_are_read_as_written():
    document = parse_document(ODD_BUT_VALID["scalars YAML would read as other types"], name="x.md")

    assert fields(document) == {"title": "yes", "description": "2021-03-04", "keywords": "12"}


def test_keyword_list_is_read_as_comma_separated_text():
    document = parse_document("---\ntitle: T\nkeywords: [a, b]\n---\n", name="x.md")

    assert document.keywords == "a,b"


def test_an_edited_value_rewrites_only_its_line_and_keeps_its_comment():
    text = ODD_BUT_VALID["unknown keys, comments and quotes"].replace('title: "Pay&shy;roll"', 'title: "Payroll" # t')
    document = parse_document(text, name="x.md")

    composed = compose_document(original=text, meta={**fields(document), "title": "Wages"}, body=document.body)

    assert composed == text.replace('title: "Payroll" # t', "title: Wages # t")


def test_an_edited_folded_value_replaces_all_its_lines():
    text = ODD_BUT_VALID["unknown keys, comments and quotes"]
    document = parse_document(text, name="x.md")

    composed = compose_document(original=text, meta={**fields(document), "description": "New."}, body=document.body)

    assert composed == text.replace("description: >-\n  Paying\n  staff.\n", "description: New.\n")
    assert parse_document(composed, name="x.md").description == "New."


def test_a_new_key_is_appended_before_the_closing_fence_only_when_not_empty():
    text = "---\r\ntitle: Payroll # the name\r\n---\r\nBody\r\n"
    document = parse_document(text, name="x.md")

    composed = compose_document(
        original=text, meta={"keywords": "", "title": "Payroll", "description": "Pay: staff"}, body=document.body
    )

    assert composed == "---\r\ntitle: Payroll # the name\r\ndescription: 'Pay: staff'\r\n---\r\nBody\r\n"


def test_the_byte_order_mark_is_kept_when_a_value_changes():
    text = ODD_BUT_VALID["BOM"]
    document = parse_document(text, name="x.md")

    composed = compose_document(original=text, meta={**fields(document), "title": "Wages"}, body=document.body)

    assert composed == "\ufeff---\ntitle: Wages\n---\nPay staff.\n"


def test_a_multiline_value_is_written_as_valid_yaml_that_reads_back():
    text = "---\ntitle: T\ndescription: one\n---\nB\n"
    document = parse_document(text, name="x.md")

    composed = compose_document(original=text, meta={**fields(document), "description": "a\nb: c"}, body="B\n")

    assert parse_document(composed, name="x.md").description == "a\nb: c"


def test_a_new_document_gets_only_its_non_empty_keys():
    composed = compose_document(original="", meta={"keywords": "", "title": "T", "description": ""}, body="B\n")

    assert composed == "---\ntitle: T\n---\nB\n"


def test_a_file_without_front_matter_takes_its_title_from_the_first_heading():
    document = parse_document("```\n# not this\n```\n\n#  tar #\n\nText\n", name="x.md")

    assert document.title == "tar"
    assert document.body_line == 1
    [finding] = document.findings
    assert (finding.code, finding.severity, finding.line, finding.column) == ("meta.title-from-heading", "info", 5, 4)


def test_front_matter_without_title_takes_the_heading_on_its_file_line():
    document = parse_document("\ufeff---\r\nlayout: page\r\n---\r\n\r\n# Payroll\r\n", name="x.md")

    assert document.title == "Payroll"
    assert document.meta_lines["title"] == 5
    assert document.findings[0].line == 5


def test_changing_a_heading_title_adds_front_matter_and_keeps_the_file():
    text = "\ufeff# tar\n\nText\n"
    document = parse_document(text, name="x.md")

    composed = compose_document(original=text, meta={**fields(document), "title": "GNU tar"}, body=document.body)

    assert composed == "\ufeff---\ntitle: GNU tar\n---\n# tar\n\nText\n"


def test_no_title_anywhere_is_refused():
    with pytest.raises(DocumentError, match=r"^x.md:2: no title"):
        parse_document("---\ndescription: d\n---\nText\n", name="x.md")


@pytest.mark.parametrize(
    ("crlf", "bom"), [(False, False), (True, False), (False, True), (True, True)], ids=["lf", "crlf", "bom", "both"]
)
@pytest.mark.parametrize("present", ["all", "title only", "no keywords", "no description"])
def test_lines_and_columns_point_at_the_file_as_imported(crlf, bom, present):
    keys = {
        "all": ["keywords: k", "title: 'T &amp; U'", "description: d"],
        "title only": ["title: 'T &amp; U'"],
        "no keywords": ["title: 'T &amp; U'", "description: d"],
        "no description": ["keywords: k", "title: 'T &amp; U'"],
    }[present]
    lines = ["---", *keys, "---", "", "Body [x]() here"]
    text = ("\ufeff" if bom else "") + ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")

    document = parse_document(text, name="x.md")

    title_line = lines.index("title: 'T &amp; U'") + 1
    assert document.meta_lines["title"] == title_line
    assert document.value_positions["title"] == (title_line, len("title: '") + 1)
    assert document.body_line == len(keys) + 3
    body_lines = document.body.split("\n")
    assert body_lines[len(lines) - document.body_line].startswith("Body")


def test_an_unchanged_version_keeps_its_findings_lines():
    text = "---\ntitle: T\n---\nBody\n"
    document = parse_document(text, name="x.md")

    reread = parse_document(compose_document(original=text, meta=fields(document), body=document.body), name="x.md")

    assert reread.body_line == document.body_line == 4


BAD = {
    "alias": ("---\ntitle: &t T\ndescription: *t\n---\n", 2, "anchors and aliases"),
    "alias bomb": (
        "---\na: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\ntitle: T\n---\n",
        2,
        "anchors and aliases",
    ),
    "duplicate key": ("---\ntitle: A\ndescription: d\ntitle: B\n---\n", 4, "title appears twice"),
    "nested duplicate key": ("---\ntitle: A\nauthor:\n  name: x\n  name: y\n---\n", 5, "name appears twice"),
    "title is a list": ("---\ntitle: [A, B]\n---\n", 2, "title must be text"),
    "description is a mapping": ("---\ntitle: T\ndescription:\n  a: b\n---\n", 4, "description must be text"),
    "keywords nest a list": ("---\ntitle: T\nkeywords: [[a]]\n---\n", 3, "keywords must be text"),
    "deep nesting": ("---\ntitle: T\nx: " + "[" * 30 + "]" * 30 + "\n---\n", 3, "nests values too deeply"),
    "not a mapping": ("---\n- a\n---\n", 2, "lines of 'name: value'"),
    "flow mapping": ("---\n{title: T}\n---\n", 2, "lines of 'name: value'"),
    "unclosed bracket": ("---\ntitle: T\ndescription: [unclosed\n---\n", 3, "invalid YAML"),
    "control character": ("---\ntitle: T\ndescription: \x07\n---\n", 3, "invalid YAML"),
    "unclosed front matter": ("---\ntitle: T\n", 1, "not closed"),
    "line after a CRLF and BOM": ("\ufeff---\r\ntitle: T\r\ntitle: U\r\n---\r\n", 3, "appears twice"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_front_matter_is_refused_with_its_line(case):
    text, line, message = BAD[case]

    with pytest.raises(DocumentError) as error:
        parse_document(text, name="x.md")

    assert error.value.line == line
    assert message in str(error.value)
    assert str(error.value).startswith(f"x.md:{line}: ")


def test_decoding_names_the_line_of_a_bad_byte():
    with pytest.raises(DocumentError, match=r"^x.md:2: not valid UTF-8"):
        decode_source(b"---\ntitle: Caf\xe9\n---\n", name="x.md")


def test_a_file_holding_only_a_byte_order_mark_is_empty():
    with pytest.raises(DocumentError, match="empty"):
        decode_source("\ufeff\n".encode(), name="x.md")


def test_unicode_line_separators_do_not_shift_lines():
    document = parse_document("---\ntitle: 'T\u2028U'\ndescription: d\n---\nA\u2028B\n# H\n", name="x.md")

    assert document.meta_lines == {"title": 2, "description": 3}
    assert document.body_line == 5


def test_an_alias_bomb_is_refused_before_anything_is_expanded():
    levels = [f"a0: &a0 [{', '.join(['x'] * 9)}]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 30)]
    text = "---\n" + "\n".join(levels) + "\ntitle: T\n---\n"

    with pytest.raises(DocumentError, match="anchors and aliases"):
        parse_document(text, name="x.md")

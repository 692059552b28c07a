"""Heading anchors and table cell labels added to a stored body, with everything else copied through unchanged."""

import pytest

from articles.reading_aids import _ReadingAidsParser, add_reading_aids
from markup.render import TermLink, render_markdown


def aids(html: str) -> str:
    return add_reading_aids(html, anchor_label=lambda title: f"Link to {title}")


def test_headings_with_an_id_get_a_named_link_to_themselves():
    html = '<h2 id="h-what">What is <em>it</em> &amp; why?</h2>\n<h3 id="h-how">How</h3>'

    assert aids(html) == (
        '<h2 id="h-what">What is <em>it</em> &amp; why?'
        '<a class="heading-anchor" href="#h-what" aria-label="Link to What is it &amp; why?">#</a></h2>\n'
        '<h3 id="h-how">How<a class="heading-anchor" href="#h-how" aria-label="Link to How">#</a></h3>'
    )


def test_headings_without_an_id_and_other_levels_are_left_alone():
    html = '<h3>Pros</h3><h4 id="h-deep">Deep</h4><h1 id="t">Title</h1>'

    assert aids(html) == html


def test_ids_and_titles_are_escaped_in_what_is_added():
    html = '<h2 id="h-a&quot;b">x &lt;script&gt;</h2>'

    assert aids(html) == (
        '<h2 id="h-a&quot;b">x &lt;script&gt;'
        '<a class="heading-anchor" href="#h-a&quot;b" aria-label="Link to x &lt;script&gt;">#</a></h2>'
    )


@pytest.mark.parametrize(
    "html",
    [
        '<p>Text with <a href="https://example.com/?a=1&amp;b=2">a link</a> &#169; &eacute;</p>\n<!-- note -->',
        "<blockquote>\n<p>众包通常涉及将一项大型工作分解为许多较小的工作。</p>\n</blockquote>",
        "<ul>\n<li><p>one</p>\n</li>\n</ul><br><img src=x alt=''>",
    ],
)
def test_everything_else_is_copied_byte_for_byte(html):
    assert aids(html) == html


def test_cells_under_a_header_row_are_labelled_with_their_columns_header():
    html = (
        "<table><thead><tr><th>Term</th><th>Mot &amp; sens</th></tr></thead>"
        '<tbody><tr><td>crowd</td><td>foule</td></tr><tr><td colspan="2">both</td></tr></tbody></table>'
    )

    assert aids(html) == (
        "<table><thead><tr><th>Term</th><th>Mot &amp; sens</th></tr></thead>"
        '<tbody><tr><td data-label="Term">crowd</td><td data-label="Mot &amp; sens">foule</td></tr>'
        '<tr><td colspan="2" data-label="Term">both</td></tr></tbody></table>'
    )


def test_a_first_row_of_header_cells_counts_as_the_header_row():
    html = "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"

    assert aids(html) == (
        '<table><tr><th>A</th><th>B</th></tr><tr><td data-label="A">1</td><td data-label="B">2</td></tr></table>'
    )


def test_a_table_without_a_header_row_is_left_alone():
    html = (
        "<table><tbody><tr>\n<td>\n<h3>Pros</h3>\n<ul><li>fast</li></ul>\n</td>\n"
        "<td>\n<h3>Cons</h3>\n</td>\n</tr></tbody></table>"
    )

    assert aids(html) == html


def test_the_seed_article_gains_only_heading_anchors(imported, languages):
    for language in languages:
        body = imported.html(language)

        added = aids(body)

        anchors = added.count('class="heading-anchor"')
        assert anchors == body.count("<h2 id=") + body.count("<h3 id=") > 5
        stripped = added
        for _ in range(anchors):
            start = stripped.index('<a class="heading-anchor"')
            stripped = stripped[:start] + stripped[stripped.index("</a>", start) + 4 :]
        assert stripped == body


def test_the_article_page_shows_heading_anchors_in_its_language_and_a_collapsed_table_of_contents(client, imported):
    page = client.get("/fr/articles/crowdsourcing/").content.decode()

    assert '<a class="heading-anchor" href="#h-quest-ce-que-le-crowdsourcing"' in page
    assert 'aria-label="Lien vers la section «\u00a0Qu&#x27;est-ce que le crowdsourcing ?\u00a0»"' in page
    toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert "<details>" in toc and "<details open" not in toc
    assert '<summary id="toc-title">Sommaire</summary>' in toc


def read_by_htmlparser(html: str) -> str:
    parser = _ReadingAidsParser(lambda title: f"Link to {title}")
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


@pytest.mark.parametrize(
    "markdown",
    [
        "## Qu'est-ce & <pourquoi> ?\n\nText [a link](/term 'a \"title\" > x') &copy; &#169;\n",
        "| Term | Mot & *sens* |\n|---|---|\n| [crowd](/crowd) | foule |\n| a | b | c |\n\n### After `code`\n",
        "<table><tr><th>A</th></tr><tr><td><h2>In a cell</h2></td></tr></table>\n\n- item\n\n> quote\n",
    ],
)
def test_the_renderers_html_gets_the_aids_htmlparser_reading_it_adds(markdown):
    html = render_markdown(markdown, resolve_link=lambda slug: TermLink(f"/{slug}/", missing=False, title="x")).html

    assert aids(html) == read_by_htmlparser(html) != html


def test_other_html_is_read_by_htmlparser():
    html = "<h2 id=\"a\">AT&T<!-- note --></h2><h3 id='b'>B</h3>"

    assert aids(html) == read_by_htmlparser(html)
    assert aids(html).count("heading-anchor") == 2

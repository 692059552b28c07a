"""The renderer on its own: no Django, no database."""

import random
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from markup.render import ImageLink, TermLink, find_term_links, image_resolver, render_markdown
from tests.markup.conftest import render_seed, seed_document

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ("#", "＃", "](/", "&#39;", "TTT", "{{", ">")


def codes_at(rendered, code: str) -> list[int]:
    return [finding.line for finding in rendered.findings if finding.code == code]


def render(body: str, **kwargs):
    kwargs.setdefault("resolve_link", lambda slug: TermLink(f"/en/terms/{slug}/", missing=False))
    return render_markdown(body, **kwargs)


def test_markup_package_works_without_django():
    code = (
        "import sys, markup.document, markup.parse, markup.render, markup.repair, markup.sanitize, markup.tolerance;"
        " print('django' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)

    assert result.stdout.strip() == "False"


def test_seed_text_shows_no_markup_artifact(seed_language):
    text = render_seed(seed_language).text

    for artifact in ARTIFACTS:
        assert artifact not in text.replace("#1", ""), (seed_language, artifact)


def test_seed_has_the_english_structure(seed_language):
    html = render_seed(seed_language).html

    assert html.count("<h2") == 8
    assert html.count("<h3") == 4 + (2 if seed_language == "en" else 0)  # en also has Pros/Cons in its table
    assert html.count("<blockquote>") == 2
    assert html.count("<ul>") >= 1
    assert "<h1" not in html


def test_english_pros_and_cons_table_renders_without_inline_style():
    html = render_seed("en").html

    assert html.count("<table>") == 1
    assert "<h3>Pros</h3>" in html and "<h3>Cons</h3>" in html
    assert "style=" not in html
    assert '<h2 id="h-instances-of-crowdsourcing">Instances of Crowdsourcing</h2>' in html


def test_heading_after_a_quote_is_not_drawn_inside_it():
    html = render_seed("en").html

    quote = html.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]
    assert "<h2" not in quote
    assert "Crowdsourcing versus Crowdfunding</h2>" in html


def test_split_quote_renders_as_one_quote_with_its_heading():
    html = render_seed("fr").html

    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)
    fact = next(quote for quote in quotes if "En bref" in quote)
    assert "<h3" in fact and "Uber" in fact


def test_chinese_headings_without_space_and_with_full_width_hashes_are_headings():
    rendered = render_seed("zh-hans")

    assert '<h2 id="h-什么是众包">什么是众包？</h2>' in rendered.html
    assert '<h2 id="h-强调">强调</h2>' in rendered.html
    assert codes_at(rendered, "markup.heading-no-space") == [8, 30, 40]
    assert codes_at(rendered, "markup.heading-fullwidth-hash") == [70]


def test_norwegian_en_dash_items_render_as_a_list():
    rendered = render_seed("nb")

    assert rendered.html.count("<li>") == 4
    assert codes_at(rendered, "markup.list-marker") == [72, 74, 76, 78]


@pytest.mark.parametrize("language", ["ko", "nb", "zh-hans", "fr"])
def test_placeholder_where_the_table_was_is_removed_and_reported(language):
    rendered = render_seed(language)

    assert "TTT" not in rendered.html
    assert codes_at(rendered, "markup.placeholder") == [38]
    assert codes_at(rendered, "markup.empty-link") == [38]
    assert next(f for f in rendered.findings if f.code == "markup.placeholder").severity == "error"


@pytest.mark.parametrize("language", ["ko", "nb", "zh-hans", "fr"])
def test_split_quotes_and_empty_quote_lines_are_reported(language):
    rendered = render_seed(language)

    assert codes_at(rendered, "markup.quote-split") == [48]
    assert codes_at(rendered, "markup.quote-empty-line") == [20, 50]


def test_english_defects_are_reported_where_they_are():
    rendered = render_seed("en")

    assert codes_at(rendered, "markup.quote-empty-line") == [19, 67]
    assert codes_at(rendered, "markup.quote-glued") == [20, 68]
    assert codes_at(rendered, "markup.html-block-glued") == [35, 59]
    assert codes_at(rendered, "markup.inline-style") == [36, 47]


def test_stray_space_and_period_inside_link_text_are_kept_and_a_fix_offered():
    rendered = render_seed("fr")

    assert ">internes .</a>" in rendered.html
    finding = next(f for f in rendered.findings if f.code == "markup.link-text-spacing")
    assert (finding.line, finding.fix.old, finding.fix.new) == (14, "[internes .](/in-house)", "[internes](/in-house).")


def test_leading_title_heading_is_dropped_and_other_h1_demoted():
    rendered = render("# Payroll\n\nText.\n\n# Second\n", title="Payroll")

    assert "Payroll" not in rendered.html
    assert "<h2" in rendered.html and "Second</h2>" in rendered.html
    assert codes_at(rendered, "markup.extra-h1") == [5]


def test_term_links_use_the_resolver_and_mark_missing_articles():
    rendered = render_markdown(
        "[a](/one) and [b](/two/)",
        resolve_link=lambda slug: TermLink(f"/fr/terms/{slug}/", missing=slug == "two", title="Pas encore"),
    )

    assert '<a class="term-link" href="/fr/terms/one/"' in rendered.html
    assert 'class="term-link term-link--missing" href="/fr/terms/two/" title="Pas encore"' in rendered.html


def test_unresolved_term_link_becomes_text_and_a_finding():
    rendered = render_markdown("See [nothing](/nothing).", resolve_link=lambda slug: None, first_line=7)

    assert "<a" not in rendered.html and "nothing" in rendered.text
    assert codes_at(rendered, "markup.unresolved-link") == [7]


def test_find_term_links_reports_text_and_file_position():
    links = find_term_links("x\n[les réseaux sociaux](/social-media) y [internes .](/in-house)", first_line=10)

    assert [(link.target, link.text, link.line, link.column) for link in links] == [
        ("social-media", "les réseaux sociaux", 11, 1),
        ("in-house", "internes", 11, 40),
    ]


def test_heading_ids_are_prefixed_unique_and_match_the_toc():
    rendered = render("## Location\n\n## Location\n\n### Forms\n")

    assert [entry.id for entry in rendered.toc] == ["h-location", "h-location_1", "h-forms"]
    for entry in rendered.toc:
        assert f'id="{entry.id}"' in rendered.html
    assert 'id="location"' not in rendered.html


def test_raw_html_ids_are_prefixed_too():
    rendered = render('<h2 id="forms">x</h2>\n')

    assert 'id="h-forms"' in rendered.html


def test_clean_markdown_has_no_findings():
    body = "## Heading\n\nA paragraph with a [term](/term).\n\n> A quote.\n>\n> Second paragraph.\n\n- one\n- two\n"

    assert render(body).findings == []


def test_seed_toc_lists_sections_in_order():
    toc = render_seed("ko").toc

    assert toc[0].title == "크라우드소싱이란?"
    assert toc[-1].title == "하이라이트"


def test_plain_text_is_whitespace_normalised():
    assert render("## A\n\nb  *c*\n").text == "A b c"


def test_front_matter_title_matches_the_dropped_heading_in_every_seed(seed_language):
    document = seed_document(seed_language)

    assert document.body.lstrip().startswith(f"# {document.title}\n")


@pytest.mark.parametrize(
    "body",
    [
        "#" * 1_000_000,
        "<div><table><tr><td>unclosed",
        "\x00\x01\x02 binary \xff junk \ufffd",
        ">" * 10_000 + " deep",
        "[" * 50_000,
        "*" * 100_000,
        "x " * 500_000,
        "<" * 100_000,
        "[x](" * 20_000,
        "<b>x</b>" * 50_000,
    ],
    ids=[
        "hashes",
        "unclosed-html",
        "binary",
        "nested-quotes",
        "brackets",
        "stars",
        "long-line",
        "angles",
        "parens",
        "tags",
    ],
)
def test_any_input_renders_without_raising(body):
    rendered = render(body)

    assert isinstance(rendered.html, str)
    assert "<script" not in rendered.html


def test_no_block_falls_back_to_plain_text():
    row = "| " + " | ".join(f"[t{n}](/t{n}) ![flag](img/f{n}.png)" for n in range(300)) + " |"
    body = "Intro.\n\n" + row + "\n|" + "---|" * 300 + "\n" + row + "\n\n" + "[" * 5000 + "\n\nOutro."

    rendered = render(body, first_line=3, resolve_image=lambda src: ImageLink(f"/media/{src}"))

    assert rendered.html.count('<a class="term-link"') == 600
    assert rendered.html.count("<img ") == 600
    assert "<p>" + "[" * 5000 + "</p>" in rendered.html
    assert "<p>Outro.</p>" in rendered.html
    assert not [finding for finding in rendered.findings if finding.code == "markup.too-complex"]


def test_lowercase_words_are_not_placeholders():
    rendered = render("xxx\n\nTTT\n")

    assert "xxx" in rendered.text
    assert codes_at(rendered, "markup.placeholder") == [3]


def resolve_under_media(src: str):
    return ImageLink(f"/media/article/{src}", width=640, height=480) if not src.startswith("http") else None


def test_seed_resolves_25_term_links_across_its_five_languages():
    rendered = [render_seed(language) for language in ("ko", "nb", "zh-hans", "en", "fr")]

    assert sum(page.html.count('class="term-link') for page in rendered) == 25
    assert not [f for page in rendered for f in page.findings if f.code == "markup.unresolved-link"]


def test_image_renders_with_alt_and_lazy_loading():
    rendered = render("![A screenshot of a break section](img/break.jpg)\n", resolve_image=resolve_under_media)

    assert (
        '<img src="/media/article/img/break.jpg" alt="A screenshot of a break section" width="640" height="480"'
        ' loading="lazy" decoding="async">' in rendered.html
    )
    assert not rendered.findings


def test_image_that_cannot_be_shown_leaves_its_alt_text_and_a_finding():
    rendered = render("Intro.\n\nSee ![the break screen](https://elsewhere.example/b.png) here.\n", first_line=4)

    assert "<img" not in rendered.html
    assert "<p>See the break screen here.</p>" in rendered.html
    finding = next(f for f in rendered.findings if f.code == "markup.image-unavailable")
    assert (finding.severity, finding.line, finding.column) == ("warning", 6, 5)


def test_image_in_a_table_cell_is_kept():
    rendered = render(
        "| Flag | Language |\n|---|---|\n| ![fr](img/fr.png) | French |\n", resolve_image=resolve_under_media
    )

    assert '<td><img src="/media/article/img/fr.png" alt="fr"' in rendered.html


def test_bracketed_name_in_a_link_is_kept():
    rendered = render("**[[ Some Name ]](https://example.org/users/1)**\n")

    assert '<strong><a href="https://example.org/users/1" rel="noopener noreferrer">[ Some Name ]</a></strong>' in (
        rendered.html
    )
    assert not [f for f in rendered.findings if f.code == "markup.placeholder"]


def test_double_braces_and_double_brackets_stay_in_the_text():
    rendered = render("Call {{arg}} with [[x]] as shown.\n")

    assert rendered.text == "Call {{arg}} with [[x]] as shown."


def test_only_an_empty_address_link_with_placeholder_text_is_hidden():
    rendered = render("Before [TTT]() after, and [TODO](/todo).\n", first_line=3)

    assert rendered.text == "Before after, and TODO."
    assert [(f.code, f.line, f.column) for f in rendered.findings] == [
        ("markup.empty-link", 3, 8),
        ("markup.placeholder", 3, 8),
    ]


def test_link_text_is_never_rewritten():
    rendered = render("Try [Brand!](/brand) now.\n")

    assert '<a class="term-link" href="/en/terms/brand/" rel="noopener noreferrer">Brand!</a> now.' in rendered.html
    assert rendered.findings == []
    assert [link.text for link in rendered.links] == ["Brand!"]


def test_link_with_a_title_resolves_as_a_term_link_and_keeps_its_title():
    rendered = render('[x](/slug "About x")\n')

    assert (
        '<a class="term-link" href="/en/terms/slug/" title="About x" rel="noopener noreferrer">x</a>' in rendered.html
    )


def test_reference_style_link_resolves_as_a_term_link():
    rendered = render('See [the term][t] and [slug].\n\n[t]: /term "The term"\n[slug]: /slug\n')

    assert '<a class="term-link" href="/en/terms/term/" title="The term" rel="noopener noreferrer">the term</a>' in (
        rendered.html
    )
    assert '<a class="term-link" href="/en/terms/slug/" rel="noopener noreferrer">slug</a>' in rendered.html
    assert [(link.target, link.line, link.column) for link in rendered.links] == [("term", 1, 5), ("slug", 1, 23)]


def test_anchor_of_a_term_link_is_kept():
    rendered = render("[x](/slug#usage) and [y](/slug/#h-notes)\n")

    assert 'href="/en/terms/slug/#usage"' in rendered.html
    assert 'href="/en/terms/slug/#h-notes"' in rendered.html
    assert [link.target for link in rendered.links] == ["slug", "slug"]


def test_unresolved_link_finding_points_at_the_bracket_in_the_file():
    body = "Intro.\n\n> Quoted [gone](/gone) text.\n"

    rendered = render_markdown(body, resolve_link=lambda slug: None, first_line=12)

    finding = next(f for f in rendered.findings if f.code == "markup.unresolved-link")
    assert (finding.line, finding.column) == (14, 10)
    assert body.split("\n")[finding.line - 12][finding.column - 1] == "["


def test_footnotes_render_with_prefixed_ids_and_back_links():
    html = render("A claim.[^1]\n\n[^1]: The source.\n").html

    assert '<sup class="footnote-ref"><a href="#h-fn-1" id="h-fnref-1" rel="noopener noreferrer">[1]</a></sup>' in html
    assert '<section class="footnotes">' in html
    assert '<li id="h-fn-1" class="footnote-item">' in html
    assert '<a href="#h-fnref-1" class="footnote-backref" rel="noopener noreferrer">' in html


def test_definition_list_renders_as_dl():
    html = render("Crowd\n: Many people, each doing a small part.\n").html

    assert "<dl>\n<dt>Crowd</dt>\n<dd>Many people, each doing a small part.</dd>\n</dl>" in html


def test_container_renders_as_an_aside_with_its_label():
    html = render("::: Notice\nThis is **important**.\n:::\n").html

    assert '<aside class="note">\n<p class="aside-label">Notice</p>\n<p>This is <strong>important</strong>.</p>' in html


def test_table_without_leading_pipes_renders_as_a_table():
    html = render("Name | Value\n--- | ---\na | 1\n").html

    assert "<table>" in html and "<td>a</td>" in html and "|" not in html


def test_strikethrough_renders_as_del():
    assert "<del>old</del>" in render("~~old~~ new\n").html


def test_unsafe_raw_html_is_removed_and_reported():
    rendered = render('<p onclick="steal()">Hi</p>\n\n<img src="javascript:alert(1)" alt="x">\n')

    assert "onclick" not in rendered.html and "javascript" not in rendered.html
    assert [f.line for f in rendered.findings if f.code == "markup.unsafe-html"] == [1]


def test_unclosed_html_block_is_closed_and_reported():
    rendered = render("<table><tr><td>cell\n\n## After\n")

    assert codes_at(rendered, "markup.html-unclosed") == [1]
    assert '<h2 id="h-after">After</h2>' in rendered.html


def test_heading_glued_after_a_closing_table_tag_is_a_heading():
    rendered = render("<table><tr><td>x</td></tr></table>\n## After\ntext\n", first_line=5)

    assert '<h2 id="h-after">After</h2>' in rendered.html
    assert codes_at(rendered, "markup.html-block-glued") == [6]


@pytest.mark.parametrize(
    "body",
    [
        "::: a\n" * 5000,
        "[^1]" * 5000 + "\n\n" + "[^1]: x\n" * 5000,
        "Term\n" + ": def\n" * 20000,
        "|" * 50000 + "\n" + "|-" * 20000 + "\n" + "|x" * 20000,
        "![" * 20000,
        "- " * 5000 + "deep",
        "<table>\n" * 20000,
        ">\n\n" * 20000,
        "##x\n" * 20000,
        "[TTT]()" * 20000,
        "&amp;lt;" * 20000,
    ],
    ids=["asides", "footnotes", "definitions", "table", "images", "list", "tables", "quotes", "headings", "ttt", "amp"],
)
def test_hostile_markdown_extensions_render_without_raising(body):
    rendered = render(body)

    assert isinstance(rendered.html, str)


def seconds(function, body: str) -> float:
    start = time.perf_counter()
    function(body)
    return time.perf_counter() - start


@pytest.mark.parametrize("unmatched", ["[", "<", "[x](", "*"])
def test_render_time_of_50000_unmatched_marks_is_a_small_multiple_of_a_plain_parse(unmatched):
    body = unmatched * 50_000
    plain = MarkdownIt("commonmark")

    ours = seconds(render, body)
    alone = seconds(plain.parse, body)

    assert ours < 5 * alone + 0.2


def test_render_memory_on_a_200000_character_body_is_a_small_multiple_of_it():
    body = ("A sentence with [a term](/term), `code` and *emphasis*.\n\n" * 4000)[:200_000]

    tracemalloc.start()
    render(body)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert peak < 150 * len(body)


def test_image_resolver_serves_img_folder_paths_and_listed_https_hosts_only():
    resolve = image_resolver(base_url="/media/articles/crowdsourcing/", allowed_hosts={"images.example.org"})

    assert resolve("img/break.jpg") == ImageLink("/media/articles/crowdsourcing/img/break.jpg")
    assert resolve("./img/flags/fr.png") == ImageLink("/media/articles/crowdsourcing/img/flags/fr.png")
    assert resolve("https://images.example.org/a.png") == ImageLink("https://images.example.org/a.png")
    for refused in (
        "img/../../secret.png",
        "../img/a.png",
        "/etc/img/a.png",
        "other/a.png",
        "http://images.example.org/a.png",
        "https://elsewhere.example/a.png",
        "https://user@images.example.org/a.png",
        "data:image/png;base64,AAAA",
        "javascript:alert(1)",
    ):
        assert resolve(refused) is None, refused


def test_paragraph_of_only_a_wiki_link_or_template_is_not_a_placeholder():
    rendered = render("[[Some Name]]\n\n{{ infobox }}\n\nTODO\n")

    assert rendered.text == "[[Some Name]] {{ infobox }} TODO"
    assert codes_at(rendered, "markup.placeholder") == [5]


PIECES = (
    "#", "##", "＃＃", " ", "\n", "\n\n", ">", "- ", "– ", "1. ", "[", "]", "(", ")", "![", "](", "/slug", "`", "```",
    "~~", "*", "<table>", "</table>", "<div>", '<a href="">', "</a>", "TTT", "[^1]", "[^1]: ", "::: Note", ":::",
    ": ", "|", "|---|", "&amp;lt;", "\t", "    ", "word", "[r]: /r", "\r\n", "\\", "<!--", "{{", "[[", "é", "한",
)  # fmt: skip


def test_random_markup_soup_never_raises_and_links_point_at_their_bracket():
    rng = random.Random(11)
    for _attempt in range(1500):
        body = "".join(rng.choice(PIECES) for _piece in range(rng.randint(1, 60)))

        rendered = render(body, first_line=4, title="word")

        assert all(finding.line >= 4 and finding.column >= 1 for finding in rendered.findings), body
        lines = body.replace("\r\n", "\n").split("\n")
        for link in rendered.links:
            assert lines[link.line - 4][link.column - 1] == "[", body

"""The renderer on its own: no Django, no database."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from markup.render import ImageLink, TermLink, find_term_links, render_markdown
from tests.markup.conftest import render_seed, seed_document

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ("#", "＃", "](/", "&#39;", "TTT", "{{", ">")


def codes_at(rendered, code: str) -> list[int]:
    return [finding.line for finding in rendered.findings if finding.code == code]


def render(body: str, **kwargs):
    kwargs.setdefault("resolve_link", lambda slug: TermLink(f"/en/terms/{slug}/", missing=False))
    return render_markdown(body, **kwargs)


def test_markup_package_works_without_django():
    code = "import sys, markup.document, markup.render, markup.repair, markup.sanitize; print('django' in sys.modules)"
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

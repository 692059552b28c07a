"""Phones, dark mode and paper: every page fits a 320–390 px screen in every language, the dark theme passes axe,
print shows where links lead, the contents fold away and tables stack."""

import pytest

from core.languages import language_codes
from tests.browser.test_page_quality import AXE, public_urls

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTHS = [390, 320]
EXTERNAL = "https://www.example.org/research/2024/crowdsourcing-and-the-wisdom-of-crowds-a-survey-of-methods.html"
LONG_BODY = f"""An introduction with a long address https://example.com/a/very/long/path/that/never/ends/and/keeps/going/\
without/any/break/at/all?query=string&and=more and a [link to the source]({EXTERNAL}).

## Averyveryveryverylongheadingwordthatcannotbreakanywhereatallreallynotevenonce

| Term | Definition | Example | Source address |
| --- | --- | --- | --- |
| crowdsourcing | work from a crowd | Waze | https://example.com/a/very/long/path/that/never/ends/in/a/table/cell |
| crowdfunding | getting money from a crowd | Kickstarter | https://example.com/another/very/long/path/that/never/ends |

    a_code_line_that_is_much_longer_than_any_phone_screen_can_show_in_one_line(argument_one, argument_two, three)

`an_inline_code_span_that_is_much_longer_than_any_phone_screen_can_show_in_one_line(argument_one, argument_two)`

> A quote box with https://example.com/a/very/long/path/inside/a/quote/that/never/ends/and/keeps/going/on text.
"""


@pytest.fixture
def long_lines(seeded, make_article):
    """An English article made of what overflows phones, and a French one: each is a missing translation elsewhere."""
    make_article("long-lines", {"en": ("Long lines", LONG_BODY)})
    make_article("french-only", {"fr": ("Seulement en français", "Un texte court.")}, source_language="fr")


def page_paths(language: str) -> dict[str, str]:
    missing = "french-only" if language == "en" else "long-lines"
    return {
        "home": f"/{language}/",
        "article": f"/{language}/articles/crowdsourcing/",
        "term": f"/{language}/terms/social-media/",
        "index": f"/{language}/terms/",
        "search": f"/{language}/search/?q=crowd",
        "missing translation": f"/{language}/articles/{missing}/",
    }


def phone(browser, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)
    return context.new_page()


def test_no_page_is_wider_than_a_phone_in_any_language(live_server, long_lines, browser):
    too_wide = {}
    for width in PHONE_WIDTHS:
        page = phone(browser, width)
        for language in language_codes():
            paths = {**page_paths(language), "long lines": "/en/articles/long-lines/"}
            for name, path in paths.items():
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == (404 if name == "missing translation" else 200), path
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    too_wide[f"{path} at {width}"] = scroll_width
        page.context.close()
    assert too_wide == {}


def test_dark_mode_keeps_every_contrast_on_every_page(live_server, seeded, browser):
    script = AXE.read_text("utf-8")
    page = browser.new_context(bypass_csp=True, color_scheme="dark").new_page()
    violations = {}
    for url in public_urls():
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == "rgb(21, 24, 31)"
        page.add_script_tag(content=script)
        found = page.evaluate("async () => (await axe.run()).violations.map(v => v.id + ': ' + v.help)")
        if found:
            violations[url] = found
    assert violations == {}


def test_print_writes_external_addresses_and_leaves_out_navigation(live_server, long_lines, browser):
    page = browser.new_context(color_scheme="dark").new_page()
    page.goto(f"{live_server.url}/en/articles/long-lines/")
    page.emulate_media(media="print")

    link = page.get_by_role("link", name="link to the source")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == f'" (" "{EXTERNAL}" ")"' or after == f'" ({EXTERNAL})"'
    assert page.get_by_role("link", name="Glossary").first.evaluate("a => getComputedStyle(a, '::after').content") in (
        "none",
        "normal",
    )  # links within the site print as text alone
    for hidden in (".switcher", ".site-nav", ".site-footer", ".toc", ".heading-anchor"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == "rgb(255, 255, 255)"


def test_on_a_phone_the_contents_are_folded_and_open_on_demand(live_server, seeded, browser):
    page = phone(browser, 390)
    page.goto(f"{live_server.url}/en/articles/crowdsourcing/")

    contents = page.locator(".toc details")
    assert contents.evaluate("details => details.open") is False
    assert not page.locator(".toc ol").first.is_visible()
    assert page.locator(".toc summary").bounding_box()["height"] < 60

    page.locator(".toc summary").click()

    assert page.locator(".toc ol").first.is_visible()


def test_heading_anchors_are_visible_named_links_reached_by_keyboard(live_server, seeded, browser):
    page = phone(browser, 390)
    page.goto(f"{live_server.url}/en/articles/crowdsourcing/")

    anchor = page.get_by_role("link", name="Link to the section “Understanding Crowdsourcing”")
    assert anchor.is_visible()
    assert anchor.get_attribute("href") == "#h-understanding-crowdsourcing"
    page.locator(".toc summary").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "heading-anchor":
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#h-what-is-crowdsourcing"


def test_on_a_phone_the_pros_and_cons_table_stacks(live_server, seeded, browser):
    page = phone(browser, 390)
    page.goto(f"{live_server.url}/en/articles/crowdsourcing/")

    pros, cons = (page.locator(".article-body td").nth(index).bounding_box() for index in (0, 1))
    assert cons["y"] >= pros["y"] + pros["height"] - 1
    assert abs(cons["x"] - pros["x"]) < 2 and pros["width"] > 300


def test_on_a_wide_screen_the_pros_and_cons_stay_side_by_side(live_server, seeded, page):
    page.goto(f"{live_server.url}/en/articles/crowdsourcing/")

    pros, cons = (page.locator(".article-body td").nth(index).bounding_box() for index in (0, 1))
    assert cons["x"] > pros["x"] + pros["width"] - 1 and abs(cons["y"] - pros["y"]) < 2


def test_on_a_phone_stacked_cells_are_labelled_with_their_header(live_server, long_lines, browser):
    page = phone(browser, 390)
    page.goto(f"{live_server.url}/en/articles/long-lines/")

    cell = page.locator(".article-body td").nth(1)
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Definition"'
    assert not page.locator(".article-body thead").is_visible() or page.locator("thead").bounding_box()["height"] <= 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ko", {"wordBreak": "keep-all", "overflowWrap": "anywhere", "font": "Noto Sans CJK KR"}),
        ("zh-hans", {"wordBreak": "normal", "lineBreak": "strict", "font": "Noto Sans CJK SC"}),
    ],
)
def test_cjk_pages_break_lines_and_pick_fonts_the_scripts_way(live_server, seeded, browser, language, expected):
    page = phone(browser, 390)
    page.goto(f"{live_server.url}/{language}/articles/crowdsourcing/")

    style = page.locator(".article-body p").first.evaluate(
        "p => { const s = getComputedStyle(p); return {wordBreak: s.wordBreak, overflowWrap: s.overflowWrap,"
        " lineBreak: s.lineBreak, font: s.fontFamily}; }"
    )
    assert style["font"].startswith(f'"{expected.pop("font")}"')
    assert {key: style[key] for key in expected} == expected


def test_screenshots_of_cjk_articles_on_a_phone_light_and_dark(live_server, seeded, browser, screenshot):
    for scheme in ("light", "dark"):
        page = phone(browser, 390, color_scheme=scheme)
        for language in ("zh-hans", "ko"):
            page.goto(f"{live_server.url}/{language}/articles/crowdsourcing/")
            assert screenshot(page, f"{language}-article-390-{scheme}").stat().st_size > 10_000
        page.context.close()

import pytest
from playwright.sync_api import expect

from core.languages import language_codes

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_opens_korean_switches_to_french_and_follows_a_term(live_server, seeded, page):
    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/ko/")  # the browser's Accept-Language
    page.goto(f"{live_server.url}/ko/articles/crowdsourcing/")
    assert page.locator("h1").inner_text() == "크라우드소싱"

    page.get_by_role("navigation", name="언어 선택").get_by_role("link", name="Français").click()

    assert page.url == f"{live_server.url}/fr/articles/crowdsourcing/"
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="les réseaux sociaux").click()
    assert page.url == f"{live_server.url}/fr/terms/social-media/"
    assert page.locator("h1").inner_text() == "réseaux sociaux"  # the headword, without the link text's article
    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/fr/")  # the choice is remembered
    assert page.console_errors == []


def test_reader_uses_the_index_and_search(live_server, seeded, page):
    page.goto(f"{live_server.url}/ko/terms/")
    page.locator("nav.letters a", has_text="ㅋ").click()
    # Playwright's expect waits for the letter's page; is_visible() answered for the page the click was leaving.
    expect(page.get_by_role("link", name="크라우드소싱")).to_be_visible()

    page.goto(f"{live_server.url}/zh-hans/")
    page.get_by_role("searchbox").fill("众包")
    page.get_by_role("searchbox").press("Enter")

    assert "/zh-hans/search/" in page.url
    assert page.locator("mark").first.inner_text() == "众包"
    page.get_by_role("link", name="众包").first.click()
    assert page.url.endswith("/zh-hans/articles/crowdsourcing/")


def test_no_script_runs_on_reader_pages_and_nothing_is_blocked(live_server, seeded, page):
    page.goto(f"{live_server.url}/en/articles/crowdsourcing/")

    assert page.evaluate("document.scripts.length") == 0
    assert page.console_errors == []


def test_screenshots_of_every_page_in_every_language(live_server, seeded, page, screenshot):
    for language in language_codes():
        for name, path in [
            ("home", f"/{language}/"),
            ("article", f"/{language}/articles/crowdsourcing/"),
            ("term", f"/{language}/terms/social-media/"),
            ("index", f"/{language}/terms/"),
            ("search", f"/{language}/search/?q=crowd"),
        ]:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            shot = screenshot(page, f"{language}-{name}")
            assert shot.stat().st_size > 10_000
    assert page.console_errors == []


def test_cjk_text_renders_with_real_glyphs(live_server, seeded, page):
    page.goto(f"{live_server.url}/zh-hans/articles/crowdsourcing/")

    # A missing font draws every character as the same empty box ("tofu"): real glyphs of different characters
    # leave different ink. Each character is drawn alone in the page's own font and its pixels compared.
    drawings = page.evaluate(
        """(chars) => chars.map(ch => {
              const canvas = document.createElement('canvas'); canvas.width = canvas.height = 48;
              const context = canvas.getContext('2d');
              context.font = '40px ' + getComputedStyle(document.querySelector('h1')).fontFamily;
              context.fillText(ch, 4, 40);
              const alpha = Array.from(context.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3));
              return {ink: alpha.filter(a => a > 0).length, pixels: alpha.join(',')};
            })""",
        ["众", "包", "크", "라"],
    )

    assert all(drawing["ink"] > 50 for drawing in drawings)
    assert len({drawing["pixels"] for drawing in drawings}) == 4
    assert page.locator("h1").inner_text() == "众包"

"""Attack strings in every editable field, rendered through the real save path, loaded in a real browser."""

import itertools
import re

import pytest

from articles.models import Article
from articles.services import article_languages_refresh
from glossary.models import Term, TermName
from glossary.services import terms_ensure

pytestmark = pytest.mark.django_db(transaction=True)

MARK = "window.__xss=1"
HANDLERS = ["onerror", "onload", "onmouseover", "onfocus", "ontoggle", "onanimationstart", "onbegin"]
TAGS = ["img src=x", "svg", "body", "details open", "input autofocus", "video src=x", "iframe", "math", "a href=#"]
SCHEMES = [
    "javascript:",
    "JaVaScRiPt:",
    " javascript:",
    "java\tscript:",
    "&#106;avascript:",
    "&#x6A;avascript:",
    "jav&#x09;ascript:",
    "vbscript:",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==",
]
MARKDOWN = [
    "[x]({scheme}{mark})",
    "[x][ref]\n\n[ref]: {scheme}{mark}",
    "<{scheme}{mark}>",
    "![x]({scheme}{mark})",
    '[x](/slug" onmouseover="{mark})',
    '<a href="{scheme}{mark}">x</a>',
    '<iframe src="{scheme}{mark}"></iframe>',
    '<object data="{scheme}{mark}"></object>',
    '<form action="{scheme}{mark}"><button>x</button></form>',
]
MALFORMED = [
    "<script>{mark}</script>",
    "<scr<script>ipt>{mark}</script>",
    "<ScRiPt>{mark}</sCrIpT>",
    '"><script>{mark}</script>',
    "</textarea><script>{mark}</script>",
    "<style>@import 'javascript:{mark}';</style>",
    '<div style="background:url(javascript:{mark})">x</div>',
    "<!--<script>{mark}</script>-->",
    "<svg><script>{mark}</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="{mark}">',
    '<noscript><p title="</noscript><img src=x onerror={mark}>">',
    '<a href="/x" onclick="{mark}">x</a>',
    "```\n<script>{mark}</script>\n```",
    "`<img src=x onerror={mark}>`",
]


def attack_strings() -> list[str]:
    attacks = [f'<{tag} {handler}="{MARK}">x' for tag, handler in itertools.product(TAGS, HANDLERS)]
    attacks += [form.format(scheme=scheme, mark=MARK) for form, scheme in itertools.product(MARKDOWN, SCHEMES)]
    attacks += [form.format(mark=MARK) for form in MALFORMED]
    return attacks


ATTACKS = attack_strings()


@pytest.fixture
def attacked(transactional_db):
    """One article whose every field in every language carries attacks, and terms named with attacks."""
    term = terms_ensure(slugs=["attack"])["attack"]
    article = Article(slug="attack", term=term)
    body = "\n\n".join(ATTACKS) + "\n\n[a term](/named)\n"
    for language in ("en", "ko"):
        article.set_value("title", language, f'Title <img src=x onerror="{MARK}"> &#60;script&#62;{MARK}')
        article.set_value("description", language, f'<script>{MARK}</script> description "><svg onload={MARK}>')
        article.set_value("keywords", language, f"<b onmouseover={MARK}>k</b>")
        article.set_value("body", language, body)
    article_languages_refresh(article=article, languages=["en", "ko"])
    named = Term.objects.get(slug="named")
    for index, attack in enumerate(ATTACKS[:40]):
        TermName.objects.create(term=named, language="en", name=f"{index} {attack}"[:200])
    return article


def test_there_are_hundreds_of_attack_strings():
    assert len(ATTACKS) >= 150


def test_stored_html_keeps_no_handler_and_no_script_url(attacked):
    html = attacked.value("body_html", "en").lower()

    assert "<script" not in html and "<iframe" not in html and "<svg" not in html and "<style" not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html)
    assert not re.search(r"""<[^>]*(href|src|action|data)\s*=\s*["']?\s*(javascript|vbscript|data):""", html)


def assert_page_is_inert(page, url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(url)
    assert response.status < 500, url
    page.mouse.move(200, 300)
    page.keyboard.press("Tab")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__xss") is None, url
    assert dialogs == [], url
    leaks = page.evaluate(
        """() => Array.from(document.querySelectorAll('*')).flatMap(el => Array.from(el.attributes)
              .filter(a => /^on/i.test(a.name) || /^\\s*(javascript|vbscript|data):/i.test(a.value))
              .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""
    )
    assert leaks == [], (url, leaks[:5])
    assert page.evaluate("document.scripts.length") == 0, url


@pytest.mark.parametrize(
    "path",
    [
        "/en/articles/attack/",
        "/ko/articles/attack/",
        "/en/terms/attack/",
        "/en/terms/named/",
        "/en/terms/",
        "/en/",
        "/api/articles/attack/?lang=en",
    ],
)
def test_no_script_runs_on_any_page_with_attacks(live_server, attacked, page, path):
    assert_page_is_inert(page, f"{live_server.url}{path}")


def test_no_script_runs_from_an_attack_in_the_search_box(live_server, attacked, page):
    for attack in ATTACKS[:30]:
        page.goto(f"{live_server.url}/en/")
        page.get_by_role("searchbox").fill(attack[:100])
        page.get_by_role("searchbox").press("Enter")
        assert page.evaluate("window.__xss") is None, attack
        assert page.evaluate("document.scripts.length") == 0, attack

"""Every public page in every language: valid HTML (Nu validator) and no accessibility violation (axe-core)."""

import json
import subprocess
from pathlib import Path

import pytest

from core.languages import language_codes

pytestmark = pytest.mark.django_db(transaction=True)

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/articles/crowdsourcing/",
    "/terms/social-media/",
    "/terms/crowdsourcing/",
    "/terms/",
    "/terms/?letter=%23",  # a letter with no names, chosen
    "/terms/?letter=%3F",  # no such letter: 404 with the letter bar
    "/search/?q=crowd",
]


def public_urls() -> list[str]:
    return [f"/{code}{path}" for code in language_codes() for path in PAGES]


def test_every_public_page_is_valid_html(live_server, seeded, tmp_path, browser):
    request = browser.new_context().request
    files = {}
    for index, url in enumerate(public_urls()):
        path = tmp_path / f"page-{index}.html"
        path.write_text(request.get(f"{live_server.url}{url}").text(), "utf-8")  # what the server sent
        files[path.as_uri()] = url

    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--errors-only",
            *[uri.removeprefix("file://") for uri in files],
        ],
        capture_output=True,
        text=True,
    )

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [(files.get(m.get("url"), m.get("url")), m["message"]) for m in messages] == []


def test_every_public_page_has_no_accessibility_violation(live_server, seeded, browser):
    script = AXE.read_text("utf-8")
    page = browser.new_context(bypass_csp=True).new_page()  # the site's CSP rightly forbids injected scripts
    violations = {}
    for url in public_urls():
        page.goto(f"{live_server.url}{url}")
        page.add_script_tag(content=script)
        found = page.evaluate("async () => (await axe.run()).violations.map(v => v.id + ': ' + v.help)")
        if found:
            violations[url] = found
    assert violations == {}

from pathlib import Path

import pytest

from markup.document import Document, parse_document
from markup.render import Rendered, TermLink, render_markdown

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "crowdsourcing"
SEED_LANGUAGES = ("ko", "nb", "zh-hans", "en", "fr")


def seed_document(language: str) -> Document:
    path = SEED / f"{language}.md"
    return parse_document(path.read_text(encoding="utf-8"), name=str(path))


def link_to_term(slug: str) -> TermLink:
    return TermLink(href=f"/xx/terms/{slug}/", missing=slug != "social-media", title="No article yet")


def render_seed(language: str) -> Rendered:
    document = seed_document(language)
    return render_markdown(
        document.body, resolve_link=link_to_term, title=document.title, first_line=document.body_line
    )


@pytest.fixture(params=SEED_LANGUAGES)
def seed_language(request) -> str:
    return request.param

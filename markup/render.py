"""Markdown body → safe HTML, table of contents, term links, plain text and findings, all from one parse. No Django."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlsplit

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from markup.findings import Finding, Severity
from markup.findings import gettext_noop as _
from markup.parse import ASIDE, MARKDOWN, Parsed, ParsedBlocks, html_text, inline_text, parse_blocks, parse_markdown
from markup.sanitize import HEADING_ID_PREFIX, sanitize_html
from markup.tolerance import STRAY_LINK_PUNCTUATION

# An internal term link: "/slug", "/slug/", either with "#anchor"; what follows "#" is kept as written.
TERM_HREF = re.compile(r"^/([a-z0-9]+(?:-[a-z0-9]+)*)/?(#.*)?$")


@dataclass(frozen=True)
class TermLink:
    """What the caller says about an internal link target; `title` previews it (a definition, why it is missing)."""

    href: str
    missing: bool
    title: str = ""


@dataclass(frozen=True)
class ImageLink:
    """Where an image the writer referenced is served from, as the caller resolved it."""

    url: str
    width: int | None = None
    height: int | None = None


# An image beside the article's files: "img/…" or "./img/…", no "..", no scheme, query or fragment.
_RELATIVE_IMAGE = re.compile(r"^(?:\./)?(img/(?:[^/\\?#:]+/)*[^/\\?#:]+)$")


def image_resolver(*, base_url: str, allowed_hosts: Collection[str] = ()) -> Callable[[str], ImageLink | None]:
    """Return a resolve_image: `img/…` paths under `base_url`, https images only from `allowed_hosts`."""
    hosts = {host.lower() for host in allowed_hosts}

    def resolve(src: str) -> ImageLink | None:
        src = src.strip()
        relative = _RELATIVE_IMAGE.match(src)
        if relative and ".." not in relative.group(1).split("/"):
            return ImageLink(base_url.rstrip("/") + "/" + relative.group(1))
        address = urlsplit(src)
        if address.scheme.lower() == "https" and (address.hostname or "") in hosts and not address.username:
            return ImageLink(src)
        return None

    return resolve


@dataclass(frozen=True)
class LinkRef:
    """An internal link found in a body."""

    target: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[TocEntry]
    links: list[LinkRef]
    findings: list[Finding]
    text: str


def find_term_links(body: str, *, first_line: int = 1) -> list[LinkRef]:
    """Return every internal `/slug` link (inline, reference-style, with title or #anchor) as a reader sees it."""
    return _term_links(parse_blocks(body, first_line=first_line))


def _term_links(parsed: Parsed | ParsedBlocks) -> list[LinkRef]:
    links = []
    for link in parsed.links:
        match = TERM_HREF.match(link.target)
        if match:
            links.append(LinkRef(match.group(1), _name_in_link_text(link.text), link.line, link.column))
    return links


def _name_in_link_text(text: str) -> str:
    """Return the link text without a stray mark set apart by a space ("internes ." names "internes")."""
    text = " ".join(text.split())
    while len(text) > 1 and text[-1] in STRAY_LINK_PUNCTUATION and text[-2] == " ":
        text = text[:-2].rstrip()
    return text


def render_markdown(
    body: str,
    *,
    resolve_link: Callable[[str], TermLink | None],
    title: str = "",
    first_line: int = 1,
    resolve_image: Callable[[str], ImageLink | None] | None = None,
) -> Rendered:
    """Render a body tolerantly: resolve term links and images, sanitise, collect findings; never raises.

    A render made ahead (markup.ahead) from the same body, title and first line is returned when each of the body's
    term links resolves as it did for that render (such a body has no image).
    """
    ahead = _rendered_ahead.get(body)
    if ahead is not None and ahead.made_from(title=title, first_line=first_line, resolve_link=resolve_link):
        rendered = ahead.rendered
        return Rendered(rendered.html, list(rendered.toc), list(rendered.links), list(rendered.findings), rendered.text)
    parsed = parse_markdown(body, first_line=first_line)
    findings = list(parsed.findings)
    tokens = _visible_tokens(parsed, title=title, findings=findings)
    env: dict[str, Any] = dict(parsed.env)
    env["term_links"] = _resolve_term_links(parsed, resolve_link, findings)
    env["images"] = _resolve_images(parsed, resolve_image, findings)
    env["link_stack"] = []
    raw = _RENDERER.render(tokens, MARKDOWN.options, env)
    return Rendered(
        html=sanitize_html(raw).strip(),
        toc=_toc(tokens),
        links=_term_links(parsed),
        findings=sorted(findings, key=lambda f: (f.line, f.column, f.code)),
        text=_plain_text(tokens, env),
    )


@dataclass(frozen=True)
class RenderedAhead:
    """A render made ahead of a save (markup.ahead), with what it was made from besides the body."""

    title: str
    first_line: int
    links: dict[str, TermLink | None]  # each term link target of the body, as it was resolved
    rendered: Rendered

    def made_from(self, *, title: str, first_line: int, resolve_link: Callable[[str], TermLink | None]) -> bool:
        """Whether a render of its body with these inputs is this one."""
        if title != self.title or first_line != self.first_line:
            return False
        return all(resolve_link(target) == link for target, link in self.links.items())


def render_ahead(
    body: str, *, links: Mapping[str, TermLink | None], title: str = "", first_line: int = 1
) -> RenderedAhead | None:
    """Render a body whose term links resolve as `links` say, to be used by a save where they still do; None for a
    body that links to a target `links` do not know, or has an image (resolved from the database)."""
    parsed = parse_markdown(body, first_line=first_line)
    if parsed.images:
        return None
    targets = {link.target for link in _term_links(parsed)}
    if not targets <= links.keys():
        return None
    known = {target: links[target] for target in targets}
    rendered = render_markdown(body, resolve_link=known.get, title=title, first_line=first_line)
    return RenderedAhead(title, first_line, known, rendered)


# Renders made ahead by another process for the next save (markup.ahead), by body; replaced for each article.
_rendered_ahead: dict[str, RenderedAhead] = {}


def renders_made_ahead(renders: Mapping[str, RenderedAhead]) -> None:
    """Use these renders for their bodies where their inputs are the same, instead of the ones before."""
    global _rendered_ahead
    _rendered_ahead = dict(renders)


def _visible_tokens(parsed: Parsed, *, title: str, findings: list[Finding]) -> list[Token]:
    """Leave out what readers do not see: the leading H1 that repeats the title, and hidden placeholders."""
    tokens = [token for token in parsed.tokens if not token.meta.get("hidden")]
    first_content = next((index for index, token in enumerate(tokens) if token.nesting != -1), None)
    wanted = " ".join(title.split())
    if (
        first_content is not None
        and tokens[first_content].type == "heading_open"
        and tokens[first_content].tag == "h1"
        and wanted
        and " ".join(inline_text(tokens[first_content + 1].children or []).split()) == wanted
    ):
        del tokens[first_content : first_content + 3]
    for token in tokens:
        if token.type == "heading_open" and token.tag == "h1" and token.map:
            findings.append(
                Finding(
                    "markup.extra-h1",
                    Severity.INFO,
                    token.map[0],
                    1,
                    _("Only the title is a level-1 heading; this heading is shown as level 2"),
                )
            )
    return tokens


def _resolve_term_links(
    parsed: Parsed, resolve_link: Callable[[str], TermLink | None], findings: list[Finding]
) -> dict[str, TermLink | None]:
    resolved: dict[str, TermLink | None] = {}
    for link in parsed.links:
        match = TERM_HREF.match(link.target)
        if not match:
            continue
        slug = match.group(1)
        if slug not in resolved:
            resolved[slug] = resolve_link(slug)
        if resolved[slug] is None:
            findings.append(
                Finding(
                    "markup.unresolved-link",
                    Severity.WARNING,
                    link.line,
                    link.column,
                    _("Link to %(target)s leads to no glossary term; it is shown as text"),
                    {"target": f"/{slug}"},
                )
            )
    return resolved


def _resolve_images(
    parsed: Parsed, resolve_image: Callable[[str], ImageLink | None] | None, findings: list[Finding]
) -> dict[str, ImageLink | None]:
    resolved: dict[str, ImageLink | None] = {}
    for image in parsed.images:
        if image.src not in resolved:
            resolved[image.src] = resolve_image(image.src) if resolve_image is not None and image.src else None
        if resolved[image.src] is None:
            findings.append(
                Finding(
                    "markup.image-unavailable",
                    Severity.WARNING,
                    image.line,
                    image.column,
                    _("Image %(src)s cannot be shown; readers see its description instead"),
                    {"src": image.src},
                )
            )
    return resolved


def _toc(tokens: list[Token]) -> list[TocEntry]:
    entries = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = max(int(token.tag[1]), 2)
        if level <= 3:
            text = " ".join(inline_text(tokens[index + 1].children or []).split())
            entries.append(TocEntry(level, str(token.attrGet("id") or ""), text))
    return entries


_CJK = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_LINE_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


def _plain_text(tokens: list[Token], env: dict[str, Any]) -> str:
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline_plain_text(token.children or [], env))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
        elif token.type == "html_block":
            parts.append(html_text(token.content))
        elif token.type == f"container_{ASIDE}_open":
            parts.append(token.info)
    return " ".join(" ".join(parts).split())


def _inline_plain_text(children: list[Token], env: dict[str, Any]) -> str:
    parts = []
    for child in children:
        if child.meta.get("hidden"):
            continue
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline":
            parts.append(html_text(child.content))
        elif child.type == "image" and env["images"].get(str(child.attrGet("src") or "")) is None:
            parts.append(child.content)
    # A line break between two Chinese or Japanese characters is no space (as browsers show it, CSS Text 3).
    return _CJK_LINE_BREAK.sub("", "".join(parts))


# Render rules: they read the tokens and the resolutions in env, and never change the parse -------------------


def _attribute(name: str, value: object) -> str:
    return f' {name}="{escape(str(value))}"'


def _link_open(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    token = tokens[idx]
    if token.meta.get("hidden"):
        env["link_stack"].append("")
        return ""
    href = str(token.attrGet("href") or "")
    match = TERM_HREF.match(href)
    if not match:
        env["link_stack"].append("</a>")
        return self.renderToken(tokens, idx, options, env)
    link = env["term_links"].get(match.group(1))
    if link is None:
        env["link_stack"].append("")  # shown as text, reported as markup.unresolved-link
        return ""
    env["link_stack"].append("</a>")
    classes = "term-link term-link--missing" if link.missing else "term-link"
    title = token.attrGet("title") or link.title
    return (
        f"<a{_attribute('class', classes)}{_attribute('href', link.href + (match.group(2) or ''))}"
        + (_attribute("title", title) if title else "")
        + ">"
    )


def _link_close(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    return env["link_stack"].pop() if env["link_stack"] else ""


def _text(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    return "" if tokens[idx].meta.get("hidden") else escape(tokens[idx].content, quote=False)


def _image(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    image = env["images"].get(str(token.attrGet("src") or ""))
    if image is None:
        return escape(alt, quote=False)  # the description stays where the image was; reported
    title = token.attrGet("title")
    return (
        f"<img{_attribute('src', image.url)}{_attribute('alt', alt)}"
        + (_attribute("title", title) if title else "")
        + (_attribute("width", image.width) if image.width else "")
        + (_attribute("height", image.height) if image.height else "")
        + ' loading="lazy" decoding="async">'
    )


def _heading_open(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    token = tokens[idx]
    tag = "h2" if token.tag == "h1" else token.tag
    identifier = token.attrGet("id")
    return f"<{tag}{_attribute('id', identifier) if identifier else ''}>"


def _heading_close(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    return f"</{'h2' if tokens[idx].tag == 'h1' else tokens[idx].tag}>\n"


def _html_block(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    token = tokens[idx]
    return token.content + token.meta.get("close", "")


def _aside_open(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    label = tokens[idx].info.strip()
    shown = f'<p class="aside-label">{escape(label, quote=False)}</p>\n' if label else ""
    return f'<aside class="note">\n{shown}'


def _aside_close(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    return "</aside>\n"


def _footnote_number(token: Token) -> tuple[str, str]:
    """Return the footnote's number and its reference's id suffix (a second reference to one note is "1-2")."""
    number = str(token.meta["id"] + 1)
    sub = token.meta.get("subId", -1)
    return number, f"{number}-{sub}" if sub and sub > 0 else number


def _footnote_ref(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    number, reference = _footnote_number(tokens[idx])
    return (
        f'<sup class="footnote-ref"><a href="#{HEADING_ID_PREFIX}fn-{number}"'
        f' id="{HEADING_ID_PREFIX}fnref-{reference}">[{number}]</a></sup>'
    )


def _footnote_open(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    number, _reference = _footnote_number(tokens[idx])
    return f'<li id="{HEADING_ID_PREFIX}fn-{number}" class="footnote-item">'


def _footnote_anchor(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    _number, reference = _footnote_number(tokens[idx])
    return f' <a href="#{HEADING_ID_PREFIX}fnref-{reference}" class="footnote-backref">\u21a9\ufe0e</a>'


def _footnote_block_open(self, tokens: Sequence[Token], idx: int, options, env: dict[str, Any]) -> str:
    return '<section class="footnotes">\n<ol class="footnotes-list">\n'


def _renderer() -> RendererHTML:
    """Return a renderer with the plugins' rules and ours; the shared parser's own renderer is left as it is."""
    renderer = RendererHTML()
    renderer.rules.update(MARKDOWN.renderer.rules)
    for name, rule in (
        ("link_open", _link_open),
        ("link_close", _link_close),
        ("text", _text),
        ("image", _image),
        ("heading_open", _heading_open),
        ("heading_close", _heading_close),
        ("html_block", _html_block),
        (f"container_{ASIDE}_open", _aside_open),
        (f"container_{ASIDE}_close", _aside_close),
        ("footnote_ref", _footnote_ref),
        ("footnote_open", _footnote_open),
        ("footnote_anchor", _footnote_anchor),
        ("footnote_block_open", _footnote_block_open),
        ("s_open", lambda self, tokens, idx, options, env: "<del>"),
        ("s_close", lambda self, tokens, idx, options, env: "</del>"),
    ):
        renderer.rules[name] = rule.__get__(renderer)
    return renderer


_RENDERER = _renderer()

"""The HTML allow-list every rendered body passes through."""

import re

import nh3

HEADING_ID_PREFIX = "h-"
ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "sup",
    "sub",
    "del",
    "img",
    "aside",
    "section",
    "dl",
    "dt",
    "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "lang", "id"},
    "img": {"src", "alt", "title", "loading", "decoding", "width", "height"},
    "li": {"id"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
# Footnotes and asides are drawn by these classes (the renderer's own markup, see markup.render).
ALLOWED_CLASSES = {
    "a": {"term-link", "term-link--missing", "footnote-backref"},
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "aside": {"note"},
    "p": {"aside-label"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Site-relative means one leading slash: "//host" and "/\host" are other sites to a browser.
_SITE_RELATIVE = re.compile(r"^/(?![/\\])")
_SCHEME = re.compile(r"^(https?|mailto):", re.IGNORECASE)
_HTTPS = re.compile(r"^https://", re.IGNORECASE)
_ALLOWED_VALUES = {
    "width": str.isdigit,
    "height": str.isdigit,
    "loading": {"lazy", "eager"}.__contains__,
    "decoding": {"async", "sync", "auto"}.__contains__,
}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    value = value.strip()
    if attribute == "href":
        allowed = bool(_SITE_RELATIVE.match(value) or _SCHEME.match(value) or value.startswith("#"))
    elif attribute == "src":
        allowed = bool(_SITE_RELATIVE.match(value) or _HTTPS.match(value))
    else:
        allowed = _ALLOWED_VALUES.get(attribute, lambda value: True)(value)
    return value if allowed else None


def sanitize_html(html: str) -> str:
    """Keep only the tags, attributes, classes and URL schemes a glossary article needs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        id_prefix=HEADING_ID_PREFIX,
        strip_comments=True,
    )

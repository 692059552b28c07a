"""Checks of one language version on its own: placeholders, links, punctuation and spacing, wording.

Rules of a writing system are chosen by the script of the text (Hangul, Han), so "ko-KR" gets the Korean rules; the
few rules of one language's typography are keyed by language in the tables below.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from markup.findings import Finding, Severity
from markup.findings import gettext_noop as _
from markup.qa_page import MASK, PROSE_KINDS, Link, Page

# French typography puts a (no-break) space before these marks; other languages never put a space before punctuation.
SPACE_BEFORE_MARKS = {"fr": ";:!?"}
GUILLEMET_SPACING = {"fr"}
TITLE_CASE_HEADINGS = {"en"}  # headings capitalise every major word
CAPITALISED_NOUNS = {"de", "lb"}  # every noun starts with a capital
APOSTROPHE_GENITIVE = {"nb", "nn", "no", "da"}  # Marx' teorier, not Marxs
SLUG_LANGUAGE = "en"  # link targets (/social-media) are English words: English link text should name them
REPEATABLE_WORDS = {"nous", "vous", "had", "that", "is"}  # "nous nous", "had had" are correct
TERM_TYPO_MIN_LENGTH = 6
TERM_VARIANT_MIN_LENGTH = 4
KOREAN_PARTICLES = ("으로", "에서", "에게", "을", "를", "은", "는", "의", "에", "로", "와", "과")
# Declarative and other sentence endings: -다 -요 -까 -죠 ..., and the noun endings -음 -함 -임 -됨 of notes.
KOREAN_SENTENCE_ENDINGS = set("다요까죠오라네자니군나음함임됨")
FULLWIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。"}

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CJK = "\u4e00-\u9fff\u3400-\u4dbf\u3040-\u30ff"
_FORMAT_PLACEHOLDER = re.compile(
    r"(?<![\w%])%(?:\(\w{1,40}\))?[sdif](?!\w)|(?<![{\w$])\{\d{0,2}\}(?!\})|\$\{\w{1,40}\}|(?<![{\w])\{[a-z_]{1,40}\}(?!\})"
)
_FILLER = re.compile(r"(?<!\w)(?:T{3,}|X{4,}|TODO|TBD|FIXME)(?!\w)|(?i:lorem ipsum)")
# What the renderer's pre-pass already reports as a placeholder line (markup.placeholder).
_PLACEHOLDER_LINE = re.compile(
    r"^(?:(?-i:T{3,}|X{3,}|Y{3,})|TODO|TBD|FIXME|PLACEHOLDER|lorem ipsum\b.*"
    r"|\{\{.*\}\}|\[\[.*\]\]|%s|%\(\w+\)s|\{\d*\})$",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^<>\n]{0,1000}>")
_BRACKET = re.compile(r"[\[\]\n]")
_BROKEN_LINK = re.compile(r"\]\(|\][ \t]+\((?=/|https?:)")
_DOUBLED = re.compile(r"(?<![.,;:!?])(?:[,;:][.,;:]|(?<!\w)\.[,;:]|(?<!\.)\.\.(?!\.)|[。，；、][。，；、])(?![.,;:!?])")
_SPACE_BEFORE = re.compile(r"(?<=[^\s\[(（])([ \t]+)([.,;:!?])(?=[\s\0)]|$)")
_NO_SPACE_BEFORE = re.compile(r"(?<=[^\s\u00a0\u202f(\[;:!?])([;:!?])(?=[\s\0)]|$)")
_GUILLEMET_OPEN = re.compile(r"«(?=[^\s\u00a0\u202f])")
_GUILLEMET_CLOSE = re.compile(r"(?<=[^\s\u00a0\u202f])»")
_SPACE_AFTER_OPEN = re.compile(r"([(（])[ \t]+(?=\S)")
_SPACE_BEFORE_CLOSE = re.compile(r"(?<=[^\s(（])[ \t]+([)）])")
_SPACE_AFTER_FULLWIDTH = re.compile(r"([。，；：！？、])[ \t]+(?=\S)")
_HALFWIDTH_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])([,;:!?]|\.(?=[\s{_CJK}]|$))[ \t]*")
_HALFWIDTH_PARENS = re.compile(r"[ \t]*\(([^()\n\0]{1,200})\)[ \t]*")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_PARTICLE_SPACE = re.compile(rf"(?<=[\uac00-\ud7a3)\]\0])([ \t]+)({'|'.join(KOREAN_PARTICLES)})(?=[\s.,!?\0]|$)")
_PARTICLE = re.compile(rf"^(?:{'|'.join(KOREAN_PARTICLES)})$")
_SENTENCE_END = re.compile(r"(?<=[^\s\d])[.!。]+(?=[\s\0\"'”’)\]]|$)")
_CLOSING = " \t\n\"'”’]" + MASK
_REPEATED = re.compile(r"(?<!\w)([^\W\d_]{2,})([ \t]+)(\1)(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_HEADING_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_GENITIVE = re.compile(r"\b([A-ZÆØÅ]\w*[sxz])s\b")


def check_text(page: Page, *, language: str, title: str) -> Iterator[Finding]:
    """Yield the findings of one version's body on its own."""
    base = language.split("-")[0].lower()
    yield from _placeholders(page)
    yield from _link_syntax(page)
    yield from _links(page, base)
    yield from _punctuation(page, base)
    if page.script in ("Han", "Kana"):
        yield from _cjk_punctuation(page)
    if _HANGUL.search(page.prose):
        yield from _korean_spacing(page)
        yield from _korean_sentences(page)
    yield from _repeated_words(page)
    yield from _term_spelling(page, title)
    yield from _term_variants(page, title)
    if base not in TITLE_CASE_HEADINGS | CAPITALISED_NOUNS:
        yield from _heading_case(page)
    if base in APOSTROPHE_GENITIVE:
        yield from _genitive(page)


# Placeholders and links ---------------------------------------------------------------------------------------


def _placeholders(page: Page) -> Iterator[Finding]:
    for pattern, code, message in (
        (
            _FORMAT_PLACEHOLDER,
            "placeholder.format",
            _("Format placeholder %(text)s left in the text: readers would see it as is"),
        ),
        (_FILLER, "placeholder.filler", _("Filler %(text)s stands where the translation should be")),
    ):
        for match in pattern.finditer(page.prose):
            start, end = page.line_span(match.start())
            if _PLACEHOLDER_LINE.match(_TAG.sub("", page.body[start:end]).strip()):
                continue  # the whole line is a placeholder: the renderer's pre-pass reports it
            yield page.finding(match.start(), code, Severity.ERROR, message, {"text": match.group(0)})


def _link_syntax(page: Page) -> Iterator[Finding]:
    # Valid links have their targets masked in the prose, so a "](" left there is a link Markdown will not make.
    broken = set()
    for match in _BROKEN_LINK.finditer(page.prose):
        broken.add(match.start())
        yield page.finding(
            match.start(),
            "link.broken-syntax",
            Severity.ERROR,
            _("Broken link syntax %(text)s: readers would see brackets instead of a link"),
            {"text": page.body[max(0, match.start() - 20) : match.start() + 20].strip()},
        )
    opened: list[int] = []
    reported_line = -1
    for match in _BRACKET.finditer(page.prose):
        char = match.group(0)
        if char == "[":
            opened.append(match.start())
        elif char == "]" and opened:
            opened.pop()
        elif char == "]" and match.start() not in broken and match.start() > reported_line:
            reported_line = page.line_span(match.start())[1]
            yield _unmatched(page, match.start())
        if char == "\n" or match.end() == len(page.prose):
            if opened and opened[0] > reported_line:
                reported_line = page.line_span(opened[0])[1]
                yield _unmatched(page, opened[0])
            opened.clear()
    if opened and opened[0] > reported_line:
        yield _unmatched(page, opened[0])


def _unmatched(page: Page, offset: int) -> Finding:
    return page.finding(
        offset,
        "link.unmatched-bracket",
        Severity.WARNING,
        _("Unmatched %(bracket)s: a link is broken here or the bracket is left over"),
        {"bracket": page.body[offset]},
    )


def _links(page: Page, base: str) -> Iterator[Finding]:
    for link in page.links:
        written = page.body[link.start : link.end]
        text = page.body[link.start + 1 : link.start + 1 + len(link.text)]
        if not link.target:
            yield page.finding(
                link.start,
                "link.empty-target",
                Severity.ERROR,
                _("Link %(text)s has no address"),
                {"text": f"[{text}]"},
            )
        elif not link.internal:
            # Internal links [text](/slug) are tidied by the renderer's pre-pass, which reports them itself.
            yield from _external_link_text(page, link, written, text)
        if _HANGUL.search(text):
            yield from _particle_inside(page, link, written, text)
        if base == SLUG_LANGUAGE and link.internal and not _names_target(text, link.target):
            yield page.finding(
                link.start,
                "link.text-target-mismatch",
                Severity.INFO,
                _("The link text %(text)s does not name its target %(target)s: check the link goes where it says"),
                {"text": f"[{text}]", "target": link.target},
            )


def _external_link_text(page: Page, link: Link, written: str, text: str) -> Iterator[Finding]:
    clean = text.strip()
    if not clean:
        yield page.finding(
            link.start,
            "link.empty-text",
            Severity.ERROR,
            _("Link to %(target)s has no text: readers cannot see or follow it"),
            {"target": link.target},
        )
        return
    moved = ""
    while clean and clean[-1] in ".,;:!?。，、；：！？":
        moved = clean[-1] + moved
        clean = clean[:-1].rstrip()
    if clean != text and clean:
        yield page.finding(
            link.start,
            "link.text-spacing",
            Severity.WARNING,
            _("Link text %(text)s has stray spaces or punctuation inside the brackets"),
            {"text": f"[{text}]"},
            old=written,
            new=f"[{clean}]{written[len(text) + 2 :]}{moved}",
        )


def _names_target(text: str, target: str) -> bool:
    slug_words = [word for word in target.strip("/").split("-") if word]
    text_words = re.findall(r"[a-z]+", text.lower())
    if not slug_words or not text_words:
        return True
    if "".join(slug_words) in "".join(text_words) or "".join(text_words) in "".join(slug_words):
        return True
    return any(
        slug[:4] == word[:4] if min(len(slug), len(word)) >= 4 else slug == word
        for slug in slug_words
        for word in text_words
    )


def _particle_inside(page: Page, link: Link, written: str, text: str) -> Iterator[Finding]:
    words = text.split()
    if len(words) < 2:
        return
    target_part = written[len(text) + 2 :]
    if _PARTICLE.match(words[0]):
        # "기업 [은 사내](/in-house)": the particle belongs to the word before the link.
        spaced = link.start > 0 and page.body[link.start - 1] == " "
        start = link.start - 1 if spaced else link.start
        yield page.finding(
            start,
            "link.particle-inside",
            Severity.WARNING,
            _("The link text %(text)s starts with the particle of the word before it"),
            {"text": f"[{text}]"},
            old=page.body[start : link.end],
            new=f"{words[0]} [{' '.join(words[1:])}]{target_part}",
        )
        return
    position = next((i for i, word in enumerate(words) if i and _PARTICLE.match(word)), None)
    if position is None:
        return
    rest = " ".join(words[position + 1 :])
    yield page.finding(
        link.start,
        "link.particle-inside",
        Severity.WARNING,
        _("The link text %(text)s holds a particle and words that belong outside the link"),
        {"text": f"[{text}]"},
        old=written,
        new=f"[{' '.join(words[:position])}]{target_part}{words[position]}" + (f" {rest}" if rest else ""),
    )


# Punctuation and spacing --------------------------------------------------------------------------------------


def _punctuation(page: Page, base: str) -> Iterator[Finding]:
    prose = page.prose
    for match in _DOUBLED.finditer(prose):
        marks = match.group(0)
        following = prose[match.end() : match.end() + 2].strip(" \t")
        sentence_ends = not following or following[0] == "\n" or following[0].isupper()
        kept = marks[1] if marks[1] in ".。" and sentence_ends else marks[0]
        yield page.finding(
            match.start(),
            "punct.doubled",
            Severity.WARNING,
            _("Doubled punctuation %(marks)s"),
            {"marks": marks},
            old=marks,
            new=kept,
        )
    spaced = SPACE_BEFORE_MARKS.get(base, "")
    for match in _SPACE_BEFORE.finditer(prose):
        mark = match.group(2)
        if mark in spaced:
            continue
        yield page.finding(
            match.start(),
            "punct.space-before",
            Severity.WARNING,
            _("Space before %(mark)s"),
            {"mark": mark},
            old=match.group(0),
            new=mark,
        )
    if spaced:
        for match in _NO_SPACE_BEFORE.finditer(prose):
            mark = match.group(1)
            if mark not in spaced or (mark == ":" and prose[match.start() - 1 : match.start()].isdigit()):
                continue
            yield page.finding(
                match.start(),
                "punct.missing-space-before",
                Severity.WARNING,
                _("French typography puts a no-break space before %(mark)s"),
                {"mark": mark},
                old=mark,
                new="\u00a0" + mark,
            )
    if base in GUILLEMET_SPACING:
        for pattern, new in ((_GUILLEMET_OPEN, "«\u00a0"), (_GUILLEMET_CLOSE, "\u00a0»")):
            for match in pattern.finditer(prose):
                yield page.finding(
                    match.start(),
                    "punct.guillemet-spacing",
                    Severity.WARNING,
                    _("French typography puts a no-break space inside « »"),
                    old=match.group(0),
                    new=new,
                )
    for pattern, message in (
        (_SPACE_AFTER_OPEN, _("Space after the opening parenthesis")),
        (_SPACE_BEFORE_CLOSE, _("Space before the closing parenthesis")),
    ):
        for match in pattern.finditer(prose):
            yield page.finding(
                match.start(),
                "punct.space-in-parentheses",
                Severity.WARNING,
                message,
                old=match.group(0),
                new=match.group(1),
            )
    for match in _SPACE_AFTER_FULLWIDTH.finditer(prose):
        yield page.finding(
            match.start(),
            "punct.space-after-fullwidth",
            Severity.WARNING,
            _("Space after the full-width %(mark)s: it already has its own space"),
            {"mark": match.group(1)},
            old=match.group(0),
            new=match.group(1),
        )


def _cjk_punctuation(page: Page) -> Iterator[Finding]:
    prose = page.prose
    for match in _HALFWIDTH_AFTER_CJK.finditer(prose):
        mark = match.group(1)
        yield page.finding(
            match.start(),
            "punct.halfwidth-in-cjk",
            Severity.WARNING,
            _("Half-width %(mark)s in Chinese or Japanese text: use %(wide)s"),
            {"mark": mark, "wide": FULLWIDTH[mark]},
            old=match.group(0),
            new=FULLWIDTH[mark],
        )
    for match in _HALFWIDTH_PARENS.finditer(prose):
        before = prose[: match.start()].rstrip(" \t")[-1:]
        after = prose[match.end() : match.end() + 1]
        if not (_CJK_CHAR.match(before) or _CJK_CHAR.match(after) or _CJK_CHAR.search(match.group(1))):
            continue
        yield page.finding(
            match.start(),
            "punct.halfwidth-in-cjk",
            Severity.WARNING,
            _("Half-width %(mark)s in Chinese or Japanese text: use %(wide)s"),
            {"mark": "( )", "wide": "（ ）"},
            old=match.group(0),
            new=f"（{match.group(1).strip()}）",
        )


def _korean_spacing(page: Page) -> Iterator[Finding]:
    for match in _PARTICLE_SPACE.finditer(page.prose):
        if page.in_link_text(match.start()):
            continue  # link.particle-inside reports it with the link
        yield page.finding(
            match.start(),
            "punct.space-before-particle",
            Severity.WARNING,
            _("Space before the particle %(particle)s: Korean particles attach to the word"),
            {"particle": match.group(2)},
            old=match.group(0),
            new=match.group(2),
        )


def _korean_sentences(page: Page) -> Iterator[Finding]:
    for block in page.blocks:
        if block.kind not in PROSE_KINDS or not _HANGUL.search(block.text):
            continue
        text = page.prose[block.start : block.end]
        previous = 0
        for match in _SENTENCE_END.finditer(text):
            sentence = _without_trailing_aside(text[previous : match.start()])
            previous = match.end()
            syllables = _HANGUL.findall(sentence)
            if len(syllables) <= 2 or (sentence[-1:] in KOREAN_SENTENCE_ENDINGS):
                continue
            yield page.finding(
                block.start + match.start(),
                "text.no-predicate",
                Severity.WARNING,
                _("The sentence ending %(sentence)s has no verb at its end: it looks cut off"),
                {"sentence": _tail(text[: match.end()])},
            )


def _tail(text: str) -> str:
    """Return the last words of a text, up to about 40 characters, as a reader sees them."""
    words = text.replace(MASK, "").replace("[", "").replace("]", "").split()
    tail: list[str] = []
    while words and (not tail or sum(len(word) + 1 for word in tail) + len(words[-1]) <= 40):
        tail.insert(0, words.pop())
    return ("…" if words else "") + " ".join(tail)


def _without_trailing_aside(sentence: str) -> str:
    """Drop closing quotes, links' masks and a last parenthesis: "...스타트업(SeedInvest)" ends with 스타트업."""
    while True:
        sentence = sentence.rstrip(_CLOSING)
        if not sentence.endswith((")", "）")):
            return sentence
        opening = max(sentence.rfind("("), sentence.rfind("（"))
        if opening < 0:
            return sentence[:-1]
        sentence = sentence[:opening]


# Wording ------------------------------------------------------------------------------------------------------


def _repeated_words(page: Page) -> Iterator[Finding]:
    for match in _REPEATED.finditer(page.prose):
        if match.group(1).lower() in REPEATABLE_WORDS:
            continue
        yield page.finding(
            match.start(2),
            "text.repeated-word",
            Severity.WARNING,
            _("The word %(word)s is repeated"),
            {"word": match.group(1)},
            old=match.group(2) + match.group(3),
            new="",
        )


def _term_spelling(page: Page, title: str) -> Iterator[Finding]:
    terms = {word.casefold(): word for word in _WORD.findall(title) if len(word) >= TERM_TYPO_MIN_LENGTH}
    terms = {key: word for key, word in terms.items() if re.fullmatch(r"[a-z]+", key)}
    if not terms:
        return
    misspelled = {}
    for word in page.words:
        folded = word.casefold()
        for key, term in terms.items():
            if folded != key and _one_edit_inside(folded, key):
                misspelled[word] = term
    if not misspelled:
        return
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(misspelled, key=len, reverse=True))) + r")(?!\w)")
    for match in pattern.finditer(page.prose):
        word = match.group(0)
        term = misspelled[word]
        yield page.finding(
            match.start(),
            "text.term-misspelled",
            Severity.WARNING,
            _("%(word)s looks like a misspelling of the term %(term)s"),
            {"word": word, "term": term},
            old=word,
            new=term[:1].upper() + term[1:].lower() if word[:1].isupper() else term.lower(),
        )


def _one_edit_inside(word: str, term: str) -> bool:
    """Tell whether `word` is `term` with one letter changed, added or dropped, not at the end (inflection)."""
    if len(word) == len(term):
        return sum(a != b for a, b in zip(word, term, strict=True)) == 1 and word[-1] == term[-1]
    if abs(len(word) - len(term)) != 1:
        return False
    shorter, longer = sorted((word, term), key=len)
    if longer[:-1] == shorter:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer) - 1))


def _term_variants(page: Page, title: str) -> Iterator[Finding]:
    """Yield terms written apart or hyphenated where the title or a link writes them otherwise."""
    names = [title.strip()]
    for link in page.links:
        words = link.text.replace(MASK, "").split()
        if words and _PARTICLE.match(words[0]):
            words = words[1:]
        cut = next((i for i, word in enumerate(words) if _PARTICLE.match(word)), len(words))
        names.append(" ".join(words[:cut]).strip(" .,;:!?"))
    canonical: dict[str, str] = {}
    for name in names:
        compact = re.sub(r"[\s-]", "", name).casefold()
        usable = len(compact) >= TERM_VARIANT_MIN_LENGTH and re.fullmatch(r"\w+", compact)
        if usable and not _CJK_CHAR.search(compact) and compact not in canonical:
            canonical[compact] = name
    if not canonical:
        return
    patterns = []
    for compact in canonical:
        body = "[ \\-]?".join(map(re.escape, compact))
        patterns.append(body if _HANGUL.match(compact) else f"(?<![^\\W\\d_]){body}")
    forms: dict[str, list[re.Match]] = {}
    for match in re.finditer("|".join(patterns), page.prose, re.IGNORECASE):
        forms.setdefault(match.group(0), []).append(match)
    for written, matches in forms.items():
        compact = re.sub(r"[\s-]", "", written).casefold()
        name = canonical.get(compact)
        if name is None or re.sub(r"\s+", " ", written).casefold() == name.casefold():
            continue
        usual = name if not written[:1].isupper() else name[:1].upper() + name[1:]
        for match in matches:
            if page.in_link_text(match.start()):
                continue
            yield page.finding(
                match.start(),
                "text.term-variant",
                Severity.INFO,
                _("%(written)s is written %(usual)s elsewhere (title or links): write the term one way"),
                {"written": written, "usual": name},
                old=written,
                new=usual,
            )


def _heading_case(page: Page) -> Iterator[Finding]:
    """Yield words a heading capitalises English-style where the text writes them in lower case."""
    lower = {word for word in page.words if word[:1].islower()}
    for block in page.blocks:
        if block.kind != "heading":
            continue
        raw = page.body[block.start : block.end].rstrip("\n")
        text_start = len(raw) - len(raw.lstrip(" #＃"))
        for index, match in enumerate(_HEADING_WORD.finditer(raw, text_start)):
            word = match.group(0)
            if index == 0 or not word[:1].isupper() or not word[1:].islower() or word.lower() not in lower:
                continue
            before = raw[text_start : match.start()].rstrip()
            if before.endswith((":", "?", "!")) or re.search(r"\w{3,}\.$", before):
                continue  # a new sentence starts with a capital
            yield page.finding(
                block.start + match.start(),
                "text.heading-case",
                Severity.INFO,
                _("%(word)s is capitalised in this heading but written %(lower)s in the text"),
                {"word": word, "lower": word.lower()},
                old=word,
                new=word.lower(),
            )


def _genitive(page: Page) -> Iterator[Finding]:
    counts = Counter(page.words)
    for match in _GENITIVE.finditer(page.prose):
        name = match.group(1)
        if name not in counts:
            continue
        yield page.finding(
            match.start(),
            "text.genitive-apostrophe",
            Severity.WARNING,
            _("A name ending in s, x or z takes an apostrophe for the genitive: %(fixed)s"),
            {"fixed": f"{name}'"},
            old=match.group(0),
            new=f"{name}'",
        )

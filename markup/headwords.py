"""Headwords from link texts: the words a sentence wraps around a name (articles, particles) taken off. No Django.

A link text is the name as it sits in a sentence: "les réseaux sociaux", "상환을", "the crowd". A term's name is the
name alone. The table below holds, per language code, what may come before a name and what may follow it; a
language missing from it keeps its link texts as they are. Cleaning only suggests: editors confirm names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Affixes:
    leading: tuple[str, ...] = ()  # words before the name, with their space or apostrophe ("le ", "l'")
    trailing: tuple[str, ...] = ()  # endings glued to the name or set apart by a space (Korean particles)


# Longest first within each tuple is not needed: the longest match is chosen.
AFFIXES: dict[str, Affixes] = {
    "en": Affixes(leading=("the ", "a ", "an ")),
    "fr": Affixes(leading=("le ", "la ", "les ", "l'", "l’", "un ", "une ", "des ", "du ")),
    "nb": Affixes(leading=("en ", "ei ", "et ", "den ", "det ", "de ")),
    "ko": Affixes(trailing=("을", "를", "은", "는", "이", "가", "의", "에", "로", "으로", "와", "과", "에서", "에게")),
}
# A glued ending is taken off only when this many characters stay; 이 ends many nouns, so it needs more
# (상환을 → 상환, but 고양이 stays).
MIN_STEM = 2
MIN_STEM_BEFORE = {"이": 3}
# Korean particles come in pairs: one after a final consonant, one after a vowel (상환을, 크라우드를).
_HANGUL_FIRST, _HANGUL_LAST, _FINALS = 0xAC00, 0xD7A3, 28
AFTER_CONSONANT = {"을", "은", "이", "과", "으로"}
AFTER_VOWEL = {"를", "는", "가", "와"}


def clean_headword(text: str, *, language: str) -> str:
    """Return the name a link text stands for in `language`: collapsed spaces, no leading article, no particle."""
    name = " ".join(text.split())
    affixes = AFFIXES.get(language, Affixes())
    lowered = name.casefold()
    leading = max((word for word in affixes.leading if lowered.startswith(word)), key=len, default="")
    if leading and len(name) > len(leading):
        name = name[len(leading) :].lstrip()
    trailing = max((ending for ending in affixes.trailing if name.endswith(ending)), key=len, default="")
    if trailing:
        stem = name[: -len(trailing)]
        if stem.endswith(" ") and stem.strip():
            name = stem.rstrip()
        elif len(stem) >= MIN_STEM_BEFORE.get(trailing, MIN_STEM) and _particle_fits(stem, trailing):
            name = stem
    first, _space, rest = name.partition(" ")
    if rest and first in affixes.trailing:
        name = rest  # a particle of the previous word caught in the link ("은 사내")
    return name


def _particle_fits(stem: str, particle: str) -> bool:
    """Say whether a Korean particle agrees with the last syllable of the stem (을 after a final consonant)."""
    code = ord(stem[-1])
    if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return True  # a Latin name or a digit: how it is read decides, which we cannot tell
    has_final = (code - _HANGUL_FIRST) % _FINALS != 0
    if particle in AFTER_CONSONANT:
        return has_final
    if particle in AFTER_VOWEL:
        return not has_final
    return True

"""Headword cleaning: articles and particles taken off link texts, per language, and nothing else."""

import pytest

from markup.headwords import clean_headword


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ko", "상환을", "상환"),
        ("ko", "상환 을", "상환"),
        ("ko", "크라우드소싱으로", "크라우드소싱"),
        ("ko", "은 사내", "사내"),
        ("ko", "플랫폼과", "플랫폼"),
        ("fr", "le crowdfunding", "crowdfunding"),
        ("fr", "les réseaux sociaux", "réseaux sociaux"),
        ("fr", "l'externalisation", "externalisation"),
        ("fr", "L’externalisation", "externalisation"),
        ("fr", "Des idées", "idées"),
        ("en", "the crowd", "crowd"),
        ("en", "an  idea", "idea"),
        ("nb", "en frilanser", "frilanser"),
    ],
)
def test_articles_and_particles_are_taken_off(language, text, expected):
    assert clean_headword(text, language=language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ko", "고양이"),  # the 이 of a two-syllable noun is part of it
        ("ko", "을"),  # nothing would be left
        ("en", "another"),  # "an" only as a word
        ("en", "the"),
        ("fr", "lessive"),
        ("zh-hans", "众包的"),  # no rules for Chinese: kept as written
        ("fr", "réseaux sociaux"),
    ],
)
def test_names_without_a_removable_word_are_kept(language, text):
    assert clean_headword(text, language=language) == text


def test_a_language_without_rules_only_collapses_spaces():
    assert clean_headword("  众包  平台 ", language="xx") == "众包 平台"


@pytest.mark.parametrize(
    ("text", "expected"), [("크라우드를", "크라우드"), ("크라우드을", "크라우드을"), ("사내는", "사내")]
)
def test_korean_particle_must_agree_with_the_last_syllable(text, expected):
    assert clean_headword(text, language="ko") == expected

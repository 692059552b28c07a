"""Collation on its own (ICU), with names chosen to expose each language's rule."""

import pytest

from glossary.collation import OTHER_LABEL, collation_key, index_label, index_labels


def ordered(names: list[str], language: str) -> list[str]:
    return sorted(names, key=lambda name: collation_key(name, language=language))


def grouped(names: list[str], language: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for name in ordered(names, language):
        groups.setdefault(index_label(name, language=language), []).append(name)
    return groups


def test_korean_groups_by_initial_consonant_with_double_consonants_under_their_base():
    groups = grouped(["크라우드소싱", "까치", "가방", "나무", "사내", "쌀", "Amazon", "2006년"], "ko")

    assert groups == {
        OTHER_LABEL: ["2006년"],
        "ㄱ": ["가방", "까치"],
        "ㄴ": ["나무"],
        "ㅅ": ["사내", "쌀"],
        "ㅋ": ["크라우드소싱"],
        "A": ["Amazon"],
    }
    assert index_labels("ko")[:3] == ["ㄱ", "ㄴ", "ㄷ"]
    assert "ㄲ" not in index_labels("ko")


def test_korean_lists_latin_letters_after_hangul():
    labels = index_labels("ko")

    assert labels.index("ㅎ") < labels.index("A") < labels.index(OTHER_LABEL)


def test_chinese_groups_by_pinyin_initial_of_the_first_character():
    groups = grouped(["众包", "社交媒体", "偿还", "内部", "阿里巴巴", "3D打印"], "zh-hans")

    assert groups == {
        OTHER_LABEL: ["3D打印"],
        "A": ["阿里巴巴"],
        "C": ["偿还"],
        "N": ["内部"],
        "S": ["社交媒体"],
        "Z": ["众包"],
    }


def test_chinese_puts_latin_names_under_their_letter_beside_pinyin():
    assert index_label("Amazon", language="zh-hans") == index_label("阿里巴巴", language="zh-hans") == "A"


def test_norwegian_sorts_ae_oe_aa_after_z():
    assert ordered(["Åpen", "Ærlig", "Zebra", "Øl", "ape"], "nb") == ["ape", "Zebra", "Ærlig", "Øl", "Åpen"]
    assert index_labels("nb")[-4:] == ["Æ", "Ø", "Å", OTHER_LABEL]


def test_french_ignores_accents_for_order_and_letters():
    assert ordered(["Étude", "Zèbre", "école", "Ecole", "abc"], "fr") == ["abc", "Ecole", "école", "Étude", "Zèbre"]
    assert index_label("Étude", language="fr") == "E"


@pytest.mark.parametrize("language", ["en", "fr", "nb"])
def test_digits_go_under_the_other_label(language):
    assert index_label("42 days", language=language) == OTHER_LABEL


def test_english_is_a_to_z_ignoring_case():
    assert ordered(["zeta", "Beta", "alpha", "Gamma"], "en") == ["alpha", "Beta", "Gamma", "zeta"]
    assert index_labels("en") == [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", OTHER_LABEL]


def test_norwegian_letters_after_z_have_their_own_index_letter():
    assert [index_label(name, language="nb") for name in ["Ærlig", "Øl", "Åpen", "Zebra"]] == ["Æ", "Ø", "Å", "Z"]


def test_french_letters_have_no_accented_index_letter():
    assert "É" not in index_labels("fr")
    assert index_label("Œuvre", language="fr") == "O"


def test_chinese_orders_by_pinyin_not_by_stroke_or_code_point():
    # Code point order would be 众 (U+4F17) before 偿 (U+507F) before 社 (U+793E): pinyin puts chang, she, zhong.
    assert ordered(["众包", "社交媒体", "偿还"], "zh-hans") == ["偿还", "社交媒体", "众包"]


@pytest.mark.django_db
def test_refresh_command_recomputes_stale_keys_and_letters():
    from io import StringIO

    from django.core.management import call_command

    from glossary.models import Term, TermName

    name = TermName.objects.create(term=Term.objects.create(slug="x"), language="nb", name="Åpen")
    TermName.objects.filter(pk=name.pk).update(sort_key="00", index_label="A")
    out = StringIO()

    call_command("refresh_term_index", stdout=out)

    name.refresh_from_db()
    assert (name.index_label, name.sort_key) == ("Å", collation_key("Åpen", language="nb"))
    assert out.getvalue().startswith("1 of 1 term names re-indexed")


def test_chinese_reads_the_first_character_of_changcheng_as_zhang_without_a_reading():
    assert index_label("长城", language="zh-hans") == "Z"


@pytest.mark.django_db
def test_a_reading_gives_a_name_its_letter_and_its_place_in_the_order():
    from glossary.models import Term, TermName

    term = Term.objects.create(slug="great-wall")
    read = TermName.objects.create(term=term, language="zh-hans", name="长城", reading="changcheng")
    unread = TermName.objects.create(term=term, language="zh-hans", name="长城墙")

    assert (read.index_label, unread.index_label) == ("C", "Z")
    assert read.sort_key == collation_key("changcheng", language="zh-hans")
    assert read.sort_key < collation_key("cuo", language="zh-hans")


@pytest.mark.django_db
def test_a_blank_reading_counts_as_none():
    from glossary.models import Term, TermName

    name = TermName.objects.create(term=Term.objects.create(slug="x"), language="nb", name="Åpen", reading="  ")

    assert name.index_label == "Å"


@pytest.mark.django_db
def test_refresh_command_keeps_a_names_reading():
    from io import StringIO

    from django.core.management import call_command

    from glossary.models import Term, TermName

    name = TermName.objects.create(term=Term.objects.create(slug="x"), language="zh-hans", name="长城", reading="chang")
    TermName.objects.filter(pk=name.pk).update(index_label="Z")

    call_command("refresh_term_index", stdout=StringIO())

    name.refresh_from_db()
    assert name.index_label == "C"


def test_folding_a_text_is_folding_each_of_its_characters():
    """fold() works on whole strings for speed; it must equal the per-character definition on every character."""
    import unicodedata

    from glossary.collation import _fold_char, fold

    text = "".join(chr(code) for code in range(0x20, 0x30000) if not 0xD800 <= code <= 0xDFFF)
    composed = unicodedata.normalize("NFC", text)

    assert fold(text) == "".join(_fold_char(char) for char in composed)
    assert fold("Réseaux SOCIAUX ẞ Ǆ 크라우드 众包") == "reseaux sociaux ss dz 크라우드 众包"


def test_folding_with_positions_says_where_each_folded_character_comes_from():
    from glossary.collation import _fold_char, fold_with_positions

    def one_by_one(text):
        parts = [_fold_char(char) for char in text]
        return "".join(parts), [position for position, part in enumerate(parts) for _ in part]

    for code in range(0x20, 0x20000):
        if not 0xD800 <= code <= 0xDFFF:
            text = f"a{chr(code)}É"
            folded, origins = fold_with_positions(text)
            assert (folded, list(origins)) == one_by_one(text), hex(code)
    assert fold_with_positions("Straße") == ("strasse", [0, 1, 2, 3, 4, 4, 5])
    assert fold_with_positions("Réseaux") == ("reseaux", range(7))

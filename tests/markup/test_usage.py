"""Usage sentences: the sentence around each term link, with the link text's place in it."""

from markup.usage import MAX_SENTENCE, usage_sentences


def test_the_sentence_around_a_link_is_found_with_the_link_text_in_it():
    [usage] = usage_sentences("First one. Then [the crowd](/crowd) works hard. End.\n")

    assert usage.target == "crowd"
    assert usage.sentence == "Then the crowd works hard."
    assert usage.sentence[usage.start : usage.end] == "the crowd"


def test_chinese_sentences_end_at_full_width_stops_without_spaces():
    [usage] = usage_sentences("前一句。众包是[一种方法](/method)。下一句。\n")

    assert usage.sentence == "众包是一种方法。"
    assert usage.sentence[usage.start : usage.end] == "一种方法"


def test_external_links_and_headings_are_not_usages():
    body = "## [Heading](/heading)\n\nSee [docs](https://example.com) and [term](/term).\n"

    assert [usage.target for usage in usage_sentences(body)] == ["term"]


def test_the_same_text_linked_twice_gives_each_its_own_sentence():
    usages = usage_sentences("A [crowd](/crowd) here. Another [crowd](/crowd) there.\n")

    assert [usage.sentence for usage in usages] == ["A crowd here.", "Another crowd there."]


def test_a_long_passage_is_cut_around_the_link():
    [usage] = usage_sentences("word " * 300 + "[term](/term) " + "word " * 300)

    assert len(usage.sentence) <= MAX_SENTENCE
    assert usage.sentence[usage.start : usage.end] == "term"

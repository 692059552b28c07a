"""An article's title names its term: renames leave the first title once, never one name per save."""

import pytest

from glossary.models import Term, TermName
from glossary.services import term_title_names_set

pytestmark = pytest.mark.django_db


def names_of(term: Term, language: str = "en") -> set[tuple[str, str]]:
    return set(TermName.objects.filter(term=term, language=language).values_list("name", "status"))


def test_three_successive_renames_leave_the_first_title_once_and_the_latest_as_preferred():
    term = Term.objects.create(slug="ledger")
    for title in ("Ledger", "General ledger", "Ledger book", "Book of accounts"):
        term_title_names_set(term=term, titles={"en": title})

    assert names_of(term) == {("Ledger", "admitted"), ("Book of accounts", "preferred")}
    assert TermName.objects.get(name="Book of accounts").confirmed


def test_a_title_changed_back_to_the_first_one_leaves_no_working_title_behind():
    term = Term.objects.create(slug="ledger")
    for title in ("Ledger", "Ledgr", "Ledger"):
        term_title_names_set(term=term, titles={"en": title})

    assert names_of(term) == {("Ledger", "preferred")}


def test_a_rename_to_a_harvested_link_text_confirms_it_as_the_title():
    term = Term.objects.create(slug="ledger")
    term_title_names_set(term=term, titles={"en": "Ledger"})
    TermName.objects.create(term=term, language="en", name="account book", origin="link", confirmed=False)

    term_title_names_set(term=term, titles={"en": "account book"})

    title = TermName.objects.get(term=term, name="account book")
    assert (title.status, title.confirmed, title.origin) == ("preferred", True, "title")
    assert names_of(term) == {("Ledger", "admitted"), ("account book", "preferred")}


def test_an_editors_choice_of_preferred_name_stands_while_the_title_stays_the_same():
    term = Term.objects.create(slug="ledger")
    term_title_names_set(term=term, titles={"en": "Ledger"})
    TermName.objects.create(term=term, language="en", name="Journal", origin="editor", status="preferred")

    term_title_names_set(term=term, titles={"en": "Ledger"})  # the article saved again, title unchanged

    assert names_of(term) == {("Ledger", "admitted"), ("Journal", "preferred")}


def test_renames_in_one_language_leave_the_other_languages_alone():
    term = Term.objects.create(slug="ledger")
    term_title_names_set(term=term, titles={"fr": "Grand livre"})
    for title in ("Ledger", "General ledger", "Book of accounts"):
        term_title_names_set(term=term, titles={"en": title})

    assert names_of(term, "fr") == {("Grand livre", "preferred")}


def test_titles_in_every_language_are_named_with_one_read_and_one_write(django_assert_num_queries):
    term = Term.objects.create(slug="ledger")
    TermName.objects.create(term=term, language="fr", name="Journal", origin="editor", status="preferred")
    titles = {"en": "Ledger", "fr": "Grand livre", "ko": "원장"}

    with django_assert_num_queries(3):  # read the names; create the titles; the former preferred name is admitted
        term_title_names_set(term=term, titles=titles)

    assert names_of(term, "fr") == {("Journal", "admitted"), ("Grand livre", "preferred")}
    for language, title in titles.items():
        name = TermName.objects.get(term=term, language=language, name=title)
        assert (name.status, name.confirmed, name.origin) == ("preferred", True, "title")
        assert name.sort_key and name.folded_name  # bulk_create does not call save(): the index fields are set

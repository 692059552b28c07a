"""The term base keeps what a terminology database promises: one preferred name per language, sort keys on save."""

from articles.models import Article
from glossary.models import Term, TermName
from glossary.selectors import term_display_name
from tests.conftest import save_edits


def test_a_new_preferred_name_makes_the_former_one_admitted(db):
    term = Term.objects.create(slug="ledger")
    old = TermName.objects.create(term=term, language="en", name="ledger", status="preferred", confirmed=True)
    other_language = TermName.objects.create(term=term, language="fr", name="grand livre", status="preferred")

    TermName.objects.create(term=term, language="en", name="general ledger", status="preferred", confirmed=True)

    old.refresh_from_db()
    other_language.refresh_from_db()
    assert old.status == TermName.Status.ADMITTED
    assert other_language.status == TermName.Status.PREFERRED


def test_renaming_an_article_renames_its_term_and_keeps_the_old_title_as_an_alternative(make_article):
    article = make_article("ledger", {"en": ("Account book", "Body.")})

    article = Article.objects.get(pk=article.pk)
    article.set_value("title", "en", "Ledger")
    save_edits(article, languages=["en"])

    term = Term.objects.get(slug="ledger")
    assert term_display_name(term, language="en").name == "Ledger"
    assert TermName.objects.get(term=term, name="Account book").status == TermName.Status.ADMITTED


def test_sort_key_and_index_letter_are_stored_on_save(db):
    name = TermName.objects.create(term=Term.objects.create(slug="x"), language="ko", name="까치")

    assert name.index_label == "ㄱ"
    assert name.sort_key

"""What an article stores about itself on every save, for readers' pages to read instead of working it out."""

from articles.models import Article, ArticleVersion
from tests.articles.conftest import change_url
from tests.conftest import save_edits, set_drafts


def test_an_imported_article_is_published_in_every_language_it_has(imported):
    assert imported.published_languages == ["ko", "nb", "zh-hans", "en", "fr"]


def test_a_draft_is_not_published_and_the_reader_gets_the_missing_page(client, superuser, imported, form_data):
    client.force_login(superuser)
    client.post(change_url(imported), {**form_data(client, imported), "draft_nb": "on"})
    client.logout()

    imported.refresh_from_db()
    assert imported.published_languages == ["ko", "zh-hans", "en", "fr"]
    assert client.get("/nb/articles/crowdsourcing/").status_code == 404
    assert client.get("/ko/articles/crowdsourcing/").status_code == 200


def test_an_emptied_body_unpublishes_that_language_only(make_article):
    article = make_article("payroll", {"en": ("Payroll", "Body."), "fr": ("Paie", "Texte.")})
    assert article.published_languages == ["en", "fr"]

    article.set_value("body", "fr", "")
    save_edits(article, languages=["fr"])

    assert Article.objects.get(pk=article.pk).published_languages == ["en"]


def test_a_new_language_version_is_published_by_its_save(make_article):
    article = make_article("payroll", {"en": ("Payroll", "Body.")})

    article.set_value("title", "nb", "Lønn")
    article.set_value("body", "nb", "Tekst.")
    save_edits(article, languages=["nb"])

    assert Article.objects.get(pk=article.pk).published_languages == ["nb", "en"]


def test_published_in_a_language_is_a_query_on_the_language_versions(make_article):
    make_article("payroll", {"en": ("Payroll", "Body."), "fr": ("Paie", "Texte.")})
    make_article("leave", {"en": ("Leave", "Body.")})
    draft = make_article("bonus", {"en": ("Bonus", "Body."), "fr": ("Prime", "Texte.")})
    set_drafts(draft, "fr")

    french = ArticleVersion.objects.filter(language="fr", published=True).values_list("article__slug", flat=True)

    assert sorted(french) == ["payroll"]
    assert ArticleVersion.objects.get(article=draft, language="fr").draft

"""One concept, one term: merging moves names, article and links, redirects the slug and renders linking pages."""

from django.urls import reverse
from django.utils import translation

from articles.models import Article, ArticleLink
from articles.services import terms_merge_with_articles
from glossary.models import Term, TermName, TermRedirect
from tests.articles.conftest import article_url


def term_url(slug: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("glossary:term", kwargs={"slug": slug})


def merge_seed_consultant_into_freelancer():
    # The seed's en version links "freelancers" to /consultant where the translations use /freelancer.
    survivor, merged = Term.objects.get(slug="freelancer"), Term.objects.get(slug="consultant")
    return survivor, merged, terms_merge_with_articles(survivor_id=survivor.pk, merged_id=merged.pk)


def test_the_merged_slug_redirects_permanently_to_the_survivor(client, imported):
    merge_seed_consultant_into_freelancer()

    response = client.get(term_url("consultant"))

    assert response.status_code == 301
    assert response["Location"] == term_url("freelancer")
    assert client.get("/consultant", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == term_url("freelancer", "fr")
    assert not Term.objects.filter(slug="consultant").exists()
    assert TermRedirect.objects.get(old_slug="consultant").term.slug == "freelancer"


def test_names_move_once_each(imported):
    survivor, _merged, _result = merge_seed_consultant_into_freelancer()
    TermName.objects.create(term=survivor, language="fr", name="consultant")
    other = Term.objects.create(slug="adviser")
    TermName.objects.create(term=other, language="fr", name="consultant")
    TermName.objects.create(term=other, language="fr", name="conseiller")

    terms_merge_with_articles(survivor_id=survivor.pk, merged_id=other.pk)

    names = list(TermName.objects.filter(term=survivor, language="fr").values_list("name", flat=True))
    assert names.count("consultant") == 1
    assert "conseiller" in names
    assert "freelancers" in TermName.objects.filter(term=survivor, language="en").values_list("name", flat=True)


def test_linking_articles_keep_their_text_and_link_to_the_survivor(client, imported):
    body_before = imported.value("body", "en")

    _survivor, _merged, result = merge_seed_consultant_into_freelancer()

    article = Article.objects.get(pk=imported.pk)
    assert result.done and result.rerendered == [imported.pk]
    assert article.value("body", "en") == body_before
    assert "](/consultant)" in article.value("body", "en")
    assert f'href="{term_url("freelancer")}"' in article.value("body_html", "en")
    assert f'href="{term_url("freelancer")}"' in client.get(article_url("en")).content.decode()
    assert ArticleLink.objects.filter(article=article, language="en", term__slug="freelancer").exists()
    assert not Term.objects.filter(slug="consultant").exists()  # rendering did not bring the old term back


def test_a_merged_terms_article_moves_to_the_survivor(imported):
    survivor = Term.objects.create(slug="crowd-work")

    result = terms_merge_with_articles(survivor_id=survivor.pk, merged_id=imported.term_id)

    assert result.done
    assert Article.objects.get(pk=imported.pk).term == survivor


def test_two_terms_with_articles_are_not_merged(make_article):
    first = make_article("alpha", {"en": ("Alpha", "A.")})
    second = make_article("beta", {"en": ("Beta", "B.")})

    result = terms_merge_with_articles(survivor_id=first.term_id, merged_id=second.term_id)

    assert not result.done
    assert Term.objects.filter(pk=second.term_id).exists()
    assert not TermRedirect.objects.exists()


def test_a_term_is_not_merged_into_itself(imported):
    result = terms_merge_with_articles(survivor_id=imported.term_id, merged_id=imported.term_id)

    assert not result.done


def test_the_admin_action_leads_to_a_page_where_the_editor_picks_the_survivor(client, imported, superuser):
    survivor, merged = Term.objects.get(slug="freelancer"), Term.objects.get(slug="consultant")
    client.force_login(superuser)

    chosen = client.post(
        reverse("admin:glossary_term_changelist"),
        {"action": "merge_terms", "_selected_action": [survivor.pk, merged.pk]},
    )
    page = client.get(chosen["Location"])
    assert page.status_code == 200
    done = client.post(chosen["Location"], {"ids": f"{survivor.pk},{merged.pk}", "survivor": survivor.pk})

    assert done.status_code == 302
    assert TermRedirect.objects.get(old_slug="consultant").term == survivor


def test_an_editor_of_one_language_cannot_merge(client, imported, make_editor):
    client.force_login(make_editor("fr"))
    ids = ",".join(
        str(pk) for pk in Term.objects.filter(slug__in=["freelancer", "consultant"]).values_list("pk", flat=True)
    )

    assert (
        client.post(
            reverse("admin:articles_article_merge_terms"), {"ids": ids, "survivor": ids.split(",")[0]}
        ).status_code
        == 403
    )
    assert Term.objects.filter(slug="consultant").exists()


def test_after_the_merge_the_translations_link_to_the_same_term_as_the_source(imported):
    def differs(language):
        findings = Article.objects.get(pk=imported.pk).language_findings(language)
        return [f for f in findings if f.code == "link.target-differs"]

    assert differs("fr")
    merge_seed_consultant_into_freelancer()

    assert differs("fr") == []  # /consultant now leads where /freelancer does: one concept, one term

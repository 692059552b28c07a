"""Reviewing readers' suggestions: per-language queue, the correction in place, accept through the write service."""

from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Suggestion
from articles.suggestions import client_key, suggestion_accept
from tests.conftest import save_edits

PASSAGE = "Le crowdsourcing consiste à obtenir du travail"


def make_suggestion(
    article, *, language="fr", quoted=PASSAGE, suggested="Le crowdsourcing consiste à recevoir du travail"
):
    return Suggestion.objects.create(
        article=article, language=language, quoted=quoted, suggested=suggested, name="Ada", client_key=client_key("x")
    )


def review_url(suggestion) -> str:
    return reverse("admin:articles_suggestion_change", args=[suggestion.pk])


def test_editors_see_only_the_suggestions_of_their_languages(client, imported, make_editor):
    french = make_suggestion(imported)
    korean = make_suggestion(imported, language="ko", quoted="크라우드소싱", suggested="크라우드 소싱")
    client.force_login(make_editor("fr"))

    listing = client.get(reverse("admin:articles_suggestion_changelist")).content.decode()

    assert review_url(french) in listing
    assert review_url(korean) not in listing
    assert client.get(review_url(korean)).status_code == 403


def test_the_review_shows_the_correction_in_place(client, imported, superuser):
    suggestion = make_suggestion(imported)
    client.force_login(superuser)

    page = client.get(review_url(suggestion)).content.decode()

    assert f"<del>{PASSAGE}</del><ins>Le crowdsourcing consiste à recevoir du travail</ins>" in page
    assert 'value="accept"' in page


def test_accepting_applies_the_correction_through_the_write_service_and_credits_the_reader(client, imported, superuser):
    suggestion = make_suggestion(imported)
    client.force_login(superuser)

    response = client.post(review_url(suggestion), {"action": "accept", "version": imported.version})

    assert response.status_code == 302
    article = Article.objects.get(pk=imported.pk)
    assert "Le crowdsourcing consiste à recevoir du travail" in article.value("body", "fr")
    assert "recevoir du travail" in article.value("body_html", "fr")
    assert article.version == imported.version + 1
    comment = Version.objects.get_for_object(article).first().revision.comment
    assert "Ada" in comment and str(suggestion.pk) in comment
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewer) == (Suggestion.Status.ACCEPTED, superuser)


def test_a_passage_that_no_longer_exists_is_said_and_nothing_changes(client, imported, superuser):
    suggestion = make_suggestion(imported)
    imported.set_value("body", "fr", imported.value("body", "fr").replace(PASSAGE, "Le crowdsourcing, c'est"))
    article = save_edits(imported, languages=["fr"])
    client.force_login(superuser)

    page = client.get(review_url(suggestion)).content.decode()
    assert "no longer in the current text" in page
    assert 'value="accept"' not in page
    result = suggestion_accept(suggestion_id=suggestion.pk, by=superuser, seen_version=article.version)

    assert not result.done
    assert Article.objects.get(pk=imported.pk).version == article.version
    assert Suggestion.objects.get(pk=suggestion.pk).status == Suggestion.Status.NEW


def test_accepting_after_someone_else_changed_the_passage_changes_nothing(imported, superuser):
    suggestion = make_suggestion(imported)
    seen = imported.version
    imported.set_value("body", "fr", imported.value("body", "fr").replace(PASSAGE, PASSAGE + " rémunéré"))
    save_edits(imported, languages=["fr"])  # the passage is still there, but the article moved on

    result = suggestion_accept(suggestion_id=suggestion.pk, by=superuser, seen_version=seen)

    assert not result.done
    assert "rémunéré" in Article.objects.get(pk=imported.pk).value("body", "fr")
    assert Suggestion.objects.get(pk=suggestion.pk).status == Suggestion.Status.NEW


def test_rejecting_needs_a_reason_and_keeps_the_text(client, imported, superuser):
    suggestion = make_suggestion(imported)
    client.force_login(superuser)
    before = Article.objects.get(pk=imported.pk).version

    client.post(review_url(suggestion), {"action": "reject", "reason": ""})
    assert Suggestion.objects.get(pk=suggestion.pk).status == Suggestion.Status.NEW
    client.post(review_url(suggestion), {"action": "reject", "reason": "The original is right."})

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == (Suggestion.Status.REJECTED, "The original is right.")
    assert Article.objects.get(pk=imported.pk).version == before


def test_an_editor_of_another_language_cannot_accept(client, imported, make_editor):
    suggestion = make_suggestion(imported)
    client.force_login(make_editor("ko"))

    response = client.post(review_url(suggestion), {"action": "accept", "version": imported.version})

    assert response.status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).status == Suggestion.Status.NEW

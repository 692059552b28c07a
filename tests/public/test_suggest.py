"""The readers' correction form: a page of its own (never cached), bad input refused clearly, nothing stored."""

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Suggestion
from articles.suggestions import QUOTE_MAX, RATE_LIMIT
from tests.articles.conftest import article_url

PASSAGE = "Le crowdsourcing consiste à obtenir du travail"
ENGLISH_PASSAGE = "Crowdsourcing involves obtaining work"


def suggest_url(language: str = "fr") -> str:
    with translation.override(language):
        return reverse("suggest")


def send(client, *, quoted=PASSAGE, suggested="Le crowdsourcing consiste à recevoir du travail", **extra):
    address = extra.pop("address", "203.0.113.7")
    language = extra.pop("language", "fr")
    data = {"article": "crowdsourcing", "quoted": quoted, "suggested": suggested, "name": "", "email": "", **extra}
    return client.post(suggest_url(language), data, REMOTE_ADDR=address)


def test_article_and_term_pages_link_to_the_form(client, imported):
    assert f'href="{suggest_url()}?article=crowdsourcing"' in client.get(article_url("fr")).content.decode()
    with translation.override("fr"):
        term_page = client.get(reverse("glossary:term", kwargs={"slug": "social-media"})).content.decode()
    assert f'href="{suggest_url()}?term=social-media"' in term_page


def test_the_form_page_is_not_cached_and_not_indexed(client, imported):
    response = client.get(suggest_url(), {"article": "crowdsourcing"})

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_an_unknown_article_or_no_target_is_not_found(client, imported):
    assert client.get(suggest_url(), {"article": "nope"}).status_code == 404
    assert client.get(suggest_url()).status_code == 404


def test_a_suggestion_is_stored_for_review_and_the_reader_thanked(client, imported):
    response = send(client, name="Ada")

    assert response.status_code == 302
    assert "sent=1" in response["Location"]
    suggestion = Suggestion.objects.get()
    assert (suggestion.language, suggestion.quoted, suggestion.name) == ("fr", PASSAGE, "Ada")
    assert suggestion.status == Suggestion.Status.NEW
    assert "203.0.113.7" not in suggestion.client_key
    assert 'role="status"' in client.get(response["Location"]).content.decode()


def test_a_passage_as_the_reader_sees_it_is_accepted_too(client, imported):
    # The page shows "les réseaux sociaux" where the source has a link around it.
    response = send(client, quoted="Internet, les réseaux sociaux et les applications", suggested="Internet")

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"quoted": ""}, "quoted", "required"),
        ({"suggested": "   "}, "suggested", "required"),
        ({"quoted": "x" * (QUOTE_MAX + 1)}, "quoted", "1000"),
        ({"suggested": "<b>mieux</b>"}, "suggested", "Plain text only"),
        ({"suggested": "mieux\x00"}, "suggested", "Null characters"),
        ({"quoted": "A sentence the article does not have"}, "quoted", "not in the page"),
        ({"suggested": ENGLISH_PASSAGE}, "suggested", "same as the passage"),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_the_text_and_stores_nothing(client, imported, data, field, message):
    response = send(client, **{"quoted": ENGLISH_PASSAGE, "suggested": "It means getting work", **data}, language="en")

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page.split(f'id="id_{field}-error"')[1].split("</span>")[0]
    assert Suggestion.objects.count() == 0
    if data.get("suggested", "").strip() and "\x00" not in data["suggested"]:
        assert data["suggested"].replace("<", "&lt;").replace(">", "&gt;") in page  # what they wrote is kept


def test_the_honeypot_pretends_success_and_stores_nothing(client, imported):
    response = send(client, website="http://spam.example")

    assert response.status_code == 302
    assert Suggestion.objects.count() == 0


def test_one_address_is_limited_per_hour_others_are_not(client, imported):
    for index in range(RATE_LIMIT):
        assert send(client, suggested=f"Correction {index}").status_code == 302

    refused = send(client, suggested="One too many")
    assert refused.status_code == 429
    assert 'class="form-errors" role="alert"' in refused.content.decode()
    assert "One too many" in refused.content.decode()  # kept in the form
    assert send(client, suggested="From elsewhere", address="198.51.100.1").status_code == 302
    assert Suggestion.objects.count() == RATE_LIMIT + 1


def test_a_term_suggestion_quotes_its_name_or_definition(client, imported):
    data = {"term": "social-media", "quoted": "réseaux sociaux", "suggested": "médias sociaux"}

    response = client.post(suggest_url(), data)

    assert response.status_code == 302
    assert Suggestion.objects.get().term.slug == "social-media"

"""Browsers' languages read through the aliases in settings (GLOSSARY_LANGUAGE_ALIASES), through the `/` redirect."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.language_aliases import LanguageAliasMiddleware, accept_language_with_aliases


def redirect_for(client, accept_language: str) -> str:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("no", "/nb/"),
        ("nn", "/nb/"),
        ("nb-NO", "/nb/"),
        ("nn-NO,nn;q=0.9,en;q=0.5", "/nb/"),
        ("no-NO", "/nb/"),
        ("zh", "/zh-hans/"),
        ("zh-CN", "/zh-hans/"),
        ("zh-SG", "/zh-hans/"),
        ("zh-Hans-CN", "/zh-hans/"),
        ("ko-KR", "/ko/"),
        ("fr-CA", "/fr/"),
        ("de", "/en/"),
    ],
)
def test_browser_languages_lead_to_the_configured_language(client, db, accept_language, expected):
    assert redirect_for(client, accept_language) == expected


def test_an_alias_keeps_its_place_among_the_readers_preferences(client, db):
    assert redirect_for(client, "fr;q=0.5, no;q=0.8") == "/nb/"
    assert redirect_for(client, "fr;q=0.9, no;q=0.8") == "/fr/"


def test_the_cookie_still_wins_over_an_alias(client, db):
    client.cookies["django_language"] = "ko"

    assert redirect_for(client, "no") == "/ko/"


def test_links_in_source_form_follow_the_alias_too(client, db):
    from glossary.models import Term

    Term.objects.create(slug="crowdsourcing")

    response = client.get("/crowdsourcing", HTTP_ACCEPT_LANGUAGE="nn")

    assert response["Location"] == "/nb/terms/crowdsourcing/"


def test_adding_an_alias_is_a_settings_change(client, db, settings):
    settings.GLOSSARY_LANGUAGE_ALIASES = {**settings.GLOSSARY_LANGUAGE_ALIASES, "se": "nb"}

    assert redirect_for(client, "se") == "/nb/"


def test_a_region_of_a_configured_language_is_not_rewritten_by_its_primary_tags_alias():
    assert accept_language_with_aliases("nb-NO, fr-CA;q=0.5", {"nb": "ko", "fr": "en"}) == "nb-no;q=1, fr-ca;q=0.5"
    assert accept_language_with_aliases("fr-CA, nn-NO;q=0.5", {"nn": "nb"}) == "fr-ca;q=1, nb;q=0.5"


def test_an_alias_to_a_language_not_configured_is_refused_at_start(settings):
    settings.GLOSSARY_LANGUAGE_ALIASES = {"no": "nn", "zh": "zh-hans"}

    with pytest.raises(ImproperlyConfigured, match="no → nn"):
        LanguageAliasMiddleware(lambda request: None)
